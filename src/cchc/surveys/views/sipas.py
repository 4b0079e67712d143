"""SIPAS staff pages: the campaigns, a campaign's results dashboard, opening and closing, and the files.

A campaign is visible to whoever may view its organiser or at least one unit surveyed in it
(`SurveyCampaign.objects.for_user`); any other campaign is a 404. Figures are shown only for the units
the user may view (the organiser's viewers see every unit), and the files, the province's whole table,
need the right to view the organiser. The reform office (PLAN on the organiser) creates campaigns and
opens or closes them. Links, QR codes, invitation codes, paper entry and imports are in `sipas_entry`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import ENTER, PLAN, VIEW, has_unit_permission
from cchc.core.periods import Period
from cchc.core.replica import reads_from_replica
from cchc.kit import downloads
from cchc.kit.periods import QUARTERS, period_choices
from cchc.kit.views import form_errors_as_text, run_service
from cchc.surveys import documents
from cchc.surveys.forms.sipas import CampaignCreateForm, StatusForm
from cchc.surveys.indices import IndexRow, index_table, smallest_group
from cchc.surveys.models import CampaignStatus, ResponseChannel, SurveyCampaign, UnitQuota
from cchc.surveys.queries import sipas as queries
from cchc.surveys.services import sipas
from cchc.units.models import Unit

BREAKDOWNS = ("unit", "field", "channel")


def campaign_in_view(user: Any, pk: int) -> SurveyCampaign:
    """The campaign when the user may view its organiser or one of its surveyed units; else 404."""
    return get_object_or_404(SurveyCampaign.objects.for_user(user).select_related("organiser"), pk=pk)


# -- the list of campaigns ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    user = request.user
    # The top-level units the user plans for: where a campaign can be created.
    organisers = Unit.objects.for_user(user, PLAN).filter(parent__isnull=True).order_by("name")
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
            done, campaign = run_service(
                request,
                lambda: sipas.new_campaign(
                    actor=user,
                    organiser=data["organiser"],
                    template="sipas",
                    year=data["year"],
                    code=data["code"],
                    title=data["title"],
                ),
                form=form,
            )
            if done:
                messages.success(request, _("The survey %(title)s was created.") % {"title": campaign.title})
                return redirect("surveys:campaign", pk=campaign.pk)
        status = 400
    visible = SurveyCampaign.objects.for_user(user).select_related("organiser")
    context = {
        "rows": queries.progress(user, list(visible)),
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
        messages.error(request, form_errors_as_text(form))
    else:
        wanted = form.cleaned_data["status"]
        done, changed = run_service(
            request, lambda: sipas.set_status(actor=request.user, campaign=campaign, status=wanted)
        )
        if done:
            label = CampaignStatus(changed.status).label
            messages.success(request, _("%(title)s: %(status)s.") % {"title": changed.title, "status": label})
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


def group_label(by: str, key: Any) -> str:
    if by == "channel":
        return str(ResponseChannel(key).label) if key in ResponseChannel.values else str(key)
    return str(key) if key else _("Not given")


def _breakdown(rows: list[IndexRow], by: str) -> list[dict[str, Any]]:
    return [{"label": group_label(by, row.key), "row": row} for row in rows]


@login_required
@require_GET
@reads_from_replica
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    survey = campaign_in_view(user, pk)
    units = queries.viewer_units(user, survey)
    period, period_error = chosen_period(request, survey)
    by = request.GET.get("by", "unit")
    by = by if by in BREAKDOWNS else "unit"
    results = queries.result_rows(survey, units=units, period=period)
    breakdown = _breakdown(index_table(survey, by, period, units), by) if by != "unit" else []
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
        "periods": period_choices([survey.year], parts=QUARTERS, months=True),  # the whole year first
        "by": by,
        "breakdown": breakdown,
        "charts": queries.charts(results),
        "sees_everything": units is None,
        "smallest_group": smallest_group(),
        "may_plan": has_unit_permission(user, PLAN, survey.organiser),
        "may_enter": UnitQuota.objects.for_user(user, ENTER).filter(campaign=survey).exists(),
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
@reads_from_replica
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _whole_campaign(request, pk)
    content = documents.results_xlsx(
        queries.result_rows(survey),
        by_field=index_table(survey, "field"),
        by_channel=index_table(survey, "channel"),
    )
    return downloads.download(content, f"ket-qua-khao-sat-{_file_part(survey)}.xlsx", downloads.XLSX)


@login_required
@require_GET
@reads_from_replica
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _whole_campaign(request, pk)
    content = documents.report_docx(queries.result_rows(survey))
    return downloads.download(content, f"bao-cao-khao-sat-{_file_part(survey)}.docx", downloads.DOCX)
