"""A unit's scorecard and the changes to its items: self-assessment with evidence, the leader's submission,
appraisal, the unit's explanation and the second appraisal; evidence downloads and an item's history.

Scorecards, items and evidence are fetched through querysets limited to the units the user sees (else 404);
a change also needs the right it calls for (else 403). Every item form carries the version it was read at:
the service refuses a change based on an older one (Conflict) and the user is told to reload.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts.permissions import APPRAISE, APPROVE, ENTER, VIEW, has_unit_permission, scope_filter
from cchc.core.evidence import EVIDENCE_SIGNATURES
from cchc.core.models import AuditEntry
from cchc.parindex.forms import (
    AppraiseForm,
    EvidenceForm,
    ExplainForm,
    SecondAppraisalForm,
    SelfAssessForm,
    form_problems,
    reported_input,
    reported_shown,
)
from cchc.parindex.models import (
    PHASE_ORDER,
    Assessment,
    AssessmentStatus,
    Criterion,
    Evidence,
    Item,
    Method,
    Phase,
)
from cchc.parindex.services import items as services
from cchc.parindex.services.common import Conflict
from cchc.parindex.views_campaign import Totals, phase_open, refusal, scorecard_totals, visible_assessments

# -- fetching with the right checks -----------------------------------------------------------------------


def _items(user: Any) -> QuerySet[Item]:
    return Item.objects.filter(scope_filter(user, VIEW, "assessment__unit__path")).select_related(
        "criterion", "assessment__unit", "assessment__campaign"
    )


def _item(request: HttpRequest, pk: int, action: str) -> Item:
    """The item if its unit is in the user's sight (else 404) and the user may `action` there (else 403)."""
    item = get_object_or_404(_items(request.user), pk=pk)
    if not has_unit_permission(request.user, action, item.assessment.unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": item.assessment.unit.name})
    return item


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    related = ("campaign__organiser", "unit", "criteria_set", "submitted_by")
    return get_object_or_404(visible_assessments(request.user).select_related(*related), pk=pk)


def _back(item: Item) -> HttpResponse:
    return redirect(f"{reverse('parindex:scorecard', args=[item.assessment_id])}#item-{item.pk}")


def _run(request: HttpRequest, change: Callable[[], Any], done: str) -> None:
    """Call the service; its refusal becomes a message and nothing is saved (the service is atomic)."""
    try:
        change()
    except Conflict as error:
        messages.warning(request, " ".join(error.messages))
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, done)


# -- the scorecard ------------------------------------------------------------------------------------


def _rights(request: HttpRequest, assessment: Assessment) -> dict[str, bool]:
    """Which forms the user gets on this scorecard now: phase open, deadline not passed, right held."""
    user, unit, campaign = request.user, assessment.unit, assessment.campaign
    drafting = assessment.status == AssessmentStatus.DRAFT and phase_open(campaign, Phase.SELF_ASSESSMENT)
    appraising = phase_open(campaign, Phase.APPRAISAL) and has_unit_permission(user, APPRAISE, unit)
    return {
        "self": drafting and has_unit_permission(user, ENTER, unit),
        "submit": drafting and has_unit_permission(user, APPROVE, unit),
        "appraise": appraising,
        "explain": phase_open(campaign, Phase.EXPLANATION) and has_unit_permission(user, ENTER, unit),
        "second": phase_open(campaign, Phase.SECOND_APPRAISAL) and has_unit_permission(user, APPRAISE, unit),
    }


def _leaf_row(criterion: Criterion, item: Item, rights: dict[str, bool]) -> dict[str, Any]:
    method = criterion.method
    adjusted = item.appraised_at is not None and item.appraised_score != item.self_score
    forms = {
        "self": rights["self"] and method != Method.SURVEY,
        "evidence": rights["self"] and method != Method.SURVEY,
        "appraise": rights["appraise"] and method != Method.SURVEY,
        "explain": rights["explain"] and adjusted and item.explained_at is None,
        "second": rights["second"] and item.explained_at is not None,
    }
    return {
        "kind": "leaf",
        "criterion": criterion,
        "item": item,
        "reported": reported_shown(item),
        "input": reported_input(criterion, item) if forms["self"] else {},
        "evidence": list(item.evidence.all()),
        "adjusted": adjusted,
        "forms": forms,
        "any_form": any(forms.values()),
    }


def _rows(
    criteria: list[Criterion], items: list[Item], rights: dict[str, bool], totals: Totals | None
) -> list[dict[str, Any]]:
    """The tree in order: a heading row per area and per criterion with children, a row per leaf."""
    by_criterion = {item.criterion_id: item for item in items}
    self_areas = {area.code: area for area in totals.self.areas} if totals else {}
    final_areas = {area.code: area for area in totals.final.areas} if totals else {}
    rows: list[dict[str, Any]] = []
    for criterion in criteria:
        if criterion.is_leaf:
            item = by_criterion.get(criterion.pk)
            if item is not None:
                rows.append(_leaf_row(criterion, item, rights))
            continue
        rows.append(
            {
                "kind": "area" if criterion.parent_id is None else "group",
                "criterion": criterion,
                "self": self_areas.get(criterion.code) if criterion.parent_id is None else None,
                "final": final_areas.get(criterion.code) if criterion.parent_id is None else None,
            }
        )
    return rows


def _as_number(value: Decimal | None) -> float:
    return 0.0 if value is None else float(value.quantize(Decimal("0.01")))


def _radar(totals: Totals | None, show_final: bool) -> dict[str, Any]:
    """Each area's index (%) for the ECharts radar: self-assessed, and final once appraisal has begun."""
    if totals is None:
        return {"indicators": [], "series": []}
    series = [{"name": _("Self-assessed"), "values": [_as_number(a.index) for a in totals.self.areas]}]
    if show_final:
        series.append({"name": _("Final"), "values": [_as_number(a.index) for a in totals.final.areas]})
    return {
        "indicators": [{"name": area.code, "title": area.title, "max": 100} for area in totals.self.areas],
        "series": series,
    }


@login_required
@require_GET
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    campaign = assessment.campaign
    criteria = list(assessment.criteria_set.criteria.order_by("position"))
    items = list(assessment.items.select_related("criterion").prefetch_related("evidence"))
    totals = scorecard_totals(
        [assessment], items, campaign, criteria={criterion.pk: criterion for criterion in criteria}
    ).get(assessment.pk)
    rights = _rights(request, assessment)
    appraisal_begun = campaign.phase_index() >= PHASE_ORDER.index(Phase.APPRAISAL)
    context = {
        "assessment": assessment,
        "campaign": campaign,
        "unit": assessment.unit,
        "totals": totals,
        "show_final": appraisal_begun,
        "radar": _radar(totals, appraisal_begun),
        "rows": _rows(criteria, items, rights, totals),
        "can_submit": rights["submit"],
        "can_accept": rights["appraise"],
        "missing": services.missing_before_submission(assessment) if rights["submit"] else [],
        "evidence_types": ", ".join(sorted(EVIDENCE_SIGNATURES)),
    }
    return render(request, "parindex/campaign/scorecard.html", context)


# -- changes to items -----------------------------------------------------------------------------------


def _invalid(request: HttpRequest, form: Any) -> None:
    messages.error(request, form_problems(form))


@login_required
@require_POST
def item_self(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, ENTER)
    form = SelfAssessForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(item)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.self_assess(
            actor=request.user,
            item=item,
            reported=data["reported"],
            not_applicable=data["not_applicable"],
            note=data["note"],
            expected_version=data["version"],
        ),
        _("Criterion %(code)s was saved.") % {"code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, ENTER)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        _invalid(request, form)
        return _back(item)
    upload = form.cleaned_data["file"]
    _run(
        request,
        lambda: services.add_evidence(actor=request.user, item=item, upload=upload),
        _("The file %(name)s was attached to %(code)s.") % {"name": upload.name, "code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, APPRAISE)
    form = AppraiseForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(item)
    data = form.cleaned_data
    accept = data["decision"] == AppraiseForm.ACCEPT
    _run(
        request,
        lambda: services.appraise_item(
            actor=request.user,
            item=item,
            accept=accept,
            score=data["score"],
            reason=data["reason"],
            not_applicable=None if accept else data["not_applicable"],
            expected_version=data["version"],
        ),
        _("The appraisal of %(code)s was saved.") % {"code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_explain(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, ENTER)
    form = ExplainForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(item)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.explain_item(
            actor=request.user, item=item, text=data["text"], expected_version=data["version"]
        ),
        _("The explanation of %(code)s was sent.") % {"code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_second(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, APPRAISE)
    form = SecondAppraisalForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return _back(item)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.second_appraise(
            actor=request.user,
            item=item,
            score=data["score"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        _("The final score of %(code)s was saved.") % {"code": item.criterion.code},
    )
    return _back(item)


# -- the whole scorecard ----------------------------------------------------------------------------------


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit leader sends the self-assessment; what is missing is listed when it is refused."""
    assessment = _assessment(request, pk)
    try:
        services.submit_assessment(actor=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(
            request,
            _("The self-assessment was not submitted: %(problems)s") % {"problems": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("The self-assessment was submitted to the appraisers."))
    return redirect("parindex:scorecard", pk=assessment.pk)


@login_required
@require_POST
def assessment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraiser accepts every self-assessed score not yet appraised."""
    assessment = _assessment(request, pk)
    try:
        accepted = services.accept_remaining(actor=request.user, assessment=assessment)
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("%(count)s scores were accepted.") % {"count": accepted})
    return redirect("parindex:scorecard", pk=assessment.pk)


# -- reading -------------------------------------------------------------------------------------------


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, only for those who see the item's unit (files are never on a public URL)."""
    visible = Evidence.objects.filter(scope_filter(request.user, VIEW, "item__assessment__unit__path"))
    evidence = get_object_or_404(visible, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@login_required
@require_GET
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, VIEW)
    entries = AuditEntry.objects.for_object(item).select_related("unit")
    context = {"item": item, "assessment": item.assessment, "entries": entries}
    return render(request, "parindex/campaign/item_history.html", context)
