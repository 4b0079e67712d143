"""Old feed runs leave the source's page: a source pulled every 15 minutes makes 96 runs a day.

A run that set records aside is kept whatever its age (its rejected records are the only copy of what
the source sent), and so is each source's latest run (the list's "last run" reads it).
"""

import datetime

from django.conf import settings
from django.utils import timezone

from cchc.onestop.models import FeedRun, FeedRunState, FeedSource


def prune_runs(*, now: datetime.datetime | None = None) -> int:
    """Delete the finished runs older than CCHC_FEED_RUNS_KEEP_DAYS that rejected nothing; how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.CCHC_FEED_RUNS_KEEP_DAYS)
    latest = [run.pk for source in FeedSource.objects.all() if (run := source.runs.first()) is not None]
    old = FeedRun.objects.filter(started_at__lt=cutoff, rejected=0).exclude(state=FeedRunState.RUNNING)
    deleted, _by_model = old.exclude(pk__in=latest).delete()
    return deleted
