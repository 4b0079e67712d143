"""The leadership overview ("Tổng quan") as plain data: one `Overview` per unit, period and day.

The page (`web/views/overview.py`) and the one-page brief (DOCX/PDF) both render exactly this object,
so they state the same figures. It holds numbers (Decimal, int), words and link targets, never HTML.
Field names are kept stable: the brief reads them.

Every figure is read the way the module that owns it reads it, for many units at once:
- targets: `plans.queries.read_many` (published metrics through `core.metrics.compute_many`), with the
  year-end projection of `plans.queries.projections` (early warning);
- overdue tasks: `plans.queries.overdue_tasks`, grouped by lead unit in one query;
- one-stop: the registry's `onestop.on_time_rate` for the unit and the units right below it in one call,
  the monthly trend from the rollups (`onestop.queries.stats.monthly_trend`);
- PAR Index: the latest published campaign's fixed results, last year through the unit lineage
  (`parindex.queries.results.attach_previous`);
- SIPAS: `surveys.indices.units_and_total` over the unit's subtree (index and its 95 % interval);
- feedback: `surveys.queries.feedback.unit_figures` (the feedback statistics page's figures).
The number of queries does not grow with the number of units (tests/web/test_overview_queries.py).
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.core import metrics
from cchc.core.periods import Period, period_label
from cchc.core.settings_store import get_setting
from cchc.kit.projection import Projection
from cchc.onestop.queries.stats import monthly_trend
from cchc.parindex.models import Campaign, Phase, Result
from cchc.parindex.queries.results import UnitResult, attach_previous
from cchc.plans.models import Plan, PlanStatus, Target
from cchc.plans.queries import AT_RISK, MET, MISSED, NO_DATA, TargetReading, applies, overdue_tasks, read_many
from cchc.plans.queries.projections import projections
from cchc.surveys.indices import units_and_total
from cchc.surveys.models import SurveyCampaign
from cchc.surveys.queries.feedback import unit_figures
from cchc.surveys.queries.sipas import previous_campaign, same_period_last_year
from cchc.units.models import Unit

ON_TIME_METRIC = "onestop.on_time_rate"
# A province without a plan target on the on-time rate can set its goal here (SystemSetting, percent).
ON_TIME_GOAL_SETTING = "overview.on_time_goal"
TREND_MONTHS = 12
WORST = 5
# Two decimals rounded half up, as the PAR Index pages show an index (parindex.queries.results).
CENT = Decimal("0.01")
STATE_ORDER = (MISSED, AT_RISK, MET, NO_DATA)


def state_label(state: str) -> str:
    return {
        MET: _("Met"),
        AT_RISK: _("At risk"),
        MISSED: _("Missed"),
        NO_DATA: _("No data"),
    }[state]


def _url(name: str, *args: object, **query: object) -> str:
    base = reverse(name, args=args)
    filled = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{base}?{urlencode(filled)}" if filled else base


# -- the sections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetLine:
    """One target of the plan at the chosen unit: its value in the period, the goal, the state, the
    year-end projection (None with fewer than 3 months of figures or once the year is over)."""

    pk: int
    code: str
    label: str
    comparator: str  # "≥", "≤", "=", ">", "<"
    goal: Decimal
    value: Decimal | None
    unit: str  # "%" or the word for what is counted
    state: str  # met / at_risk / missed / no_data
    state_label: str
    projection: Projection | None
    projected_miss: bool  # the projection says the goal will be missed (the early warning)
    url: str


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class TargetsSection:
    """The plan's targets by state, worst first; no plan: plan_title is "" and the lists are empty."""

    plan_pk: int | None
    plan_title: str
    plan_unit: str
    url: str
    counts: tuple[StateCount, ...]
    worst: tuple[TargetLine, ...]  # missed, then at risk, the farthest from the goal first
    lines: tuple[TargetLine, ...]  # every target, in the plan's order


@dataclass(frozen=True)
class OverdueUnit:
    unit_pk: int
    unit_name: str
    count: int
    url: str


@dataclass(frozen=True)
class TasksSection:
    """Open tasks of the plan past their deadline today, by lead unit (most first)."""

    total: int
    by_unit: tuple[OverdueUnit, ...]
    url: str


@dataclass(frozen=True)
class TrendPoint:
    month: datetime.date  # the first day of the month
    label: str  # "Tháng 9/2026"
    short: str  # "09/2026", for a chart's axis
    value: Decimal | None  # the on-time rate in percent; None: no dossier finished or pending
    url: str


@dataclass(frozen=True)
class UnitRate:
    unit_pk: int
    unit_name: str
    value: Decimal
    numerator: Decimal
    denominator: Decimal
    url: str


@dataclass(frozen=True)
class OneStopSection:
    """The share of dossiers resolved early or on time, against its goal, with its trend."""

    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    goal: Decimal | None
    goal_source: str  # the plan target's text, or the words for the configured figure; "" without goal
    met: bool | None  # None without value or goal
    trend: tuple[TrendPoint, ...]
    worst: tuple[UnitRate, ...]  # the five lowest of the units right below, lowest first
    url: str


@dataclass(frozen=True)
class ParIndexSection:
    """The latest published PAR Index: the unit's own result, or, for a unit that is not scored itself
    (the province), how its scored units fared: their count, mean index and count per band."""

    campaign_pk: int | None
    campaign_title: str
    year: int | None
    index: Decimal | None
    rank: int | None
    ranked_among: int  # units of the same type ranked in the campaign
    band: str
    previous_index: Decimal | None
    index_change: Decimal | None
    rank_change: int | None  # places gained since last year (positive: up)
    previous_note: str  # whose figure last year's is when it comes through the lineage
    units_scored: int
    mean_index: Decimal | None
    bands: tuple[tuple[str, int], ...]
    url: str

    @property
    def places_moved(self) -> int | None:
        """How many places the rank moved, up or down (rank_change says which way)."""
        return None if self.rank_change is None else abs(self.rank_change)


@dataclass(frozen=True)
class SipasSection:
    """The SIPAS satisfaction index of the unit's subtree with its 95 % interval."""

    campaign_pk: int | None
    campaign_title: str
    year: int | None
    index: Decimal | None
    low: Decimal | None
    high: Decimal | None
    responses: int
    previous: Decimal | None
    change: Decimal | None
    url: str


@dataclass(frozen=True)
class FeedbackSection:
    """Citizen feedback received in the period: handled on time (QĐ 766 5.2) and the counts."""

    received: int
    handled: int
    overdue: int
    on_time: Decimal | None
    on_time_numerator: Decimal | None
    on_time_denominator: Decimal | None
    url: str
    overdue_url: str


@dataclass(frozen=True)
class Overview:
    unit_pk: int
    unit_name: str
    period_key: str
    period_label: str
    today: datetime.date
    targets: TargetsSection
    tasks: TasksSection
    onestop: OneStopSection
    parindex: ParIndexSection
    sipas: SipasSection
    feedback: FeedbackSection


# -- reading --------------------------------------------------------------------------------------


def chosen_plan(user, unit: Unit, year: int) -> Plan | None:
    """The unit's own plan covering the year, else the plan of the nearest unit above it (the
    province's); issued plans before drafts. One query."""
    candidates = (
        Plan.objects.for_user(user)
        .filter(issuing_unit__path__in=unit.ancestor_paths(), year_from__lte=year, year_to__gte=year)
        .select_related("issuing_unit")
    )
    ranked = sorted(
        candidates,
        key=lambda plan: (
            -len(plan.issuing_unit.path),
            plan.status == PlanStatus.DRAFT,
            -plan.year_from,
            plan.pk,
        ),
    )
    return ranked[0] if ranked else None


def _gap(line: TargetLine) -> Decimal:
    """How far a figure is from its goal, relative to the goal (the bigger, the worse)."""
    value = line.value
    if value is None and line.projection is not None:
        value = line.projection.value
    if value is None:
        return Decimal(0)
    base = abs(line.goal) or Decimal(1)
    return abs(line.goal - value) / base


def _target_line(reading: TargetReading, projection: Projection | None, period: Period, today) -> TargetLine:
    target = reading.target
    state = reading.state
    # A projection exists only while its year is under way (`projections`).
    warned = projection is not None and projection.misses
    if warned and state in (MET, NO_DATA) and period.end >= today:
        state = AT_RISK  # met so far, or not measured yet, but heading below the goal
    return TargetLine(
        pk=target.pk,
        code=target.code,
        label=target.measure or target.text,
        comparator=target.get_comparator_display(),
        goal=reading.goal,
        value=reading.value,
        unit=str(target.get_unit_display()) if target.unit != "%" else "%",
        state=state,
        state_label=str(state_label(state)),
        projection=projection,
        projected_miss=warned,
        url=_url("plans:target", target.pk, period=period.key),
    )


def read_targets(
    user, unit: Unit, period: Period, today: datetime.date
) -> tuple[TargetsSection, Plan | None, list[Target]]:
    """The targets section, the plan it reads and the targets shown."""
    plan = chosen_plan(user, unit, period.year)
    if plan is None:
        empty = TargetsSection(None, "", "", _url("plans:plan-list"), (), (), ())
        return empty, None, []
    targets = list(plan.targets.prefetch_related("scope_units"))
    if unit.pk != plan.issuing_unit_id:
        targets = [target for target in targets if applies(target, unit)]
    readings = read_many([(target, unit) for target in targets], period)
    goals = {reading.target.pk: reading.goal for reading in readings}
    projected = projections(targets, unit, period.year, today, goals)
    lines = tuple(
        _target_line(reading, projected.get(reading.target.pk), period, today) for reading in readings
    )
    dashboard = _url("plans:plan-dashboard", plan.pk, period=period.key)
    counted = Counter(line.state for line in lines)
    counts = tuple(
        StateCount(state, str(state_label(state)), counted.get(state, 0), dashboard) for state in STATE_ORDER
    )
    bad = [line for line in lines if line.state in (MISSED, AT_RISK)]
    worst = sorted(bad, key=lambda line: (line.state != MISSED, -_gap(line)))[:WORST]
    section = TargetsSection(
        plan_pk=plan.pk,
        plan_title=plan.title,
        plan_unit=plan.issuing_unit.name,
        url=dashboard,
        counts=counts,
        worst=tuple(worst),
        lines=lines,
    )
    return section, plan, targets


def read_tasks(plan: Plan | None, unit: Unit, period: Period, today: datetime.date) -> TasksSection:
    if plan is None:
        return TasksSection(0, (), _url("plans:plan-list"))
    rows = (
        overdue_tasks([plan.pk], today)
        .filter(lead_unit__path__startswith=unit.path)
        .values("lead_unit_id", "lead_unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", "lead_unit__name")
    )
    url = _url("plans:plan-dashboard", plan.pk, period=period.key) + "#overdue-title"
    by_unit = tuple(OverdueUnit(row["lead_unit_id"], row["lead_unit__name"], row["n"], url) for row in rows)
    return TasksSection(sum(row.count for row in by_unit), by_unit, url)


def trend_months(period: Period, today: datetime.date) -> list[datetime.date]:
    """The twelve months up to the period's last month (or the current month, if earlier)."""
    last = min(period.end, today).replace(day=1)
    index = last.year * 12 + last.month - 1
    return [
        datetime.date((index - back) // 12, (index - back) % 12 + 1, 1)
        for back in range(TREND_MONTHS - 1, -1, -1)
    ]


def _on_time_goal(readings: tuple[TargetLine, ...], targets: list[Target]) -> tuple[Decimal | None, str]:
    sources = {target.pk: target.data_source for target in targets}
    for line in readings:
        if sources.get(line.pk) == ON_TIME_METRIC:
            return line.goal, line.label
    configured = get_setting(ON_TIME_GOAL_SETTING)
    if configured in (None, ""):
        return None, ""
    return Decimal(str(configured)), _("Goal set for the province")


def read_onestop(
    unit: Unit, period: Period, today: datetime.date, goal: Decimal | None, goal_source: str
) -> OneStopSection:
    children = list(Unit.objects.filter(parent=unit).active_on(min(period.end, today)).order_by("path"))
    figures = metrics.compute_many(ON_TIME_METRIC, [unit, *children], period)
    own = figures.get(unit.pk)
    value = None if own is None else own.value
    rated = []
    for child in children:
        ratio = figures.get(child.pk)
        if ratio is not None and ratio.value is not None and ratio.denominator is not None:
            rated.append(
                UnitRate(
                    child.pk,
                    child.name,
                    ratio.value,
                    ratio.numerator,
                    ratio.denominator,
                    _url("onestop:dashboard", unit=child.pk, period=period.key),
                )
            )
    worst = tuple(sorted(rated, key=lambda row: (row.value, row.unit_name))[:WORST])
    trend = tuple(
        TrendPoint(
            month=month,
            label=period_label(f"{month:%Y-%m}"),
            short=f"{month:%m/%Y}",
            value=stats.rate("on_time_rate"),
            url=_url("onestop:dashboard", unit=unit.pk, period=f"{month:%Y-%m}"),
        )
        for month, stats in monthly_trend(unit, trend_months(period, today))
    )
    return OneStopSection(
        value=value,
        numerator=None if own is None else own.numerator,
        denominator=None if own is None else own.denominator,
        goal=goal,
        goal_source=goal_source,
        met=None if value is None or goal is None else value >= goal,
        trend=trend,
        worst=worst,
        url=_url("onestop:dashboard", unit=unit.pk, period=period.key),
    )


def read_parindex(user, unit: Unit, period: Period) -> ParIndexSection:
    """The latest campaign published by the end of the period's year that the user may see and that
    scores the unit or units below it."""
    campaign = (
        Campaign.objects.for_user(user)
        .filter(phase=Phase.PUBLISHED, year__lte=period.year)
        .filter(Q(results__unit__path__startswith=unit.path))
        .order_by("-year", "-pk")
        .distinct()
        .first()
    )
    if campaign is None:
        return ParIndexSection(
            None, "", None, None, None, 0, "", None, None, None, "", 0, None, (), _url("parindex:campaigns")
        )
    url = _url("parindex:ranking", campaign.pk)
    results = list(
        Result.objects.filter(campaign=campaign, unit__path__startswith=unit.path).select_related("unit")
    )
    own = next((result for result in results if result.unit_id == unit.pk), None)
    if own is not None:
        shell = UnitResult(own.unit, own.unit_type, own.score, own.max_points, [])
        attach_previous(campaign.year, [shell])
        shell.rank = own.rank or None
        ranked_among = Result.objects.filter(campaign=campaign, unit_type=own.unit_type).count()
        previous = shell.previous_index
        change = None if previous is None else (own.index - previous).quantize(CENT, ROUND_HALF_UP)
        return ParIndexSection(
            campaign_pk=campaign.pk,
            campaign_title=campaign.title,
            year=campaign.year,
            index=own.index.quantize(CENT, ROUND_HALF_UP),
            rank=own.rank or None,
            ranked_among=ranked_among,
            band=own.band,
            previous_index=None if previous is None else previous.quantize(CENT, ROUND_HALF_UP),
            index_change=change,
            rank_change=shell.rank_change,
            previous_note=shell.previous_note,
            units_scored=1,
            mean_index=None,
            bands=(),
            url=_url("parindex:ranking", campaign.pk, type=own.unit_type),
        )
    bands = Counter(result.band for result in results if result.band)
    mean = sum((result.index for result in results), Decimal(0)) / len(results) if results else None
    return ParIndexSection(
        campaign_pk=campaign.pk,
        campaign_title=campaign.title,
        year=campaign.year,
        index=None,
        rank=None,
        ranked_among=0,
        band="",
        previous_index=None,
        index_change=None,
        rank_change=None,
        previous_note="",
        units_scored=len(results),
        mean_index=None if mean is None else mean.quantize(CENT, ROUND_HALF_UP),
        bands=tuple(sorted(bands.items(), key=lambda pair: -pair[1])),
        url=url,
    )


def read_sipas(unit: Unit, period: Period) -> SipasSection:
    """The campaign of the period's year organised by the unit or a unit above it (else the latest
    earlier one, read whole); the index over the unit's subtree."""
    campaign = (
        SurveyCampaign.objects.filter(organiser__path__in=unit.ancestor_paths(), year__lte=period.year)
        .order_by("-year", "code")
        .first()
    )
    if campaign is None:
        return SipasSection(None, "", None, None, None, None, 0, None, None, _url("surveys:campaigns"))
    subtree = Unit.objects.filter(path__startswith=unit.path)
    # The whole year is the whole campaign, as the campaign page reads it.
    asked = period if campaign.year == period.year and period.key != str(period.year) else None
    _rows, total = units_and_total(campaign, asked, subtree)
    previous = None
    before = previous_campaign(campaign)
    if before is not None:
        _last_rows, last_total = units_and_total(before, same_period_last_year(asked), subtree)
        previous = None if last_total is None else last_total.overall
    index = None if total is None else total.overall
    return SipasSection(
        campaign_pk=campaign.pk,
        campaign_title=campaign.title,
        year=campaign.year,
        index=index,
        low=None if total is None else total.ci_low,
        high=None if total is None else total.ci_high,
        responses=0 if total is None else total.n,
        previous=previous,
        change=None if index is None or previous is None else index - previous,
        url=_url("surveys:campaign", campaign.pk, period=asked.key if asked else None),
    )


def read_feedback(unit: Unit, period: Period, today: datetime.date) -> FeedbackSection:
    (figures,) = unit_figures([unit], period, today)
    ratio = figures["on_time"]
    return FeedbackSection(
        received=figures["received"],
        handled=figures["handled"],
        overdue=figures["overdue"],
        on_time=figures["on_time_value"],
        on_time_numerator=None if ratio is None else ratio.numerator,
        on_time_denominator=None if ratio is None else ratio.denominator,
        url=_url("surveys:feedback-stats", unit=unit.pk, period=period.key),
        overdue_url=_url("surveys:feedback-list", unit=unit.pk, overdue="on"),
    )


def build_overview(user, unit: Unit, period: Period, today: datetime.date) -> Overview:
    """Everything the overview (and the one-page brief) shows for `unit` and `period` as of `today`.
    The caller has checked that the user may view the unit."""
    targets, plan, shown = read_targets(user, unit, period, today)
    goal, goal_source = _on_time_goal(targets.lines, shown)
    return Overview(
        unit_pk=unit.pk,
        unit_name=unit.name,
        period_key=period.key,
        period_label=period.label,
        today=today,
        targets=targets,
        tasks=read_tasks(plan, unit, period, today),
        onestop=read_onestop(unit, period, today, goal, goal_source),
        parindex=read_parindex(user, unit, period),
        sipas=read_sipas(unit, period),
        feedback=read_feedback(unit, period, today),
    )
