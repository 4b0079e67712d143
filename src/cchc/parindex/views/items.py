"""A unit's scorecard and the changes to its items: self-assessment with evidence, the leader's submission,
appraisal, the unit's explanation and the second appraisal; evidence downloads and an item's history.

Scorecards, items and evidence are fetched through querysets limited to the units the user sees (else 404);
a change also needs the right it calls for (else 403). Every item form carries the version it was read at:
the service refuses a change based on an older one (Conflict) and the user is told to reload.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts.permissions import APPRAISE, ENTER, VIEW, has_unit_permission
from cchc.core.evidence import EVIDENCE_SIGNATURES
from cchc.core.models import AuditEntry
from cchc.kit import downloads
from cchc.kit.views import form_errors_as_messages, run_service, run_versioned
from cchc.parindex.forms import (
    AppraiseForm,
    EvidenceForm,
    ExplainForm,
    SecondAppraisalForm,
    SelfAssessForm,
)
from cchc.parindex.models import Assessment, Evidence, Item
from cchc.parindex.queries import scorecards as queries
from cchc.parindex.services import items as services
from cchc.parindex.services.common import Conflict

# -- fetching with the right checks -----------------------------------------------------------------------


def _item(request: HttpRequest, pk: int, action: str) -> Item:
    """The item if its unit is in the user's sight (else 404) and the user may `action` there (else 403)."""
    items = Item.objects.for_user(request.user).select_related(
        "criterion", "assessment__unit", "assessment__campaign"
    )
    item = get_object_or_404(items, pk=pk)
    if not has_unit_permission(request.user, action, item.assessment.unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": item.assessment.unit.name})
    return item


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    related = ("campaign__organiser", "unit", "criteria_set", "submitted_by")
    return get_object_or_404(Assessment.objects.for_user(request.user).select_related(*related), pk=pk)


def _back(item: Item) -> HttpResponse:
    return redirect(f"{reverse('parindex:scorecard', args=[item.assessment_id])}#item-{item.pk}")


# -- the scorecard ------------------------------------------------------------------------------------


@login_required
@require_GET
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    page = queries.scorecard(request.user, assessment)
    rights = page.pop("rights")
    context = {
        "assessment": assessment,
        "campaign": assessment.campaign,
        "unit": assessment.unit,
        **page,
        "can_submit": rights["submit"],
        "can_accept": rights["appraise"],
        "can_enter": rights["self"] or rights["appraise"],
        "missing": services.missing_before_submission(assessment) if rights["submit"] else [],
        "evidence_types": ", ".join(sorted(EVIDENCE_SIGNATURES)),
    }
    return render(request, "parindex/campaign/scorecard.html", context)


# -- changes to items -----------------------------------------------------------------------------------


@login_required
@require_POST
def item_self(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, ENTER)
    form = SelfAssessForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return _back(item)
    data = form.cleaned_data
    run_versioned(
        request,
        lambda: services.self_assess(
            actor=request.user,
            item=item,
            reported=data["reported"],
            not_applicable=data["not_applicable"],
            note=data["note"],
            expected_version=data["version"],
        ),
        stale=Conflict,
        success=_("Criterion %(code)s was saved.") % {"code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, ENTER)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return _back(item)
    upload = form.cleaned_data["file"]
    run_versioned(
        request,
        lambda: services.add_evidence(actor=request.user, item=item, upload=upload),
        stale=Conflict,
        success=_("The file %(name)s was attached to %(code)s.")
        % {"name": upload.name, "code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, APPRAISE)
    form = AppraiseForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return _back(item)
    data = form.cleaned_data
    accept = data["decision"] == AppraiseForm.ACCEPT
    run_versioned(
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
        stale=Conflict,
        success=_("The appraisal of %(code)s was saved.") % {"code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_explain(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, ENTER)
    form = ExplainForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return _back(item)
    data = form.cleaned_data
    run_versioned(
        request,
        lambda: services.explain_item(
            actor=request.user, item=item, text=data["text"], expected_version=data["version"]
        ),
        stale=Conflict,
        success=_("The explanation of %(code)s was sent.") % {"code": item.criterion.code},
    )
    return _back(item)


@login_required
@require_POST
def item_second(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, APPRAISE)
    form = SecondAppraisalForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return _back(item)
    data = form.cleaned_data
    run_versioned(
        request,
        lambda: services.second_appraise(
            actor=request.user,
            item=item,
            score=data["score"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        stale=Conflict,
        success=_("The final score of %(code)s was saved.") % {"code": item.criterion.code},
    )
    return _back(item)


# -- the whole scorecard ----------------------------------------------------------------------------------


def _submit(user: Any, assessment: Assessment) -> Assessment:
    """The service lists every leaf still missing; the page lists them too, so the refusal is one line."""
    try:
        return services.submit_assessment(actor=user, assessment=assessment)
    except ValidationError as error:
        raise ValidationError(
            _("The self-assessment was not submitted: %(problems)s") % {"problems": " ".join(error.messages)}
        ) from error


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit leader sends the self-assessment; what is missing is listed when it is refused."""
    assessment = _assessment(request, pk)
    run_service(
        request,
        lambda: _submit(request.user, assessment),
        success=_("The self-assessment was submitted to the appraisers."),
    )
    return redirect("parindex:scorecard", pk=assessment.pk)


@login_required
@require_POST
def assessment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraiser accepts every self-assessed score not yet appraised."""
    assessment = _assessment(request, pk)
    done, accepted = run_service(
        request, lambda: services.accept_remaining(actor=request.user, assessment=assessment)
    )
    if done:
        messages.success(request, _("%(count)s scores were accepted.") % {"count": accepted})
    return redirect("parindex:scorecard", pk=assessment.pk)


# -- reading -------------------------------------------------------------------------------------------


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, only for those who see the item's unit (files are never on a public URL)."""
    evidence = get_object_or_404(Evidence.objects.for_user(request.user), pk=pk)
    return downloads.stored_file(evidence.file, evidence.name)


@login_required
@require_GET
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, VIEW)
    entries = AuditEntry.objects.for_object(item).select_related("unit")
    context = {"item": item, "assessment": item.assessment, "entries": entries}
    return render(request, "parindex/campaign/item_history.html", context)
