"""Scores of the QĐ 766 service index published by the national portal, kept beside our own."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet


class OfficialIndexScoreQuerySet(ScopedQuerySet):
    """A score belongs to the unit it was published for."""

    scope_path = "unit__path"


class OfficialIndexScore(models.Model):
    """One score the national portal published for a unit, period and indicator or group.

    `code` is an indicator ("2.1"), a group ("TDGQ") or "TOTAL"; `raw` keeps the record as it was
    downloaded, so a dispute can go back to it.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="official_index_scores")
    period = models.CharField(_("period"), max_length=10)
    code = models.CharField(_("indicator or group"), max_length=20)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    raw = models.JSONField(_("record as downloaded"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = OfficialIndexScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("official QĐ 766 score")
        verbose_name_plural = _("official QĐ 766 scores")
        ordering = ["unit", "period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "code"], name="official_index_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.code}: {self.score}"
