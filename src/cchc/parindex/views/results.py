"""Results of a campaign: the ranking within a unit type, the comparison with last year, the official files.

Until finalisation the figures are computed from the items as they stand and the pages say they are
provisional; from finalisation on they are the fixed `Result` rows, the same figures the workbook and
the decision's annex contain. A user sees the rows of the units he may view (the organiser's viewers
see every row); a campaign none of whose units he may view is a 404. The files are the province's
whole table: they need the right to view the organiser.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.accounts.permissions import PLAN, VIEW, has_unit_permission
from cchc.core.replica import reads_from_replica
from cchc.kit import downloads
from cchc.parindex import documents
from cchc.parindex.models import Campaign
from cchc.parindex.queries import ranking as queries
from cchc.units.models import UnitType

# -- which campaign, which type -------------------------------------------------------------------


def campaign_in_view(request: HttpRequest, pk: int) -> Campaign:
    """The campaign, when the user may view its organiser or at least one of its scored units; else 404."""
    return get_object_or_404(Campaign.objects.for_user(request.user).select_related("organiser"), pk=pk)


def chosen_type(request: HttpRequest, types: list[str]) -> str | None:
    raw = request.GET.get("type", "").strip()
    if raw and raw in types:
        return raw
    return types[0] if types else None


def _common_context(request: HttpRequest, campaign: Campaign, types: list[str], unit_type: str | None):
    user = request.user
    return {
        "campaign": campaign,
        "fixed": queries.is_fixed(campaign),
        "types": [{"value": value, "label": UnitType(value).label} for value in types],
        "unit_type": unit_type,
        "unit_type_label": UnitType(unit_type).label if unit_type else "",
        "sees_everything": has_unit_permission(user, VIEW, campaign.organiser),
        "may_plan": has_unit_permission(user, PLAN, campaign.organiser),
    }


# -- pages ----------------------------------------------------------------------------------------


@login_required
@require_GET
@reads_from_replica
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_in_view(request, pk)
    types = queries.types_present(campaign)
    unit_type = chosen_type(request, types)
    rows = queries.ranked_rows(request.user, campaign, unit_type)
    context = {
        **_common_context(request, campaign, types, unit_type),
        "rows": rows,
        "areas": queries.area_columns(rows),
        "chart": queries.ranking_chart(campaign, rows),
        "compared": any(row.previous_index is not None for row in rows),
    }
    return render(request, "parindex/results/ranking.html", context)


@login_required
@require_GET
@reads_from_replica
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_in_view(request, pk)
    types = queries.types_present(campaign)
    unit_type = chosen_type(request, types)
    rows = queries.ranked_rows(request.user, campaign, unit_type)
    context = {
        **_common_context(request, campaign, types, unit_type),
        "rows": rows,
        "chart": queries.comparison_chart(campaign, rows),
        "summary": queries.comparison_summary(rows),
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
    if not queries.is_fixed(campaign):
        messages.warning(request, _("The results can be downloaded once they are fixed at finalisation."))
        return None
    return campaign


@login_required
@require_GET
@reads_from_replica
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _exportable(request, pk)
    if campaign is None:
        return redirect("parindex:ranking", pk=pk)
    content = documents.results_xlsx(campaign)
    return downloads.download(content, f"ket-qua-chi-so-cchc-{campaign.year}.xlsx", downloads.XLSX)


@login_required
@require_GET
@reads_from_replica
def annex_docx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _exportable(request, pk)
    if campaign is None:
        return redirect("parindex:ranking", pk=pk)
    content = documents.annex_docx(campaign)
    return downloads.download(content, f"phu-luc-chi-so-cchc-{campaign.year}.docx", downloads.DOCX)
