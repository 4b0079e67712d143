"""Campaign pages: the campaigns a user can see, one campaign's phases and its scorecards, the deadlines and
the move to the next phase. The scorecard itself and its items are in `views.items`.

A campaign is visible to whoever sees its organising unit or a unit scored in it; the scorecards listed
are those of the units the user sees, so a unit's people find only their own. Changes are POST only and go
through the services: a refusal (ValidationError) is shown as a message, PermissionDenied becomes a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import PLAN, VIEW, has_unit_permission
from cchc.kit.views import form_errors_as_messages, run_service
from cchc.parindex.forms import AdvanceForm, CampaignForm, DeadlinesForm
from cchc.parindex.models import PHASE_DEADLINE_FIELDS, Campaign, Phase
from cchc.parindex.queries import campaigns as queries
from cchc.parindex.services import campaigns as services

# -- the list of campaigns -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisers = queries.organisers(user)
    choices = list(organisers)
    can_create = bool(choices)
    initial = {"year": timezone.localdate().year, "organiser": choices[0].pk if len(choices) == 1 else None}
    form = CampaignForm(organisers=organisers, initial=initial)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(_("Only the reform office of a province opens a PAR Index campaign."))
        form = CampaignForm(request.POST, organisers=organisers)
        if not form.is_valid():
            form_errors_as_messages(request, form)
        else:
            opened, campaign = run_service(
                request,
                lambda: services.create_campaign(
                    actor=user,
                    organiser=form.cleaned_data["organiser"],
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    deadlines=form.deadlines(),
                ),
            )
            if opened:
                messages.success(request, _("The campaign %(title)s was opened.") % {"title": campaign.title})
                return redirect("parindex:campaign", pk=campaign.pk)
    context = {
        "rows": queries.campaign_list(user),
        "form": form,
        "can_create": can_create,
        "single_organiser": len(choices) == 1,
    }
    return render(request, "parindex/campaign/list.html", context)


# -- one campaign -------------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = get_object_or_404(Campaign.objects.for_user(user).select_related("organiser"), pk=pk)
    can_plan = has_unit_permission(user, PLAN, campaign.organiser)
    next_phase = queries.next_phase(campaign)
    initial = {field: getattr(campaign, field) for field in PHASE_DEADLINE_FIELDS.values()}
    context = {
        "campaign": campaign,
        "timeline": queries.timeline(campaign),
        "rows": queries.scorecards(user, campaign),
        "can_plan": can_plan and campaign.phase != Phase.PUBLISHED,
        "sees_organiser": has_unit_permission(user, VIEW, campaign.organiser),
        "deadlines_form": DeadlinesForm(initial=initial),
        "advance_form": AdvanceForm(initial={"decision_number": campaign.decision_number}),
        "next_phase": Phase(next_phase).label if next_phase else "",
        "asks_decision": next_phase == Phase.PUBLISHED,
    }
    return render(request, "parindex/campaign/detail.html", context)


def _planned_campaign(request: HttpRequest, pk: int) -> Campaign:
    """The campaign, if the user sees it (else 404) and plans it (else 403)."""
    campaign = get_object_or_404(Campaign.objects.for_user(request.user).select_related("organiser"), pk=pk)
    if not has_unit_permission(request.user, PLAN, campaign.organiser):
        raise PermissionDenied(
            _("Only the reform office of %(unit)s runs this campaign.") % {"unit": campaign.organiser.name}
        )
    return campaign


@login_required
@require_POST
def campaign_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _planned_campaign(request, pk)
    form = DeadlinesForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("parindex:campaign", pk=campaign.pk)
    run_service(
        request,
        lambda: services.set_deadlines(actor=request.user, campaign=campaign, deadlines=form.deadlines()),
        success=_("The deadlines were saved."),
    )
    return redirect("parindex:campaign", pk=campaign.pk)


@login_required
@require_POST
def campaign_advance(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _planned_campaign(request, pk)
    form = AdvanceForm(request.POST)
    form.is_valid()
    advanced, moved = run_service(
        request,
        lambda: services.advance_phase(
            actor=request.user,
            campaign=campaign,
            decision_number=form.cleaned_data.get("decision_number", ""),
        ),
    )
    if advanced:
        messages.success(
            request,
            _("The campaign is now in the “%(phase)s” phase.") % {"phase": Phase(moved.phase).label},
        )
    return redirect("parindex:campaign", pk=campaign.pk)
