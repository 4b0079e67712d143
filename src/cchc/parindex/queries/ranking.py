"""The rows and charts of the results pages, computed live until finalisation and read from the fixed
`Result` rows from then on (the figures the workbook and the decision's annex state).

A row is shown to whoever may view its unit; the caller has fetched the campaign through
`Campaign.objects.for_user`.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cchc.accounts.permissions import VIEW, has_unit_permission
from cchc.parindex.models import Assessment, Band, Campaign, Phase, Result
from cchc.parindex.queries.results import UnitResult, attach_previous, unit_results
from cchc.units.models import Unit, UnitType

CENT = Decimal("0.01")
FIXED_PHASES = (Phase.FINALISATION, Phase.PUBLISHED)


# -- the rows shown -------------------------------------------------------------------------------


@dataclass
class Row:
    """One unit's result as the pages show it, whether computed live or read from the fixed results."""

    unit: Unit
    unit_type: str
    score: Decimal
    max_points: Decimal
    index: Decimal | None
    rank: int | None
    band: str
    areas: list[dict[str, Any]]  # code, title, score, max (Decimals)
    previous_index: Decimal | None = None
    previous_rank: int | None = None
    previous_note: str = ""
    assessment_pk: int | None = None
    cells: list[dict[str, Any] | None] = field(default_factory=list)

    @property
    def index_shown(self) -> Decimal | None:
        return None if self.index is None else self.index.quantize(CENT, ROUND_HALF_UP)

    @property
    def previous_index_shown(self) -> Decimal | None:
        previous = self.previous_index
        return None if previous is None else previous.quantize(CENT, ROUND_HALF_UP)

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year (positive: moved up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def index_change(self) -> Decimal | None:
        if self.index is None or self.previous_index is None:
            return None
        return (self.index - self.previous_index).quantize(CENT, ROUND_HALF_UP)


def is_fixed(campaign: Campaign) -> bool:
    return campaign.phase in FIXED_PHASES


def _from_live(result: UnitResult) -> Row:
    return Row(
        unit=result.unit,
        unit_type=result.unit_type,
        score=result.score,
        max_points=result.max_points,
        index=result.index,
        rank=result.rank,
        band=result.band,
        areas=[
            {"code": area.code, "title": area.title, "score": area.score, "max": area.max_points}
            for area in result.areas
        ],
        previous_index=result.previous_index,
        previous_rank=result.previous_rank,
        previous_note=result.previous_note,
    )


def _from_fixed(result: Result) -> Row:
    return Row(
        unit=result.unit,
        unit_type=result.unit_type,
        score=result.score,
        max_points=result.max_points,
        index=result.index,
        rank=result.rank or None,
        band=result.band,
        areas=[
            {
                "code": area.get("code", ""),
                "title": area.get("title", ""),
                "score": Decimal(str(area.get("score", "0"))),
                "max": Decimal(str(area.get("max", "0"))),
            }
            for area in result.areas
        ],
    )


def _attach_previous(campaign: Campaign, rows: list[Row]) -> None:
    """Last year's figures by the same rules as the live computation (own result, else lineage)."""
    shells = [UnitResult(row.unit, row.unit_type, row.score, row.max_points, []) for row in rows]
    attach_previous(campaign.year, shells)
    for row, shell in zip(rows, shells, strict=True):
        row.previous_index, row.previous_rank = shell.previous_index, shell.previous_rank
        row.previous_note = shell.previous_note


def campaign_rows(campaign: Campaign, unit_type: str | None = None) -> list[Row]:
    """Every scored unit's row (of one type when given), best rank first within each type."""
    if is_fixed(campaign):
        results = Result.objects.filter(campaign=campaign).select_related("unit")
        if unit_type:
            results = results.filter(unit_type=unit_type)
        rows = [_from_fixed(result) for result in results]
        _attach_previous(campaign, rows)
    else:
        rows = [_from_live(result) for result in unit_results(campaign, unit_type)]
    assessments = dict(Assessment.objects.filter(campaign=campaign).values_list("unit_id", "pk"))
    for row in rows:
        row.assessment_pk = assessments.get(row.unit.pk)
    return sorted(rows, key=lambda row: (row.unit_type, row.rank is None, row.rank or 0, row.unit.name))


def visible_rows(user: Any, rows: list[Row]) -> list[Row]:
    return [row for row in rows if has_unit_permission(user, VIEW, row.unit)]


def area_columns(rows: list[Row]) -> list[dict[str, str]]:
    """The areas of the rows in their order, and each row's cell per area (None where it has none)."""
    columns: dict[str, str] = {}
    for row in rows:
        for area in row.areas:
            columns.setdefault(area["code"], area["title"])
    for row in rows:
        # An area that counted for nothing (a survey nobody answered) shows a dash, not 0 of 0.
        by_code = {area["code"]: area for area in row.areas if area["max"] or area["score"]}
        row.cells = [by_code.get(code) for code in columns]
    return [{"code": code, "title": title} for code, title in columns.items()]


def ranked_rows(user: Any, campaign: Campaign, unit_type: str | None) -> list[Row]:
    """The rows of `unit_type` that the user may see (none when the campaign scores no type)."""
    return visible_rows(user, campaign_rows(campaign, unit_type)) if unit_type else []


def types_present(campaign: Campaign) -> list[str]:
    present = set(campaign.assessments.order_by().values_list("unit__type", flat=True).distinct())
    return [value for value in UnitType.values if value in present]


def _as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def ranking_chart(campaign: Campaign, rows: list[Row]) -> dict[str, Any]:
    """The ranking's bar chart: each unit's index, coloured by its band in the order of the bands."""
    bands = Band.objects.filter(year=campaign.year).order_by("-min_index").values_list("label", flat=True)
    return {
        "units": [row.unit.name for row in rows],
        "indices": [_as_float(row.index_shown) for row in rows],
        "bands": [row.band for row in rows],
        "band_order": list(bands),
    }


def comparison_chart(campaign: Campaign, rows: list[Row]) -> dict[str, Any]:
    """Last year's index beside this year's, unit by unit."""
    return {
        "units": [row.unit.name for row in rows],
        "previous": [_as_float(row.previous_index_shown) for row in rows],
        "current": [_as_float(row.index_shown) for row in rows],
        "previous_name": str(campaign.year - 1),
        "current_name": str(campaign.year),
    }


def comparison_summary(rows: list[Row]) -> dict[str, int]:
    summary = {"up": 0, "down": 0, "same": 0, "new": 0}
    for row in rows:
        change = row.index_change
        if change is None:
            summary["new"] += 1
        elif change > 0:
            summary["up"] += 1
        elif change < 0:
            summary["down"] += 1
        else:
            summary["same"] += 1
    return summary
