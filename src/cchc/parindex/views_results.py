"""Results of a campaign: the ranking within a unit type, the comparison with last year, the official files.

Until finalisation the figures are computed from the items as they stand and the pages say they are
provisional; from finalisation on they are the fixed `Result` rows, the same figures the workbook and
the decision's annex contain. A user sees the rows of the units he may view (the organiser's viewers
see every row); a campaign none of whose units he may view is a 404. The files are the province's
whole table: they need the right to view the organiser.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.accounts.permissions import PLAN, VIEW, has_unit_permission
from cchc.parindex import documents
from cchc.parindex.models import Assessment, Band, Campaign, Phase, Result
from cchc.parindex.results import UnitResult, attach_previous, unit_results
from cchc.units.models import Unit, UnitType

CENT = Decimal("0.01")
FIXED_PHASES = (Phase.FINALISATION, Phase.PUBLISHED)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


# -- which campaign, which type -------------------------------------------------------------------


def campaign_in_view(request: HttpRequest, pk: int) -> Campaign:
    """The campaign, when the user may view its organiser or at least one of its scored units; else 404."""
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    user = request.user
    if has_unit_permission(user, VIEW, campaign.organiser):
        return campaign
    if Unit.objects.for_user(user, VIEW).filter(par_assessments__campaign=campaign).exists():
        return campaign
    raise Http404


def types_present(campaign: Campaign) -> list[str]:
    present = set(campaign.assessments.order_by().values_list("unit__type", flat=True).distinct())
    return [value for value in UnitType.values if value in present]


def chosen_type(request: HttpRequest, types: list[str]) -> str | None:
    raw = request.GET.get("type", "").strip()
    if raw and raw in types:
        return raw
    return types[0] if types else None


def _common_context(request: HttpRequest, campaign: Campaign, types: list[str], unit_type: str | None):
    user = request.user
    return {
        "campaign": campaign,
        "fixed": is_fixed(campaign),
        "types": [{"value": value, "label": UnitType(value).label} for value in types],
        "unit_type": unit_type,
        "unit_type_label": UnitType(unit_type).label if unit_type else "",
        "sees_everything": has_unit_permission(user, VIEW, campaign.organiser),
        "may_plan": has_unit_permission(user, PLAN, campaign.organiser),
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# -- pages ----------------------------------------------------------------------------------------


@login_required
@require_GET
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_in_view(request, pk)
    types = types_present(campaign)
    unit_type = chosen_type(request, types)
    rows = visible_rows(request.user, campaign_rows(campaign, unit_type)) if unit_type else []
    areas = area_columns(rows)
    bands = list(
        Band.objects.filter(year=campaign.year).order_by("-min_index").values_list("label", flat=True)
    )
    chart = {
        "units": [row.unit.name for row in rows],
        "indices": [_number(row.index_shown) for row in rows],
        "bands": [row.band for row in rows],
        "band_order": bands,
    }
    context = {
        **_common_context(request, campaign, types, unit_type),
        "rows": rows,
        "areas": areas,
        "chart": chart,
        "compared": any(row.previous_index is not None for row in rows),
    }
    return render(request, "parindex/results/ranking.html", context)


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


@login_required
@require_GET
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_in_view(request, pk)
    types = types_present(campaign)
    unit_type = chosen_type(request, types)
    rows = visible_rows(request.user, campaign_rows(campaign, unit_type)) if unit_type else []
    chart = {
        "units": [row.unit.name for row in rows],
        "previous": [_number(row.previous_index_shown) for row in rows],
        "current": [_number(row.index_shown) for row in rows],
        "previous_name": str(campaign.year - 1),
        "current_name": str(campaign.year),
    }
    context = {
        **_common_context(request, campaign, types, unit_type),
        "rows": rows,
        "chart": chart,
        "summary": comparison_summary(rows),
        "previous_year": campaign.year - 1,
    }
    return render(request, "parindex/results/comparison.html", context)


# -- files ----------------------------------------------------------------------------------------


def _exportable(request: HttpRequest, pk: int) -> Campaign | None:
    """The campaign when its whole table may be downloaded; None (with a message) before finalisation."""
    campaign = campaign_in_view(request, pk)
    if not has_unit_permission(request.user, VIEW, campaign.organiser):
        raise PermissionDenied(
            _("Only those who see all of %(unit)s download the full results.")
            % {"unit": campaign.organiser.name}
        )
    if not is_fixed(campaign):
        messages.warning(request, _("The results can be downloaded once they are fixed at finalisation."))
        return None
    return campaign


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _exportable(request, pk)
    if campaign is None:
        return redirect("parindex:ranking", pk=pk)
    content = documents.results_xlsx(campaign)
    return _download(content, XLSX_TYPE, f"ket-qua-chi-so-cchc-{campaign.year}.xlsx")


@login_required
@require_GET
def annex_docx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _exportable(request, pk)
    if campaign is None:
        return redirect("parindex:ranking", pk=pk)
    content = documents.annex_docx(campaign)
    return _download(content, DOCX_TYPE, f"phu-luc-chi-so-cchc-{campaign.year}.docx")
