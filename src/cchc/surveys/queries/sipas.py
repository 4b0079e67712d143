"""SIPAS surveys as the staff pages show them: the campaigns with their progress, a campaign's results
per unit, the links and invitation codes of the units one enters for.

`result_rows` puts together, per surveyed unit, this year's indices (`indices.units_and_total`), the unit's
overall index in last year's campaign of the same organiser (its own, else that of its single
predecessor in the unit lineage) and the one-stop rating at return, read through the metrics registry
for all the units at once. The dashboard and the files call it alike, so they state the same figures.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from cchc.accounts.permissions import PLAN, VIEW, has_unit_permission
from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.surveys.indices import IndexRow, units_and_total
from cchc.surveys.models import Element, Invitation, SurveyCampaign, SurveyResponse, UnitQuota
from cchc.units.models import Unit, UnitLineage

RATING_METRIC = "onestop.satisfaction_rate"
KNOWN_FIELDS = 200


# -- the figures ----------------------------------------------------------------------------------


@dataclass
class UnitResult:
    """One surveyed unit: this year's row (n = 0 and no index without answers), last year, the rating."""

    unit: Unit
    row: IndexRow
    previous: Decimal | None = None
    previous_from: str = ""  # the predecessor's name when last year's figure is its
    rating: Ratio | None = None

    @property
    def rating_rate(self) -> Decimal | None:
        return None if self.rating is None or self.rating.value is None else self.rating.value

    @property
    def change(self) -> Decimal | None:
        if self.row.overall is None or self.previous is None:
            return None
        return self.row.overall - self.previous


@dataclass
class Results:
    campaign: SurveyCampaign
    period: Period | None
    elements: list[Element]
    rows: list[UnitResult]
    total: IndexRow | None
    previous_campaign: SurveyCampaign | None = None
    previous_total: IndexRow | None = None
    quota_total: int = 0

    @property
    def below_quota(self) -> list[UnitResult]:
        return [result for result in self.rows if result.row.below_quota]


def previous_campaign(campaign: SurveyCampaign) -> SurveyCampaign | None:
    return (
        SurveyCampaign.objects.filter(organiser_id=campaign.organiser_id, year=campaign.year - 1)
        .order_by("code")
        .first()
    )


def same_period_last_year(period: Period | None) -> Period | None:
    """2026-Q2 -> 2025-Q2, so that a part of the year is compared with the same part."""
    return None if period is None else Period.parse(f"{period.year - 1}{period.key[4:]}")


def _single_predecessors(unit_ids: list[int]) -> dict[int, tuple[int, str]]:
    """For each unit that continues exactly one older unit: that unit's id and name."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    links = UnitLineage.objects.filter(successor_id__in=unit_ids).values_list(
        "successor_id", "predecessor_id", "predecessor__name"
    )
    for successor, predecessor, name in links:
        found[successor].append((predecessor, name))
    return {unit: pairs[0] for unit, pairs in found.items() if len(pairs) == 1}


def result_rows(
    campaign: SurveyCampaign, *, units: QuerySet[Unit] | None = None, period: Period | None = None
) -> Results:
    """Every surveyed unit within `units` (None: all), in tree order, with the totals of those units.

    A fixed number of queries whatever the number of units: the answers of each campaign are counted
    once (per unit and element; the totals are their sums), the ratings come from one metrics call.
    """
    unit_rows, total = units_and_total(campaign, period, units)
    rows = {row.key: row for row in unit_rows}
    quotas = UnitQuota.objects.filter(campaign=campaign).select_related("unit")
    if units is not None:
        quotas = quotas.filter(unit__in=units)
    quota_total = 0
    for quota in quotas:
        quota_total += quota.quota
        if quota.unit_id not in rows:
            rows[quota.unit_id] = IndexRow(key=quota.unit_id, quota=quota.quota, unit=quota.unit)
    results = sorted(
        (UnitResult(unit=row.unit, row=row) for row in rows.values() if row.unit is not None),
        key=lambda result: result.unit.path,
    )
    rating_period = period or Period.parse(str(campaign.year))
    # One call for every unit; {} when the one-stop module is not installed.
    ratings = metrics.compute_many(RATING_METRIC, [result.unit for result in results], rating_period)
    for result in results:
        result.rating = ratings.get(result.unit.pk)
    before = previous_campaign(campaign)
    previous_total = None
    if before is not None:
        earlier = same_period_last_year(period)
        last_rows, previous_total = units_and_total(before, earlier, units)
        last_year = {row.key: row.overall for row in last_rows}
        missing = [result.unit.pk for result in results if result.unit.pk not in last_year]
        predecessors = _single_predecessors(missing) if missing else {}
        for result in results:
            if result.unit.pk in last_year:
                result.previous = last_year[result.unit.pk]
            elif result.unit.pk in predecessors:
                predecessor, name = predecessors[result.unit.pk]
                result.previous, result.previous_from = last_year.get(predecessor), name
    return Results(
        campaign=campaign,
        period=period,
        elements=list(campaign.elements.order_by("position")),
        rows=results,
        total=total,
        previous_campaign=before,
        previous_total=previous_total,
        quota_total=quota_total,
    )


def previous_elements(results: Results) -> dict[str, Decimal | None]:
    return results.previous_total.elements if results.previous_total else {}


# -- what a user sees of a campaign ---------------------------------------------------------------


def viewer_units(user: Any, campaign: SurveyCampaign) -> QuerySet[Unit] | None:
    """The units whose figures the user sees; None when that is every unit of the campaign (the user
    views its organiser)."""
    if has_unit_permission(user, VIEW, campaign.organiser):
        return None
    return Unit.objects.for_user(user, VIEW)


def quotas_for(user: Any, campaign: SurveyCampaign, action: str) -> list[UnitQuota]:
    """The surveyed units on which the user may `action` (the reform office: all), in tree order."""
    return list(
        UnitQuota.objects.for_user(user, action)
        .filter(campaign=campaign)
        .select_related("unit")
        .order_by("unit__path")
    )


def progress(user: Any, campaigns: list[SurveyCampaign]) -> list[dict[str, Any]]:
    """Each campaign with the forms received and the quotas of the units the user may view (two queries)."""
    ids = [campaign.pk for campaign in campaigns]
    quotas = {
        row["campaign_id"]: row
        for row in UnitQuota.objects.for_user(user)
        .filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(total=Sum("quota"), units=Count("id"))
    }
    received = dict(
        SurveyResponse.objects.for_user(user)
        .filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "n")
    )
    rows = []
    for campaign in campaigns:
        quota = quotas.get(campaign.pk, {})
        total, n = quota.get("total") or 0, received.get(campaign.pk, 0)
        rows.append(
            {
                "campaign": campaign,
                "units": quota.get("units", 0),
                "quota": total,
                "received": n,
                "share": min(100, round(n * 100 / total)) if total else None,
                "may_plan": has_unit_permission(user, PLAN, campaign.organiser),
            }
        )
    return rows


# -- the dashboard's charts -----------------------------------------------------------------------


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def charts(results: Results) -> dict[str, Any]:
    """The figures of the two charts (units, elements), this year beside last year."""
    before = previous_elements(results)
    total = results.total.elements if results.total else {}
    return {
        "units": {
            "names": [result.unit.name for result in results.rows],
            "current": [_float(result.row.overall) for result in results.rows],
            "previous": [_float(result.previous) for result in results.rows],
            "current_name": str(results.campaign.year),
            "previous_name": str(results.campaign.year - 1),
            "compared": results.previous_campaign is not None,
        },
        "elements": {
            "names": [f"{element.code}. {element.title}" for element in results.elements],
            "labels": [element.code for element in results.elements],
            "current": [_float(total.get(element.code)) for element in results.elements],
            "previous": [_float(before.get(element.code)) for element in results.elements],
            "current_name": str(results.campaign.year),
            "previous_name": str(results.campaign.year - 1),
            "compared": results.previous_total is not None,
        },
    }


# -- links, codes and entry -----------------------------------------------------------------------


def invitation_codes(
    user: Any, campaign: SurveyCampaign, units: list[Unit]
) -> tuple[dict[int, list[str]], dict[int, int]]:
    """For the given units: their unused invitation codes, and how many codes of each are used."""
    unused: dict[int, list[str]] = defaultdict(list)
    codes = Invitation.objects.for_user(user).filter(campaign=campaign)
    for unit_id, code in (
        codes.filter(unit__in=units, used_at__isnull=True).order_by("code").values_list("unit_id", "code")
    ):
        unused[unit_id].append(code)
    used = dict(
        codes.filter(used_at__isnull=False)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return unused, used


def known_fields(campaign: SurveyCampaign) -> list[str]:
    """The fields already written on the campaign's forms, offered when typing a new one."""
    return list(
        SurveyResponse.objects.filter(campaign=campaign)
        .exclude(field="")
        .order_by("field")
        .values_list("field", flat=True)
        .distinct()[:KNOWN_FIELDS]
    )
