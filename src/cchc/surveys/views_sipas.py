"""SIPAS staff pages: the campaigns, a campaign's results dashboard, opening and closing, and the files.

A campaign is visible to whoever may view its organiser or at least one unit surveyed in it; any other
campaign is a 404. Figures are shown only for the units the user may view (the organiser's viewers see
every unit), and the files, the province's whole table, need the right to view the organiser. The
reform office (PLAN on the organiser) creates campaigns and opens or closes them. Links, QR codes,
invitation codes, paper entry and imports are in `views_sipas_entry`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import ENTER, PLAN, VIEW, has_unit_permission, scope_filter, scope_paths
from cchc.core.periods import Period
from cchc.parindex.forms import form_problems
from cchc.parindex.views_results import DOCX_TYPE, XLSX_TYPE, _download
from cchc.surveys import documents
from cchc.surveys.forms_sipas import CampaignCreateForm, StatusForm
from cchc.surveys.indices import IndexRow, index_table
from cchc.surveys.models import CampaignStatus, ResponseChannel, SurveyCampaign, SurveyResponse, UnitQuota
from cchc.surveys.services import sipas
from cchc.units.models import Unit

BREAKDOWNS = ("unit", "field", "channel")


# -- what a user may see --------------------------------------------------------------------------


def campaign_in_view(user: Any, pk: int) -> SurveyCampaign:
    """The campaign when the user may view its organiser or one of its surveyed units; else 404."""
    campaign = get_object_or_404(SurveyCampaign.objects.select_related("organiser"), pk=pk)
    if has_unit_permission(user, VIEW, campaign.organiser):
        return campaign
    surveyed = UnitQuota.objects.filter(campaign=campaign).values("unit_id")
    if Unit.objects.for_user(user, VIEW).filter(pk__in=surveyed).exists():
        return campaign
    raise Http404


def viewer_units(user: Any, campaign: SurveyCampaign) -> QuerySet[Unit] | None:
    """The units whose figures the user sees; None when that is every unit of the campaign."""
    if has_unit_permission(user, VIEW, campaign.organiser):
        return None
    return Unit.objects.for_user(user, VIEW)


def enterable_quotas(user: Any, campaign: SurveyCampaign) -> list[UnitQuota]:
    """The surveyed units whose forms the user may enter (the reform office: all), in tree order."""
    return list(
        UnitQuota.objects.filter(campaign=campaign, unit__in=Unit.objects.for_user(user, ENTER))
        .select_related("unit")
        .order_by("unit__path")
    )


def visible_campaigns(user: Any) -> QuerySet[SurveyCampaign]:
    campaigns = SurveyCampaign.objects.select_related("organiser")
    if scope_paths(user, VIEW) is None:
        return campaigns
    surveyed = UnitQuota.objects.filter(scope_filter(user, VIEW, "unit__path")).values("campaign_id")
    return campaigns.filter(scope_filter(user, VIEW, "organiser__path") | Q(pk__in=surveyed))


def _organisers(user: Any) -> QuerySet[Unit]:
    """The top-level units the user plans for: where a campaign can be created."""
    return Unit.objects.for_user(user, PLAN).filter(parent__isnull=True).order_by("name")


# -- the list of campaigns ------------------------------------------------------------------------


def _progress(user: Any, campaigns: list[SurveyCampaign]) -> list[dict[str, Any]]:
    """Each campaign with the forms received and the quotas of the units the user may view (two queries)."""
    ids = [campaign.pk for campaign in campaigns]
    in_scope = scope_filter(user, VIEW, "unit__path")
    quotas = {
        row["campaign_id"]: row
        for row in UnitQuota.objects.filter(in_scope, campaign_id__in=ids)
        .values("campaign_id")
        .annotate(total=Sum("quota"), units=Count("id"))
    }
    received = dict(
        SurveyResponse.objects.filter(in_scope, campaign_id__in=ids)
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


def _add_service_errors(form: CampaignCreateForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisers = _organisers(user)
    choices = list(organisers)
    year = timezone.localdate().year
    initial = {"year": year, "code": f"SIPAS-{year}", "organiser": choices[0].pk if choices else None}
    form = CampaignCreateForm(organisers=organisers, initial=initial)
    status = 200
    if request.method == "POST":
        if not choices:
            raise PermissionDenied(_("Only the reform office of a province creates a satisfaction survey."))
        form = CampaignCreateForm(request.POST, organisers=organisers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = sipas.new_campaign(
                    actor=user,
                    organiser=data["organiser"],
                    template="sipas",
                    year=data["year"],
                    code=data["code"],
                    title=data["title"],
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("The survey %(title)s was created.") % {"title": campaign.title})
                return redirect("surveys:campaign", pk=campaign.pk)
        status = 400
    context = {
        "rows": _progress(user, list(visible_campaigns(user))),
        "form": form,
        "can_create": bool(choices),
        "single_organiser": len(choices) == 1,
    }
    return render(request, "surveys/sipas/campaigns.html", context, status=status)


@login_required
@require_POST
def campaign_status(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_in_view(request.user, pk)
    if not has_unit_permission(request.user, PLAN, campaign.organiser):
        raise PermissionDenied(
            _("Only the reform office of %(unit)s opens and closes this survey.")
            % {"unit": campaign.organiser.name}
        )
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
    else:
        try:
            sipas.set_status(actor=request.user, campaign=campaign, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            label = CampaignStatus(campaign.status).label
            messages.success(
                request, _("%(title)s: %(status)s.") % {"title": campaign.title, "status": label}
            )
    if request.POST.get("next") == "campaign":
        return redirect("surveys:campaign", pk=campaign.pk)
    return redirect("surveys:campaigns")


# -- the dashboard --------------------------------------------------------------------------------


def chosen_period(request: HttpRequest, campaign: SurveyCampaign) -> tuple[Period | None, str]:
    """The part of the campaign's year in ?period= (None: the whole campaign), with an error text."""
    raw = request.GET.get("period", "").strip()
    if not raw or raw == str(campaign.year):
        return None, ""
    try:
        period = Period.parse(raw)
    except ValueError:
        period = None
    if period is None or period.year != campaign.year:
        return None, _(
            "“%(value)s” is not a month or quarter of %(year)s: write %(year)s-03 or %(year)s-Q1."
        ) % {
            "value": raw,
            "year": campaign.year,
        }
    return period, ""


def period_choices(year: int) -> list[str]:
    return (
        [str(year)]
        + [f"{year}-Q{quarter}" for quarter in range(1, 5)]
        + [f"{year}-{month:02d}" for month in range(1, 13)]
    )


def group_label(by: str, key: Any) -> str:
    if by == "channel":
        return str(ResponseChannel(key).label) if key in ResponseChannel.values else str(key)
    return str(key) if key else _("Not given")


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _charts(results: documents.Results) -> dict[str, Any]:
    before = documents.previous_elements(results)
    total = results.total.elements if results.total else {}
    return {
        "units": {
            "names": [result.unit.name for result in results.rows],
            "current": [_number(result.row.overall) for result in results.rows],
            "previous": [_number(result.previous) for result in results.rows],
            "current_name": str(results.campaign.year),
            "previous_name": str(results.campaign.year - 1),
            "compared": results.previous_campaign is not None,
        },
        "elements": {
            "names": [f"{element.code}. {element.title}" for element in results.elements],
            "labels": [element.code for element in results.elements],
            "current": [_number(total.get(element.code)) for element in results.elements],
            "previous": [_number(before.get(element.code)) for element in results.elements],
            "current_name": str(results.campaign.year),
            "previous_name": str(results.campaign.year - 1),
            "compared": results.previous_total is not None,
        },
    }


def _breakdown(rows: list[IndexRow], by: str) -> list[dict[str, Any]]:
    return [{"label": group_label(by, row.key), "row": row} for row in rows]


@login_required
@require_GET
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = campaign_in_view(user, pk)
    units = viewer_units(user, survey)
    period, period_error = chosen_period(request, survey)
    by = request.GET.get("by", "unit")
    by = by if by in BREAKDOWNS else "unit"
    results = documents.result_rows(survey, units=units, period=period)
    breakdown = _breakdown(index_table(survey, by, period, units), by) if by != "unit" else []
    surveyed = UnitQuota.objects.filter(campaign=survey).values("unit_id")
    context = {
        "campaign": survey,
        "results": results,
        "rows": results.rows,
        "elements": results.elements,
        "total": results.total,
        "previous_total": results.previous_total,
        "previous_year": survey.year - 1,
        "period": period,
        "period_key": period.key if period else str(survey.year),
        "period_error": period_error,
        "periods": period_choices(survey.year),
        "by": by,
        "breakdown": breakdown,
        "charts": _charts(results),
        "sees_everything": units is None,
        "may_plan": has_unit_permission(user, PLAN, survey.organiser),
        "may_enter": Unit.objects.for_user(user, ENTER).filter(pk__in=surveyed).exists(),
    }
    return render(request, "surveys/sipas/campaign.html", context)


# -- files ----------------------------------------------------------------------------------------


def _whole_campaign(request: HttpRequest, pk: int) -> SurveyCampaign:
    survey = campaign_in_view(request.user, pk)
    if not has_unit_permission(request.user, VIEW, survey.organiser):
        raise PermissionDenied(
            _("Only those who see all of %(unit)s download the full results.")
            % {"unit": survey.organiser.name}
        )
    return survey


def _file_part(survey: SurveyCampaign) -> str:
    return slugify(survey.code) or str(survey.pk)


@login_required
@require_GET
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _whole_campaign(request, pk)
    content = documents.results_xlsx(
        documents.result_rows(survey),
        by_field=index_table(survey, "field"),
        by_channel=index_table(survey, "channel"),
    )
    return _download(content, XLSX_TYPE, f"ket-qua-khao-sat-{_file_part(survey)}.xlsx")


@login_required
@require_GET
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _whole_campaign(request, pk)
    content = documents.report_docx(documents.result_rows(survey))
    return _download(content, DOCX_TYPE, f"bao-cao-khao-sat-{_file_part(survey)}.docx")
