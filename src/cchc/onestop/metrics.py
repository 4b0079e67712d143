"""Metrics the one-stop module publishes, so that plan targets and PAR Index criteria fill themselves.

A target such as "≥ 98,5 % hồ sơ giải quyết đúng hạn" with data source `onestop.on_time_rate`
reads the unit's (and its sub-units') figure for the target's period from the monthly rollups.
Definitions are those of `cchc onestop stats` (docs/onestop.md). A unit without dossiers in the
period has no data (None), never 0 % and never a count of 0.
"""

from decimal import Decimal
from typing import cast

from django.utils.translation import gettext_lazy as _

from cchc.core.metrics import Ratio, register
from cchc.core.periods import Period
from cchc.onestop.queries import RATES, unit_stats
from cchc.units.models import Unit


def _rate(key: str, unit: Unit, period: Period) -> Ratio | None:
    numerator, denominator = unit_stats(unit, period).ratio(key)
    if denominator == 0:
        return None
    return Ratio(Decimal(numerator), Decimal(denominator))


def _count(name: str, unit: Unit, period: Period) -> Ratio | None:
    """A count; None when the unit dealt with no dossier in the period (none received, finished or
    pending), so that a unit whose data never came in does not read as "0 late" and meet its target."""
    counts = unit_stats(unit, period).counts
    if not (counts["received"] or counts["finished"] or counts["pending"]):
        return None
    return Ratio(Decimal(counts[name]), None)


def _register_rate(key: str, label: str) -> None:
    def compute(unit: Unit, period: Period) -> Ratio | None:
        return _rate(key, unit, period)

    compute.__name__ = key
    register(f"onestop.{key}", label, "%")(compute)


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
assert set(RATE_LABELS) == set(RATES)
for _key, _label in RATE_LABELS.items():
    _register_rate(_key, cast(str, _label))


@register("onestop.received", cast(str, _("Dossiers received")), cast(str, _("dossiers")))
def received(unit: Unit, period: Period) -> Ratio | None:
    return _count("received", unit, period)


@register("onestop.finished_late", cast(str, _("Dossiers resolved late")), cast(str, _("dossiers")))
def finished_late(unit: Unit, period: Period) -> Ratio | None:
    return _count("finished_late", unit, period)


@register(
    "onestop.pending_overdue", cast(str, _("Dossiers pending past their deadline")), cast(str, _("dossiers"))
)
def pending_overdue(unit: Unit, period: Period) -> Ratio | None:
    return _count("pending_overdue", unit, period)
