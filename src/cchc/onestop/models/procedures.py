"""Administrative procedures (thủ tục hành chính, TTHC) as published in the national database."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("working days")
    DAY = "day", _("days")
    HOUR = "hour", _("hours")


class OnlineLevel(models.TextChoices):
    """Online availability under Nghị định 42/2022/NĐ-CP, art. 11 (levels 1–4 of NĐ 43/2011 map onto it)."""

    NONE = "none", _("not online")
    PARTIAL = "partial", _("partly online (một phần)")
    FULL = "full", _("fully online (toàn trình)")


# Historical levels of NĐ 43/2011 read on import: 1–2 were information only, 3 one part, 4 the whole process.
LEGACY_ONLINE_LEVELS = {
    "1": OnlineLevel.NONE,
    "2": OnlineLevel.NONE,
    "3": OnlineLevel.PARTIAL,
    "4": OnlineLevel.FULL,
}


class Procedure(models.Model):
    """A TTHC: what a citizen applies for, its legal time limit and how far it can be done online.

    Dossiers point at it; its time limit gives a dossier its due date when the source system does
    not send one, and its field (lĩnh vực) groups late dossiers on the heat map.
    """

    code = models.CharField(_("procedure code"), max_length=64, unique=True)
    name = models.TextField(_("name"))
    field = models.CharField(_("field"), max_length=255, db_index=True, help_text=_("lĩnh vực, e.g. Hộ tịch"))
    level = models.CharField(_("level"), max_length=60, blank=True, help_text=_("e.g. cấp tỉnh, cấp xã"))
    time_limit = models.DecimalField(_("time limit"), max_digits=8, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(
        _("time-limit unit"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAY
    )
    online = models.CharField(
        _("online service"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    has_fee = models.BooleanField(_("has fees or charges"), default=False)
    written_result = models.BooleanField(
        _("result is a written document"),
        default=True,
        help_text=_("Dossiers of such procedures are expected to have an electronic result (QĐ 766, 4.1)."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"
