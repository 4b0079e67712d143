"""Results fixed when a campaign is finalised: what the publication decision states."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet


class ResultQuerySet(ScopedQuerySet):
    """A fixed result is seen by whoever sees its unit."""

    scope_path = "unit__path"


class Result(models.Model):
    """A unit's total, maximum, index, rank and band in a finalised campaign, with the per-area breakdown.

    The index is stored at full precision; pages and files show it with 2 decimals.
    """

    campaign = models.ForeignKey(
        "parindex.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="par_results"
    )
    unit_type = models.CharField(_("unit type"), max_length=20)
    score = models.DecimalField(_("score"), max_digits=10, decimal_places=4)
    max_points = models.DecimalField(_("maximum"), max_digits=10, decimal_places=4)
    index = models.DecimalField(_("index (%)"), max_digits=30, decimal_places=20)
    rank = models.PositiveIntegerField(_("rank"))
    band = models.CharField(_("classification"), max_length=100, blank=True)
    areas = models.JSONField(_("score by area"), default=list)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("PAR Index result")
        verbose_name_plural = _("PAR Index results")
        ordering = ["campaign", "unit_type", "rank"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="result_unique_unit")]

    def __str__(self) -> str:
        return f"{self.campaign.year} — {self.unit}: {self.index:.2f}"

    @property
    def index_shown(self) -> Decimal:
        return self.index.quantize(Decimal("0.01"), ROUND_HALF_UP)
