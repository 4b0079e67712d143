"""Tasks (nhiệm vụ), the progress their lead units report, and changes of their deadlines."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.plans.models.querysets import PlanPartQuerySet, ProgressQuerySet, TaskPartQuerySet


class DeadlineKind(models.TextChoices):
    DATE = "date", _("By a date")
    QUARTER = "quarter", _("Within a quarter")
    YEAR = "year", _("Within the year")
    RECURRING = "recurring", _("Ongoing (thường xuyên)")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(models.Model):
    """A task of a plan: what, who leads, who helps, by when, with which product."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    area = models.ForeignKey(
        "plans.PlanArea",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    code = models.CharField(_("code"), max_length=30, blank=True)
    text = models.TextField(_("task"))
    lead_unit = models.ForeignKey(
        "units.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("coordinating units"), blank=True, related_name="coordinated_tasks"
    )
    deadline_kind = models.CharField(
        _("kind of deadline"), max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.DATE
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The last day: for a quarter or a year, its last day."),
    )
    expected_product = models.CharField(_("expected product"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cascaded from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_range"),
            models.CheckConstraint(
                condition=models.Q(deadline_kind="recurring") | models.Q(deadline__isnull=False),
                name="task_deadline_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}".strip()

    @property
    def unit(self):
        return self.lead_unit


class UpdateState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with comments")


class TaskUpdate(models.Model):
    """Progress reported by the lead unit; the reform office accepts it (it then counts) or returns it."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="updates")
    reported_by = models.ForeignKey(
        "accounts.User", verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    status = models.CharField(_("status reported"), max_length=20, choices=TaskStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    narrative = models.TextField(_("what was done"))
    evidence = models.FileField(_("evidence"), upload_to="plans/evidence/%Y/", blank=True)
    state = models.CharField(
        _("review"), max_length=20, choices=UpdateState.choices, default=UpdateState.SUBMITTED
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)

    # Not plan-wide: the narrative and evidence can hold personal data (querysets.ProgressQuerySet).
    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="update_progress_range")
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.progress} %"


class DeadlineChange(models.Model):
    """A request to move a task's deadline, with its reason; it takes effect only once approved."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="deadline_changes"
    )
    old_kind = models.CharField(_("old kind"), max_length=20, choices=DeadlineKind.choices)
    old_deadline = models.DateField(_("old deadline"), null=True, blank=True)
    new_kind = models.CharField(_("new kind"), max_length=20, choices=DeadlineKind.choices)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved = models.BooleanField(_("approved"), null=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = TaskPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.task}: {self.old_deadline} → {self.new_deadline}"
