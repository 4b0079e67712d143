"""The working-day calendar's own data: the days on which the official calendar departs from the rule."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    WORKING = "working", _("Extra working day")
    DAY_OFF = "day_off", _("Extra day off")


class CalendarOverride(models.Model):
    """One day on which offices open or close against the statutory rule, and why.

    The statutory holidays (Labour Code art. 112, with their compensatory days and the swaps the
    `holidays` package knows) are computed; this table holds what the package cannot know: the
    make-up Saturdays of each swap ("working") and extra or ad-hoc days off ("day_off"). Each row
    points at the notice or letter that decided it. At most one row per date.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OverrideKind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("What the day is, e.g. “Làm bù cho thứ Sáu 02/05/2025”.")
    )
    legal_basis = models.ForeignKey(
        "core.LegalDocument",
        verbose_name=_("legal basis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calendar_overrides",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["working", "day_off"]), name="calendar_override_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_working(self) -> bool:
        return self.kind == OverrideKind.WORKING
