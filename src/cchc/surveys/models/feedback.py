"""Citizen feedback and recommendations (phản ánh, kiến nghị — PAKN) and the deadlines for handling them."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet, scope_filter


class FeedbackStep(models.TextChoices):
    REFUSE = "refuse", _("Refuse to handle")
    MORE_INFO = "more_info", _("Ask for more information")
    HANDLE = "handle", _("Handle and answer")
    PUBLISH = "publish", _("Publish the answer")


class FeedbackDeadline(models.Model):
    """How many working days a step may take, from `valid_from` on, with its legal basis (QĐ 766 5.2)."""

    step = models.CharField(_("step"), max_length=20, choices=FeedbackStep.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    valid_from = models.DateField(_("valid from"))
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    verified = models.BooleanField(_("verified against the text"), default=False)

    class Meta:
        verbose_name = _("feedback deadline")
        verbose_name_plural = _("feedback deadlines")
        ordering = ["step", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["step", "valid_from"], name="feedback_deadline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.working_days}"


class FeedbackKind(models.TextChoices):
    PROCEDURE = "procedure", _("About an administrative procedure")
    OFFICIAL = "official", _("About an official's conduct")
    OTHER = "other", _("Other")


class FeedbackChannel(models.TextChoices):
    WEB = "web", _("Public web form")
    STAFF = "staff", _("Entered by staff")
    IMPORT = "import", _("Imported")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not yet routed")
    ROUTED = "routed", _("With the responsible unit")
    INFO_REQUESTED = "info_requested", _("Waiting for more information")
    REFUSED = "refused", _("Refused to handle")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# Statuses in which the handling is over (until the citizen reopens it).
FINISHED = (FeedbackStatus.REFUSED, FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)


class FeedbackRating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


class FeedbackQuerySet(ScopedQuerySet):
    """Feedback routed to a unit belongs to that unit; feedback not yet routed belongs to its receiving
    authority, so only those who may act on that authority as a whole (the reform office, the
    leadership) reach it."""

    scope_path = "unit__path"

    def scope(self, user: Any, action: str) -> models.Q:
        routed = models.Q(unit__isnull=False) & scope_filter(user, action, "unit__path")
        unrouted = models.Q(unit__isnull=True) & scope_filter(user, action, "organiser__path")
        return routed | unrouted


class Feedback(models.Model):
    """A citizen's feedback or recommendation, from receipt to a published answer the citizen rates.

    Deadlines are stored when the feedback is received (and when information comes back), so later
    changes of the rules do not move them. The receipt code is long and random: it is the citizen's
    key to follow, rate or reopen the feedback without giving any personal data.
    """

    receipt_code = models.CharField(_("receipt code"), max_length=20, unique=True)
    external_code = models.CharField(_("code in the source system"), max_length=60, blank=True)
    organiser = models.ForeignKey(
        "units.Unit", verbose_name=_("receiving authority"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    kind = models.CharField(_("about"), max_length=20, choices=FeedbackKind.choices)
    procedure_code = models.CharField(_("procedure code"), max_length=60, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    title = models.CharField(_("subject"), max_length=300)
    content = models.TextField(_("content"))
    contact = models.CharField(_("contact (optional)"), max_length=200, blank=True)
    consent_to_publish = models.BooleanField(_("the answer may be published"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    refuse_due = models.DateField(_("refusal due by"))
    info_request_due = models.DateField(_("request for information due by"))
    handle_due = models.DateField(_("answer due by"))
    publish_due = models.DateField(_("publication due by"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    info_requested_at = models.DateTimeField(_("information requested at"), null=True, blank=True)
    info_request = models.TextField(_("information requested"), blank=True)
    info_received_at = models.DateTimeField(_("information received at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("reply to the citizen"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    rating = models.CharField(
        _("citizen's rating"), max_length=20, choices=FeedbackRating.choices, blank=True
    )
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    late_steps = models.JSONField(_("steps done late"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("citizen feedback")
        verbose_name_plural = _("citizen feedback")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["status", "handle_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_code} — {self.title}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
