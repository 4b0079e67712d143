"""Months of dossiers detached from the dossier table for archiving, and what they counted for.

Detaching a month's partition (PostgreSQL, docs/onestop.md "Partitions") takes its dossiers out of
lists and raw queries; the rollups keep their counts. What those dossiers added to the rollups is kept
here so that a rebuild or a check of the rollups from the dossiers still comes out right.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.onestop.models.rollups import RollupCounts, RollupQuerySet


class ArchivedMonth(models.Model):
    """A month whose dossiers were detached from the dossier table (its partition now stands alone,
    to be dumped and dropped by the operator), with how many dossiers it held."""

    month = models.DateField(_("month"), unique=True)
    table_name = models.CharField(_("table"), max_length=63)
    rows = models.BigIntegerField(_("dossiers"))
    detached_at = models.DateTimeField(_("detached at"), auto_now_add=True)
    detached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("archived month")
        verbose_name_plural = _("archived months")
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"


class ArchivedContribution(RollupCounts):
    """What the dossiers of an archived month added to one unit's field rollup in one month (the month
    of receipt, and the later months they finished or fell overdue in)."""

    archive = models.ForeignKey(ArchivedMonth, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, db_index=False, related_name="+")
    field = models.CharField(max_length=255)
    month = models.DateField()

    objects = RollupQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.archive} → {self.unit_id} {self.field} {self.month:%m/%Y}"
