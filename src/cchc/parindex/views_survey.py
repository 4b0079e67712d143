"""The survey page of a campaign (điều tra xã hội học), for the organiser's reform office.

One page holds what the survey needs: the answer weights, the questionnaires and their questions
(the default ones made in one click), how many forms came in for each unit, an upload of answers from
a spreadsheet and the entry of one respondent's paper form. Every change goes through the survey
services, which check the right to plan for the organiser and refuse changes once the results are fixed.
"""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cchc.accounts.permissions import PLAN, has_unit_permission
from cchc.parindex.models import Assessment, Campaign, Phase, Question, Questionnaire
from cchc.parindex.services import survey as survey_services
from cchc.parindex.services.common import ImportRefused
from cchc.parindex.survey import survey_scores
from cchc.units.models import Unit, UnitType

MAX_UPLOAD = 5 * 1024 * 1024
SPARE_WEIGHT_ROWS = 2
MAX_WEIGHT_ROWS = 12
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class AnswersUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of answers (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class ResponseForm(forms.Form):
    """One respondent's paper form: the unit it is about, its number, and a letter per question."""

    unit = forms.TypedChoiceField(
        label=gettext_lazy("Unit assessed"), coerce=int, widget=forms.Select(attrs=SELECT)
    )
    respondent = forms.CharField(
        label=gettext_lazy("Form number"), max_length=50, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args: Any, questionnaire: Questionnaire, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.units = {unit.pk: unit for unit in units}
        unit_field = cast(forms.TypedChoiceField, self.fields["unit"])
        unit_field.choices = [("", "—"), *[(unit.pk, unit.name) for unit in units]]
        letters = [("", "—"), *[(letter, letter) for letter in questionnaire.campaign.answer_weights]]
        self.questions = list(questionnaire.questions.all())
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.ChoiceField(
                label=f"{question.code}. {question.text}",
                choices=letters,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def question_fields(self) -> list[tuple[Question, Any]]:
        return [(question, self[f"answer_{question.pk}"]) for question in self.questions]

    def chosen_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]

    def answers(self) -> dict[str, str]:
        return {question.code: self.cleaned_data[f"answer_{question.pk}"] for question in self.questions}


# -- what the page reads --------------------------------------------------------------------------


def _questionnaires(campaign: Campaign) -> list[Questionnaire]:
    questions = Question.objects.select_related("criterion__criteria_set").order_by("position")
    return list(campaign.questionnaires.prefetch_related(Prefetch("questions", queryset=questions)))


def _scored_units(campaign: Campaign) -> list[Unit]:
    assessments = Assessment.objects.filter(campaign=campaign).select_related("unit")
    return [assessment.unit for assessment in assessments.order_by("unit__type", "unit__path")]


def _units_for(questionnaire: Questionnaire, units: list[Unit]) -> list[Unit]:
    """The units a questionnaire asks about: those of the type its questions' criteria set scores."""
    types = {question.criterion.criteria_set.unit_type for question in questionnaire.questions.all()}
    return [unit for unit in units if unit.type in types] if types else units


def _weight_rows(campaign: Campaign, posted: Any = None) -> list[dict[str, str]]:
    if posted is not None:
        return [
            {"letter": posted.get(f"letter-{n}", ""), "weight": posted.get(f"weight-{n}", "")}
            for n in range(MAX_WEIGHT_ROWS)
            if f"letter-{n}" in posted
        ]
    rows = [{"letter": letter, "weight": str(weight)} for letter, weight in campaign.answer_weights.items()]
    return rows + [{"letter": "", "weight": ""} for _n in range(SPARE_WEIGHT_ROWS)]


def _unit_table(campaign: Campaign, units: list[Unit]) -> list[dict[str, Any]]:
    forms_in = survey_services.forms_per_unit(campaign)
    points: dict[int, Any] = {}
    for (unit_id, _leaf), score in survey_scores(campaign).items():
        points[unit_id] = points.get(unit_id, 0) + score
    return [
        {
            "unit": unit,
            "type_label": UnitType(unit.type).label,
            "forms": forms_in.get(unit.code, 0),
            "points": points.get(unit.pk),
        }
        for unit in units
    ]


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
    questionnaires = _questionnaires(campaign)
    units = _scored_units(campaign)
    chosen = response_form.questionnaire if response_form is not None else None
    if chosen is None and questionnaires:
        wanted = request.GET.get("questionnaire", "")
        chosen = next((q for q in questionnaires if str(q.pk) == wanted), questionnaires[0])
    if response_form is None and chosen is not None:
        response_form = ResponseForm(questionnaire=chosen, units=_units_for(chosen, units))
    fixed = campaign.phase in (Phase.FINALISATION, Phase.PUBLISHED)
    context = {
        "campaign": campaign,
        "open": not fixed,
        "fixed": fixed,
        "may_plan": True,  # the page is only shown to those who plan for the organiser
        "sees_everything": True,
        "weight_rows": weight_rows if weight_rows is not None else _weight_rows(campaign),
        "basis": campaign.answer_weights_basis if basis is None else basis,
        "questionnaires": questionnaires,
        "unit_table": _unit_table(campaign, units),
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
    rows = _weight_rows(campaign, request.POST)
    basis = request.POST.get("basis", "")
    weights: dict[str, str] = {}
    problem = ""
    for row in rows:
        letter, weight = row["letter"].strip().upper(), row["weight"].strip()
        if not letter and not weight:
            continue
        if not letter or not weight:
            problem = _("Give each answer both its letter and its weight.")
        elif letter in weights:
            problem = _("The answer %(letter)s is given twice.") % {"letter": letter}
        weights[letter] = weight.replace(",", ".")
    if not problem:
        try:
            survey_services.set_answer_weights(
                actor=request.user, campaign=campaign, weights=weights, basis=basis
            )
        except ValidationError as error:
            problem = " ".join(error.messages)
    if problem:
        messages.error(request, problem)
        return _render(request, campaign, weight_rows=rows, basis=basis, status=400)
    messages.success(request, _("The answer weights are saved."))
    return _back(campaign)


def _make_defaults(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    try:
        created = survey_services.default_questionnaires(actor=request.user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
        form.add_error(None, error.messages)
        return _render(request, campaign, upload=form, status=400)
    messages.success(
        request,
        _("Answers imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % counts,
    )
    return _back(campaign)


def _record(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("campaign"),
        pk=request.POST.get("questionnaire") or 0,
        campaign=campaign,
    )
    units = _units_for(questionnaire, _scored_units(campaign))
    form = ResponseForm(request.POST, questionnaire=questionnaire, units=units)
    if not form.is_valid():
        return _render(request, campaign, response_form=form, status=400)
    try:
        counts = survey_services.record_response(
            actor=request.user,
            questionnaire=questionnaire,
            unit=form.chosen_unit(),
            respondent=form.cleaned_data["respondent"],
            answers=form.answers(),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
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
