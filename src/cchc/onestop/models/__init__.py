"""Procedures, dossiers, their monthly rollups and archived months, import jobs and official QĐ 766 scores."""

from cchc.onestop.models.archive import ArchivedContribution, ArchivedMonth
from cchc.onestop.models.dossiers import (
    TERMINAL_STATUSES,
    UNCOUNTED_STATUSES,
    Channel,
    Dossier,
    DossierStatus,
    Outcome,
    Rating,
)
from cchc.onestop.models.feed import FeedRejected, FeedRun, FeedRunState, FeedSource
from cchc.onestop.models.index import OfficialIndexScore
from cchc.onestop.models.jobs import UNFINISHED, ImportJob, ImportKind, JobStatus
from cchc.onestop.models.procedures import LEGACY_ONLINE_LEVELS, OnlineLevel, Procedure, TimeUnit
from cchc.onestop.models.rollups import ROLLUP_COUNTS, FieldMonthRollup, RollupCounts, UnitMonthRollup

__all__ = [
    "LEGACY_ONLINE_LEVELS",
    "ROLLUP_COUNTS",
    "TERMINAL_STATUSES",
    "UNCOUNTED_STATUSES",
    "UNFINISHED",
    "ArchivedContribution",
    "ArchivedMonth",
    "Channel",
    "Dossier",
    "DossierStatus",
    "FeedRejected",
    "FeedRun",
    "FeedRunState",
    "FeedSource",
    "FieldMonthRollup",
    "ImportJob",
    "ImportKind",
    "JobStatus",
    "OfficialIndexScore",
    "OnlineLevel",
    "Outcome",
    "Procedure",
    "Rating",
    "RollupCounts",
    "TimeUnit",
    "UnitMonthRollup",
]
