"""Campaign pages: the campaigns a user can see, one campaign's phases and its scorecards, the deadlines and
the move to the next phase. The scorecard itself and its items are in `views_items`.

A campaign is visible to whoever sees its organising unit or a unit scored in it; the scorecards listed
are those of the units the user sees, so a unit's people find only their own. Changes are POST only and go
through the services: a refusal (ValidationError) is shown as a message, PermissionDenied becomes a 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.accounts.permissions import PLAN, VIEW, has_unit_permission, scope_filter, scope_paths
from cchc.parindex.forms import AdvanceForm, CampaignForm, DeadlinesForm, form_problems
from cchc.parindex.models import (
    PHASE_DEADLINE_FIELDS,
    PHASE_ORDER,
    Assessment,
    Campaign,
    Criterion,
    Item,
    Method,
    Phase,
)
from cchc.parindex.results import SELF, AreaScore, UnitResult, area_of, leaf_points
from cchc.parindex.services import campaigns as services
from cchc.parindex.survey import survey_scores
from cchc.units.models import Unit

ZERO = Decimal(0)


# -- what a user may see ------------------------------------------------------------------------------


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(scope_filter(user, VIEW, "unit__path"))


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns whose organiser the user sees, or in which a unit the user sees is scored."""
    campaigns = Campaign.objects.select_related("organiser")
    if scope_paths(user, VIEW) is None:
        return campaigns
    scored = visible_assessments(user).values("campaign_id")
    return campaigns.filter(scope_filter(user, VIEW, "organiser__path") | Q(pk__in=scored))


def phase_open(campaign: Campaign, phase: str) -> bool:
    """The campaign is in `phase` and the phase's last day has not passed."""
    if campaign.phase != phase:
        return False
    deadline = campaign.deadline(phase)
    return deadline is None or timezone.localdate() <= deadline


def refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# -- totals of scorecards -------------------------------------------------------------------------------


@dataclass
class Totals:
    """A scorecard's self-assessed and final totals with their breakdown by area, and appraisal progress."""

    self: UnitResult
    final: UnitResult
    to_appraise: int = 0
    appraised: int = 0


def _clamp(result: UnitResult) -> None:
    result.score = min(max(result.score, ZERO), result.max_points)


def scorecard_totals(
    assessments: Iterable[Assessment],
    items: Iterable[Item],
    campaign: Campaign,
    criteria: dict[int, Criterion] | None = None,
) -> dict[int, Totals]:
    """Assessment id -> Totals, by the rules of `cchc.parindex.results` (the ranking's own computation).

    `items` carry their criterion; `criteria` (id -> criterion) covers the assessments' sets, read here
    when not given.
    """
    by_id = {assessment.pk: assessment for assessment in assessments}
    if criteria is None:
        set_ids = {assessment.criteria_set_id for assessment in by_id.values()}
        criteria = {node.pk: node for node in Criterion.objects.filter(criteria_set__in=set_ids)}
    survey = survey_scores(campaign)
    totals: dict[int, Totals] = {}
    areas: dict[tuple[int, str, int], AreaScore] = {}
    for item in sorted(items, key=lambda item: (item.assessment_id, item.criterion.position)):
        assessment = by_id[item.assessment_id]
        item.assessment = assessment  # leaf_points reads the unit through it
        total = totals.get(assessment.pk)
        if total is None:
            unit = assessment.unit
            total = totals[assessment.pk] = Totals(
                UnitResult(unit, unit.type, ZERO, ZERO, []), UnitResult(unit, unit.type, ZERO, ZERO, [])
            )
        if item.criterion.method != Method.SURVEY:
            total.to_appraise += 1
            total.appraised += item.appraised_at is not None
        area = area_of(criteria, item.criterion)
        for stage, result in ((SELF, total.self), ("final", total.final)):
            key = (assessment.pk, stage, area.pk)
            area_score = areas.get(key)
            if area_score is None:
                area_score = areas[key] = AreaScore(area.code, area.title)
                result.areas.append(area_score)
            contribution = leaf_points(item, stage, survey)
            if contribution is None:
                continue
            result.score += contribution[0]
            result.max_points += contribution[1]
            area_score.score += contribution[0]
            area_score.max_points += contribution[1]
    for total in totals.values():
        _clamp(total.self)
        _clamp(total.final)
    return totals


# -- the list of campaigns -----------------------------------------------------------------------------


def _organisers(user: Any) -> QuerySet[Unit]:
    """The top-level units on which the user plans: where a campaign can be opened."""
    return Unit.objects.for_user(user, PLAN).filter(parent__isnull=True).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisers = _organisers(user)
    choices = list(organisers)
    can_create = bool(choices)
    initial = {"year": timezone.localdate().year, "organiser": choices[0].pk if len(choices) == 1 else None}
    form = CampaignForm(organisers=organisers, initial=initial)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(_("Only the reform office of a province opens a PAR Index campaign."))
        form = CampaignForm(request.POST, organisers=organisers)
        if not form.is_valid():
            messages.error(request, form_problems(form))
        else:
            try:
                campaign = services.create_campaign(
                    actor=user,
                    organiser=form.cleaned_data["organiser"],
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                    deadlines=form.deadlines(),
                )
            except ValidationError as error:
                refusal(request, error)
            else:
                messages.success(request, _("The campaign %(title)s was opened.") % {"title": campaign.title})
                return redirect("parindex:campaign", pk=campaign.pk)
    mine = visible_assessments(user).select_related("unit").order_by("unit__path")
    campaigns = list(visible_campaigns(user).prefetch_related(Prefetch("assessments", mine, to_attr="mine")))
    rows = [
        {
            "campaign": campaign,
            "sees_all": has_unit_permission(user, VIEW, campaign.organiser),
            "deadlines": [
                (Phase(phase).label, getattr(campaign, field))
                for phase, field in PHASE_DEADLINE_FIELDS.items()
            ],
        }
        for campaign in campaigns
    ]
    context = {"rows": rows, "form": form, "can_create": can_create, "single_organiser": len(choices) == 1}
    return render(request, "parindex/campaign/list.html", context)


# -- one campaign -------------------------------------------------------------------------------------


def _timeline(campaign: Campaign) -> list[dict[str, Any]]:
    current = campaign.phase_index()
    return [
        {
            "value": phase,
            "label": Phase(phase).label,
            "deadline": campaign.deadline(phase),
            "state": "done" if position < current else "current" if position == current else "coming",
        }
        for position, phase in enumerate(PHASE_ORDER)
    ]


def _next_phase(campaign: Campaign) -> str | None:
    position = campaign.phase_index()
    return PHASE_ORDER[position + 1] if position + 1 < len(PHASE_ORDER) else None


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = get_object_or_404(visible_campaigns(user), pk=pk)
    assessments = list(
        visible_assessments(user)
        .filter(campaign=campaign)
        .select_related("unit", "submitted_by")
        .order_by("unit__type", "unit__path")
    )
    items = Item.objects.filter(assessment__in=assessments).select_related("criterion")
    totals = scorecard_totals(assessments, items, campaign)
    rows = [{"assessment": assessment, "totals": totals.get(assessment.pk)} for assessment in assessments]
    can_plan = has_unit_permission(user, PLAN, campaign.organiser)
    next_phase = _next_phase(campaign)
    initial = {field: getattr(campaign, field) for field in PHASE_DEADLINE_FIELDS.values()}
    context = {
        "campaign": campaign,
        "timeline": _timeline(campaign),
        "rows": rows,
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
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
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
        messages.error(request, form_problems(form))
        return redirect("parindex:campaign", pk=campaign.pk)
    try:
        services.set_deadlines(actor=request.user, campaign=campaign, deadlines=form.deadlines())
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The deadlines were saved."))
    return redirect("parindex:campaign", pk=campaign.pk)


@login_required
@require_POST
def campaign_advance(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _planned_campaign(request, pk)
    form = AdvanceForm(request.POST)
    form.is_valid()
    try:
        campaign = services.advance_phase(
            actor=request.user,
            campaign=campaign,
            decision_number=form.cleaned_data.get("decision_number", ""),
        )
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(
            request,
            _("The campaign is now in the “%(phase)s” phase.") % {"phase": Phase(campaign.phase).label},
        )
    return redirect("parindex:campaign", pk=campaign.pk)
