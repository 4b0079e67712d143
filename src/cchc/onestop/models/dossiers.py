"""Dossiers (hồ sơ TTHC) received and resolved by units, as ingested from the one-stop system."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet


class Channel(models.IntegerChoices):
    """KenhThucHien of the national portal."""

    DIRECT = 1, _("in person")
    ONLINE = 2, _("online")
    POST = 3, _("by post")


class DossierStatus(models.IntegerChoices):
    """TrangThaiHoSo, the national synchronisation status codes."""

    REGISTERED = 1, _("registered online, awaiting receipt")
    RECEIVED = 2, _("received")
    REFUSED = 3, _("refused at receipt")
    PROCESSING = 4, _("being processed")
    SUPPLEMENT = 5, _("supplement requested")
    FINANCIAL = 6, _("awaiting fees or taxes")
    WITHDRAWN = 7, _("withdrawn by the applicant")
    STOPPED = 8, _("processing stopped")
    RESOLVED = 9, _("resolved")
    RETURNED = 10, _("result returned")


# Not received by the administration (still awaiting receipt, or refused): outside every statistic.
UNCOUNTED_STATUSES = (DossierStatus.REGISTERED, DossierStatus.REFUSED)
TERMINAL_STATUSES = (
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
    DossierStatus.RESOLVED,
    DossierStatus.RETURNED,
)


class Outcome(models.IntegerChoices):
    EARLY = 1, _("early")
    ON_TIME = 2, _("on time")
    LATE = 3, _("late")


class Rating(models.IntegerChoices):
    SATISFIED = 1, _("satisfied")
    NEUTRAL = 2, _("neutral")
    UNSATISFIED = 3, _("unsatisfied")


class DossierQuerySet(ScopedQuerySet):
    """Dossiers belong to the unit that received them."""

    scope_path = "unit__path"


class Dossier(models.Model):
    """One application for a procedure at a unit, with its dates and what happened to it.

    The first group of fields is what the source system sends; the second is derived on import
    by the rules in docs/onestop.md (due date when absent, outcome, the moment from which a pending
    dossier counts as overdue, whether the apology letter was in time) and the months the dossier
    counts in, so that rollups and lists are plain indexed queries.
    """

    # Unique through Meta.constraints rather than unique=True, which on PostgreSQL adds a second
    # index on the code for LIKE prefix searches that nothing makes: one index less to maintain on
    # every import (and to rebuild after a first load).
    code = models.CharField(_("dossier code"), max_length=64)
    procedure = models.ForeignKey(
        "onestop.Procedure", on_delete=models.PROTECT, related_name="dossiers", db_index=False
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossiers", db_index=False)
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("status"), choices=DossierStatus.choices)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    supplements = models.JSONField(_("supplement requests"), default=list, blank=True)
    apology_at = models.DateTimeField(_("apology letter sent at"), null=True, blank=True)
    rescheduled_due_at = models.DateTimeField(_("new appointment"), null=True, blank=True)
    digitized = models.BooleanField(_("digitised"), default=False)
    e_result = models.BooleanField(_("electronic result"), default=False)
    paid_online = models.BooleanField(_("paid online"), default=False)
    rating = models.PositiveSmallIntegerField(
        _("rating at return"), choices=Rating.choices, null=True, blank=True
    )

    due_computed = models.BooleanField(_("due date computed here"), default=False)
    counted = models.BooleanField(default=True, help_text="False for dossiers not received (status 1 or 3).")
    supplement_count = models.PositiveSmallIntegerField(default=0)
    outcome = models.PositiveSmallIntegerField(_("outcome"), choices=Outcome.choices, null=True, blank=True)
    overdue_from = models.DateTimeField(
        _("overdue from"),
        null=True,
        blank=True,
        help_text="While pending, past its deadline after this moment.",
    )
    apology_valid = models.BooleanField(_("apology in time"), default=False)
    # The partition key on PostgreSQL (docs/onestop.md, "Partitions"): the local month of receipt.
    received_month = models.DateField()
    finished_month = models.DateField(null=True, blank=True)
    overdue_month = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(_("last imported"))
    # The code of the province the unit belongs to, set on import: the key by which a sharded store
    # (Citus) would distribute the dossiers, so every unique key already carries it (docs/onestop.md).
    province_code = models.CharField(_("province code"), max_length=50, default="", blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received"),
            models.Index(fields=["unit", "finished_at"], name="dossier_unit_finished"),
            models.Index(
                fields=["unit", "overdue_from"], name="dossier_pending", condition=Q(finished_at__isnull=True)
            ),
        ]
        # No index on the procedure: procedures change only through imports and are never deleted, so
        # nothing asks for a procedure's dossiers but a delete that never comes (the foreign key still
        # holds). It cost 4–5 s of every 10 M-row first load and a write per row of every import.
        # A code names one dossier; the key also holds the partition key (received_month) and the
        # distribution key (province_code), as PostgreSQL partitioning and Citus require of every
        # unique key. The import keeps one row per code when a dossier's month changes.
        constraints = [
            models.UniqueConstraint(
                fields=["code", "received_month", "province_code"], name="dossier_code_month_province"
            )
        ]

    def __str__(self) -> str:
        return self.code
