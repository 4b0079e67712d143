"""The one-page brief ("Báo cáo nhanh"): briefs generated on request or on a schedule, the schedules
the reform office keeps, and what was sent on which day (so that nothing goes out twice).

How a brief is built and sent is in `cchc.web.brief` and docs/brief.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.periods import period_label
from cchc.core.scoping import ScopedQuerySet


class BriefStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Brief(models.Model):
    """One one-page brief of a unit for a period: the DOCX and the PDF once the background task has
    written them. Seen by whoever may view the unit (`for_user`)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10, help_text="A period key of cchc.core.periods.")
    status = models.CharField(
        _("status"), max_length=10, choices=BriefStatus.choices, default=BriefStatus.QUEUED
    )
    docx = models.FileField(_("Word file"), upload_to="web/briefs/%Y/%m/", blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="web/briefs/%Y/%m/", blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for briefs of a schedule.",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit.name} – {period_label(self.period)}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BriefStatus.DONE, BriefStatus.FAILED)


class PeriodKind(models.TextChoices):
    """Which period a scheduled brief covers, counted back from the day it is sent."""

    LAST_MONTH = "last_month", _("Last month")
    LAST_QUARTER = "last_quarter", _("Last quarter")
    LAST_HALF = "last_half", _("Last six months (half-year)")
    LAST_YEAR = "last_year", _("Last year")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BriefSubscription(models.Model):
    """A schedule: the brief of `unit` for the period `period_kind`, e-mailed every week on `weekday`
    or every month on `day_of_month` (exactly one of the two) to the chosen users and addresses.
    Kept by the reform office (plan permission on the unit); every change is audited. The brief shows
    the overview as its keeper sees it, so a schedule never sends more than its keeper may read."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"),
        null=True,
        blank=True,
        help_text=_("1 to 31; in a shorter month the brief goes out on its last day."),
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), blank=True, related_name="brief_subscriptions"
    )
    emails = models.TextField(_("other e-mail addresses"), blank=True, help_text=_("One address per line."))
    active = models.BooleanField(_("active"), default=True)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kept by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last saved the schedule: its briefs show the overview as this person sees it.",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("brief schedule")
        verbose_name_plural = _("brief schedules")
        ordering = ["unit__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(weekday__isnull=False) & Q(day_of_month__isnull=True))
                | (Q(weekday__isnull=True) & Q(day_of_month__gte=1) & Q(day_of_month__lte=31)),
                name="brief_subscription_one_rhythm",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} – {self.get_period_kind_display()}"

    def addresses(self) -> list[str]:
        """The extra addresses, one per line, blanks dropped."""
        return [line.strip() for line in self.emails.splitlines() if line.strip()]


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DeliveryQuerySet(ScopedQuerySet):
    scope_path = "subscription__unit__path"


class BriefDelivery(models.Model):
    """What a schedule sent on one day. The unique (schedule, day) row is taken before anything is
    generated, so two runs of the daily command on the same day never send twice; a failed delivery is
    tried again by the next run of that day."""

    subscription = models.ForeignKey(
        BriefSubscription, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="deliveries"
    )
    on_date = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.SENDING
    )
    brief = models.ForeignKey(
        Brief, verbose_name=_("brief"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.TextField(_("recipients"), blank=True)
    message = models.TextField(_("message"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("brief delivery")
        verbose_name_plural = _("brief deliveries")
        ordering = ["-on_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "on_date"], name="brief_delivery_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.subscription} – {self.on_date:%d/%m/%Y}"
