"""The survey page of a campaign (điều tra xã hội học), for the organiser's reform office.

One page holds what the survey needs: the answer weights, the questionnaires and their questions
(the default ones made in one click), how many forms came in for each unit, an upload of answers from
a spreadsheet and the entry of one respondent's paper form. Every change goes through the survey
services, which check the right to plan for the organiser and refuse changes once the results are fixed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cchc.accounts.permissions import PLAN, has_unit_permission
from cchc.kit.views import attach_errors, run_service
from cchc.parindex.forms import AnswersUploadForm, ResponseForm, answer_weight_rows, weights_from_rows
from cchc.parindex.models import Campaign, Phase, Questionnaire
from cchc.parindex.queries import survey as queries
from cchc.parindex.services import survey as survey_services
from cchc.parindex.services.common import ImportRefused

# -- what the page reads --------------------------------------------------------------------------


def _render(
    request: HttpRequest,
    campaign: Campaign,
    *,
    weight_rows: list[dict[str, str]] | None = None,
    basis: str | None = None,
    upload: AnswersUploadForm | None = None,
    import_errors: list[tuple[int | None, str, str]] | None = None,
    response_form: ResponseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    questionnaires = queries.questionnaires(campaign)
    units = queries.scored_units(campaign)
    chosen = response_form.questionnaire if response_form is not None else None
    if chosen is None and questionnaires:
        wanted = request.GET.get("questionnaire", "")
        chosen = next((q for q in questionnaires if str(q.pk) == wanted), questionnaires[0])
    if response_form is None and chosen is not None:
        response_form = ResponseForm(questionnaire=chosen, units=queries.units_for(chosen, units))
    fixed = campaign.phase in (Phase.FINALISATION, Phase.PUBLISHED)
    context = {
        "campaign": campaign,
        "open": not fixed,
        "fixed": fixed,
        "may_plan": True,  # the page is only shown to those who plan for the organiser
        "sees_everything": True,
        "weight_rows": weight_rows if weight_rows is not None else answer_weight_rows(campaign),
        "basis": campaign.answer_weights_basis if basis is None else basis,
        "questionnaires": questionnaires,
        "unit_table": queries.unit_table(campaign, units),
        "upload_form": upload or AnswersUploadForm(),
        "import_errors": import_errors or [],
        "columns": survey_services.RESPONSE_COLUMNS,
        "chosen": chosen,
        "response_form": response_form,
    }
    return render(request, "parindex/survey/page.html", context, status=status)


# -- the changes ----------------------------------------------------------------------------------


def _back(campaign: Campaign, questionnaire: Questionnaire | None = None) -> HttpResponse:
    url = reverse("parindex:survey", args=[campaign.pk])
    if questionnaire is not None:
        url += f"?questionnaire={questionnaire.pk}#entry"
    return redirect(url)


def _save_weights(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    rows = answer_weight_rows(campaign, request.POST)
    basis = request.POST.get("basis", "")
    saved, _campaign = run_service(
        request,
        lambda: survey_services.set_answer_weights(
            actor=request.user, campaign=campaign, weights=weights_from_rows(rows), basis=basis
        ),
        success=_("The answer weights are saved."),
    )
    if not saved:
        return _render(request, campaign, weight_rows=rows, basis=basis, status=400)
    return _back(campaign)


def _make_defaults(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    done, created = run_service(
        request, lambda: survey_services.default_questionnaires(actor=request.user, campaign=campaign)
    )
    if not done:
        return _back(campaign)
    if created:
        messages.success(request, _("%(count)s questionnaires were created.") % {"count": len(created)})
    else:
        messages.warning(request, _("No criteria set of this campaign has a survey criterion."))
    return _back(campaign)


def _import(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    form = AnswersUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, campaign, upload=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        counts = survey_services.import_answers(
            actor=request.user, campaign=campaign, content=upload.read(), filename=upload.name
        )
    except ImportRefused as refused:
        return _render(request, campaign, upload=form, import_errors=refused.rows, status=400)
    except ValidationError as error:
        attach_errors(form, error)
        return _render(request, campaign, upload=form, status=400)
    messages.success(
        request,
        _("Answers imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % counts,
    )
    return _back(campaign)


def _record(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    questionnaire = get_object_or_404(
        Questionnaire.objects.for_user(request.user, PLAN).select_related("campaign"),
        pk=request.POST.get("questionnaire") or 0,
        campaign=campaign,
    )
    units = queries.units_for(questionnaire, queries.scored_units(campaign))
    form = ResponseForm(request.POST, questionnaire=questionnaire, units=units)
    if not form.is_valid():
        return _render(request, campaign, response_form=form, status=400)
    saved, counts = run_service(
        request,
        lambda: survey_services.record_response(
            actor=request.user,
            questionnaire=questionnaire,
            unit=form.chosen_unit(),
            respondent=form.cleaned_data["respondent"],
            answers=form.answers(),
        ),
        form=form,
    )
    if not saved:
        return _render(request, campaign, response_form=form, status=400)
    messages.success(
        request,
        _("Form %(number)s is saved: %(created)s new answers, %(updated)s changed.")
        % {"number": form.cleaned_data["respondent"], **counts},
    )
    return _back(campaign, questionnaire)


ACTIONS = {
    "weights": _save_weights,
    "defaults": _make_defaults,
    "import": _import,
    "response": _record,
}


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    # Not `for_user`: whoever may not run the survey is told so (403), whether or not he sees the campaign.
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    if not has_unit_permission(request.user, PLAN, campaign.organiser):
        raise PermissionDenied(
            _("Only the reform office of %(unit)s runs the survey.") % {"unit": campaign.organiser.name}
        )
    if request.method == "POST":
        handler = ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            return HttpResponseBadRequest()
        return handler(request, campaign)
    return _render(request, campaign)
