"""Monthly rollups of dossiers: what every dashboard reads instead of the dossiers themselves.

Each row holds counts for one month. A dossier adds to the month it was received in, the month it
was finished in, and (when it stayed pending past its deadline across a month end) the month it
became overdue; pending figures at a month's end are running sums of those counts (docs/onestop.md).
"""

from django.db import models

from cchc.core.scoping import ScopedQuerySet

ROLLUP_COUNTS = (
    "received",
    "received_online",
    "received_digitized",
    "received_fee",
    "received_paid_online",
    "received_full_online",  # dossiers of procedures offered fully online
    "received_full_online_online",  # … of which submitted online
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "finished_late_apology",
    "finished_written",  # finished dossiers of procedures whose result is a written document
    "finished_e_result",  # … of which with an electronic result
    "rated_satisfied",
    "rated_neutral",
    "rated_unsatisfied",
    "overdue_in",  # pending dossiers that became overdue in the month and were still pending at its end
    "overdue_out",  # finished in the month after being pending past their deadline at an earlier month end
)


class RollupQuerySet(ScopedQuerySet):
    """A rollup row belongs to its unit: whoever may view the unit may read its counts."""

    scope_path = "unit__path"


class RollupCounts(models.Model):
    """The counts every rollup row carries (see ROLLUP_COUNTS)."""

    received = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_digitized = models.IntegerField(default=0)
    received_fee = models.IntegerField(default=0)
    received_paid_online = models.IntegerField(default=0)
    received_full_online = models.IntegerField(default=0)
    received_full_online_online = models.IntegerField(default=0)
    finished = models.IntegerField(default=0)
    finished_early = models.IntegerField(default=0)
    finished_on_time = models.IntegerField(default=0)
    finished_late = models.IntegerField(default=0)
    finished_late_apology = models.IntegerField(default=0)
    finished_written = models.IntegerField(default=0)
    finished_e_result = models.IntegerField(default=0)
    rated_satisfied = models.IntegerField(default=0)
    rated_neutral = models.IntegerField(default=0)
    rated_unsatisfied = models.IntegerField(default=0)
    overdue_in = models.IntegerField(default=0)
    overdue_out = models.IntegerField(default=0)

    class Meta:
        abstract = True


class FieldMonthRollup(RollupCounts):
    """Counts of one unit's own dossiers (not its sub-units') in one field (lĩnh vực) and month."""

    # No foreign key in the database: a large first load writes this table without its keys and
    # rebuilds them, and dropping a foreign key locks the table it points at against every reader
    # until the commit (every page reads the units). The rows come from dossiers, whose own foreign
    # key holds the units; `cchc onestop check` compares them with the dossiers.
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, db_index=False, db_constraint=False, related_name="+"
    )
    field = models.CharField(max_length=255)
    month = models.DateField()

    objects = RollupQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "field", "month"], name="field_month_rollup_unique")
        ]
        indexes = [models.Index(fields=["month"], name="field_month_rollup_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.field} {self.month:%m/%Y}"


class UnitMonthRollup(RollupCounts):
    """Counts of a unit and everything below it, for one month: one row answers a unit's month.

    Besides the month's counts it holds the stocks at the month's end (running sums of every month
    so far), so that no question needs more than the rows of its own months. A unit without a row
    for a month had nothing that month: no flows and nothing pending.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, db_index=False, related_name="+")
    month = models.DateField()
    pending = models.IntegerField(
        default=0, help_text="Received by the month's end and not finished by then."
    )
    pending_overdue = models.IntegerField(
        default=0, help_text="Of those, past their deadline at the month's end."
    )

    objects = RollupQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="unit_month_rollup_unique")]
        indexes = [models.Index(fields=["month", "unit"], name="unit_month_rollup_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y}"
