"""The figures the packages carry, per province and month: one-stop rates from the field-month rows,
every metric of the metrics rows, and the PAR Index results of each year.

A province's figure is read from its current revision of the month. One-stop counts are the units'
own, so they are added up over the province. A metric's value is the province's own row (its rates
already cover the units below it), added up over the old provinces for a month before 1/7/2025, when a
package speaks of them: ratios only, since nothing says whether a single value adds up (hours of feed
lag do not), so several old provinces' single values give no figure. A PAR Index figure is the mean
index of the province's scored units that year.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Sum
from django.utils.translation import gettext_lazy as _

from cchc.core import metrics
from cchc.exchange.models import ExchangePackage, FieldMonthRow, MetricRow, PackageStatus, ParResultRow
from cchc.units.models import UnitType

PERCENT, COUNT, INDEX, QUANTITY = "percent", "count", "index", "quantity"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # PERCENT, COUNT, INDEX or QUANTITY: how the page prints it


# One-stop figures from the counts: (key, label, numerator counts, denominator counts or None).
ONESTOP = [
    ("received", _("Dossiers received"), ["received"], None),
    ("finished", _("Dossiers finished"), ["finished"], None),
    (
        "on_time_rate",
        _("Finished early or on time (%)"),
        ["finished_early", "finished_on_time"],
        ["finished"],
    ),
    ("online_rate", _("Received online (%)"), ["received_online"], ["received"]),
    ("digitized_rate", _("Received and digitised (%)"), ["received_digitized"], ["received"]),
    (
        "full_online_rate",
        _("Fully online procedures received online (%)"),
        ["received_full_online_online"],
        ["received_full_online"],
    ),
    ("paid_online_rate", _("Fees paid online (%)"), ["received_paid_online"], ["received_fee"]),
    ("e_result_rate", _("Electronic results (%)"), ["finished_e_result"], ["finished_written"]),
    ("apology_rate", _("Late dossiers with an apology (%)"), ["finished_late_apology"], ["finished_late"]),
    (
        "satisfaction_rate",
        _("Satisfied ratings (%)"),
        ["rated_satisfied"],
        ["rated_satisfied", "rated_neutral", "rated_unsatisfied"],
    ),
]
_ONESTOP = {key: (label, top, base) for key, label, top, base in ONESTOP}


def current_packages(registration_ids: list[int], period: str) -> dict[int, ExchangePackage]:
    """registration id -> its latest accepted revision of the month."""
    found: dict[int, ExchangePackage] = {}
    packages = ExchangePackage.objects.filter(
        registration_id__in=registration_ids, period=period, status=PackageStatus.ACCEPTED
    ).order_by("registration_id", "-revision")
    for package in packages:
        found.setdefault(package.registration_id, package)
    return found


def catalogue(package_ids: list[int]) -> list[Figure]:
    """Every figure the month's packages can be compared on: the one-stop ones always, then the
    metrics and PAR Index years that some package carries."""
    figures = [
        Figure(f"onestop:{key}", str(label), COUNT if base is None else PERCENT)
        for key, (label, _top, base) in _ONESTOP.items()
    ]
    rows = MetricRow.objects.filter(package_id__in=package_ids)
    keys = rows.values_list("metric", flat=True).distinct()
    # A metric this instance does not know (a newer province's) is a rate when its rows carry bases.
    single = set(rows.filter(denominator__isnull=True).values_list("metric", flat=True).distinct())
    for key in sorted(set(keys)):
        metric = metrics.find(key)
        label = str(metric.label) if metric is not None else key
        rate = metric.unit == "%" if metric is not None else key not in single
        figures.append(Figure(f"metric:{key}", label, PERCENT if rate else QUANTITY))
    years = ParResultRow.objects.filter(package_id__in=package_ids).values_list("year", flat=True).distinct()
    for year in sorted(set(years), reverse=True):
        figures.append(
            Figure(f"par:{year}", str(_("PAR Index %(year)s: mean of the units") % {"year": year}), INDEX)
        )
    return figures


def _rate(top: Decimal, base: Decimal | None) -> Decimal | None:
    if base is None:
        return top
    return None if not base else top * 100 / base


def values(figure_key: str, package_ids: list[int]) -> dict[int, Decimal | None]:
    """package id -> the figure's value (None: no data, never zero); unknown keys give nothing."""
    family, _sep, name = figure_key.partition(":")
    if family == "onestop" and name in _ONESTOP:
        _label, top, base = _ONESTOP[name]
        columns = sorted(set(top) | set(base or []))
        sums = (
            FieldMonthRow.objects.filter(package_id__in=package_ids)
            .values("package_id")
            .annotate(**{column: Sum(column) for column in columns})
        )
        return {
            row["package_id"]: _rate(
                Decimal(sum(row[c] or 0 for c in top)),
                None if base is None else Decimal(sum(row[c] or 0 for c in base)),
            )
            for row in sums
        }
    if family == "metric" and name:
        sums = (
            MetricRow.objects.filter(package_id__in=package_ids, metric=name, unit__type=UnitType.PROVINCE)
            .values("package_id")
            .annotate(
                top=Sum("numerator"),
                base=Sum("denominator"),
                rows=Count("id"),
                plain=Count("id") - Count("denominator"),
            )
        )
        # A sum of single values would read as the province's figure when it may mean nothing.
        return {
            row["package_id"]: None
            if row["plain"] and row["rows"] > 1
            else _rate(row["top"], None if row["plain"] else row["base"])
            for row in sums
        }
    if family == "par" and name.isdigit():
        means = (
            ParResultRow.objects.filter(package_id__in=package_ids, year=int(name))
            .values("package_id")
            .annotate(mean=Avg("index"))
        )
        return {row["package_id"]: row["mean"] for row in means}
    return {}


def find(figures: list[Figure], key: str) -> Figure | None:
    return next((figure for figure in figures if figure.key == key), None)


def sort_rows(rows: list[dict[str, Any]], by: str, descending: bool) -> list[dict[str, Any]]:
    """By value (no data always last) or by code or name."""
    if by == "value":
        with_value = sorted(
            (r for r in rows if r["value"] is not None), key=lambda r: r["value"], reverse=descending
        )
        return with_value + [r for r in rows if r["value"] is None]
    field = "name" if by == "name" else "code"
    return sorted(rows, key=lambda r: r[field], reverse=descending)
