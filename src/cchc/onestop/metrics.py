"""Metrics the one-stop module publishes, so that plan targets and PAR Index criteria fill themselves.

A target such as "≥ 98,5 % hồ sơ giải quyết đúng hạn" with data source `onestop.on_time_rate`
reads the unit's (and its sub-units') figure for the target's period from the monthly rollups.
Definitions are those of `cchc onestop stats` (docs/onestop.md). A unit without dossiers in the
period has no data (None), never 0 % and never a count of 0.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import cast

from django.utils.translation import gettext_lazy as _

from cchc.core.metrics import Ratio, register_many
from cchc.core.periods import Period
from cchc.onestop.queries.stats import RATES, Stats, stats_for_units
from cchc.units.models import Unit

Figure = Callable[[Stats], Ratio | None]


def _publish(key: str, label: str, unit: str, figure: Figure) -> None:
    """Publish `figure` of the statistics for many units at once.

    A unit's monthly rollup row already holds its whole subtree, so the figures of every requested
    unit (nested ones included) come from one read of those units' rows, plus one count of the
    pending dossiers when the period contains today (`stats_for_units`).
    """

    def compute_many(units: Sequence[Unit], period: Period) -> dict[int, Ratio | None]:
        stats = stats_for_units(list(units), period)
        return {pk: figure(figures) for pk, figures in stats.items()}

    compute_many.__name__ = key.replace(".", "_")
    register_many(key, label, unit)(compute_many)


def _rate(key: str) -> Figure:
    def figure(stats: Stats) -> Ratio | None:
        numerator, denominator = stats.ratio(key)
        if denominator == 0:
            return None
        return Ratio(Decimal(numerator), Decimal(denominator))

    return figure


def _count(name: str) -> Figure:
    """A count; None when the unit dealt with no dossier in the period (none received, finished or
    pending), so that a unit whose data never came in does not read as "0 late" and meet its target."""

    def figure(stats: Stats) -> Ratio | None:
        counts = stats.counts
        if not (counts["received"] or counts["finished"] or counts["pending"]):
            return None
        return Ratio(Decimal(counts[name]), None)

    return figure


# Labels stay lazy (cast only for the registry's type) so they show in the reader's language.
RATE_LABELS = {
    "on_time_rate": _("Dossiers resolved early or on time"),
    "online_rate": _("Dossiers received online"),
    "digitized_rate": _("Dossiers digitised"),
    "apology_rate": _("Late dossiers with an apology letter in time"),
    "e_result_rate": _("Dossiers with an electronic result"),
    "paid_online_rate": _("Fee-bearing dossiers paid online"),
    "full_online_rate": _("Dossiers of fully online procedures submitted online"),
    "satisfaction_rate": _("Applicants satisfied at return"),
}
COUNT_LABELS = {
    "received": _("Dossiers received"),
    "finished_late": _("Dossiers resolved late"),
    "pending_overdue": _("Dossiers pending past their deadline"),
}
assert set(RATE_LABELS) == set(RATES)
for _key, _label in RATE_LABELS.items():
    _publish(f"onestop.{_key}", cast(str, _label), "%", _rate(_key))
for _key, _label in COUNT_LABELS.items():
    _publish(f"onestop.{_key}", cast(str, _label), cast(str, _("dossiers")), _count(_key))


# -- the live feed ------------------------------------------------------------------------------------


def feed_lag_hours(units: Sequence[Unit], period: Period) -> dict[int, Ratio | None]:
    """Hours of the period not yet covered by the live feed: from the oldest `data_fresh_to` of the
    enabled sources to the period's end (or now, for a period not over). 0 when the data reaches past
    the period; no data (None) when no source has delivered anything. The feed covers the whole
    province, so every unit reads the same figure."""
    import datetime

    from django.db.models import Min
    from django.utils import timezone

    from cchc.onestop.models import FeedSource

    fresh = FeedSource.objects.filter(enabled=True).aggregate(oldest=Min("data_fresh_to"))["oldest"]
    if fresh is None:
        return {}
    end_of_period = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time.max))
    end = min(timezone.now(), end_of_period)
    hours = max(Decimal(0), Decimal((end - fresh).total_seconds()) / 3600).quantize(Decimal("0.1"))
    return {unit.pk: Ratio(hours, None) for unit in units}


register_many(
    "onestop.feed_lag_hours", cast(str, _("Hours of one-stop data not yet received")), cast(str, _("hours"))
)(feed_lag_hours)
