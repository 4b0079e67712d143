"""Periodic reports: the schedule (cut-off and due dates as data) and each unit's report."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.plans.models.querysets import PlanPartQuerySet, UnitRowQuerySet


class ReportKind(models.TextChoices):
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Six-month")
    NINE_MONTHS = "nine_months", _("Nine-month")
    ANNUAL = "annual", _("Annual")


class ReportSchedule(models.Model):
    """One reporting round: its data cut-off and the date units must submit by (domain §8.4)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="schedules"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    data_from = models.DateField(_("data from"))
    data_to = models.DateField(_("data to"))
    due_on = models.DateField(_("due on"))
    legal_basis = models.ForeignKey(
        "core.LegalDocument", verbose_name=_("legal basis"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["plan", "due_on"]
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="schedule_unique_period")]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Awaiting the leader's approval")
    APPROVED = "approved", _("Sent to the reform office")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for revision")


class UnitReport(models.Model):
    """A unit's report for one round: narrative and figures; locked once the reform office accepts it."""

    schedule = models.ForeignKey(
        ReportSchedule, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cchc_reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("results, limitations and proposals"), blank=True)
    task_lines = models.JSONField(_("task statuses"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    review_comment = models.TextField(_("comment of the reform office"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="plans/reports/%Y/", blank=True)

    objects = UnitRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["schedule", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "unit"], name="one_report_per_unit_and_round")
        ]

    def __str__(self) -> str:
        return f"{self.schedule} — {self.unit}"

    @property
    def locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED
