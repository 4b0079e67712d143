"""Forms of the SIPAS staff pages. They only shape what was typed; the services in `services/sipas.py`
and `services/imports.py` check the rules (rights, campaign status, answer ranges) and their refusals
come back to the form as errors."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cchc.surveys.models import CampaignStatus, QuestionKind, ResponseChannel, SurveyQuestion
from cchc.units.models import Unit
from cchc.workdays.forms import DayField

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
MAX_UPLOAD = 5 * 1024 * 1024
SATISFACTION_CHOICES = [
    ("", "—"),
    ("1", _("1 · Very unsatisfied")),
    ("2", _("2 · Unsatisfied")),
    ("3", _("3 · Neither")),
    ("4", _("4 · Satisfied")),
    ("5", _("5 · Very satisfied")),
]
ENTRY_CHANNELS = [
    (ResponseChannel.PAPER.value, _("Paper form")),
    (ResponseChannel.PHONE.value, _("Phone interview")),
]


def _unit_choices(field: forms.Field, units: list[Unit]) -> None:
    cast(forms.TypedChoiceField, field).choices = [("", "—"), *[(unit.pk, unit.name) for unit in units]]


class CampaignCreateForm(forms.Form):
    """A new campaign from the shipped SIPAS questionnaire: the organiser, the year and a code."""

    organiser = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Organising unit"), widget=forms.Select(attrs=SELECT)
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    code = forms.CharField(
        label=_("Code (letters, digits, - and _)"),
        max_length=50,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "SIPAS-2026"}),
    )
    title = forms.CharField(
        label=_("Title (empty: the questionnaire's title and the year)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organiser"]).queryset = organisers


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CampaignStatus.choices)


class InvitationsForm(forms.Form):
    """N one-time codes for one unit, to print on slips or receipts."""

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, widget=forms.Select(attrs=SELECT))
    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=5000,
        initial=50,
        widget=forms.NumberInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        _unit_choices(self.fields["unit"], units)

    def chosen_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]


class ResponsesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of answers (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 5 MB."))
        return upload


class ResponseEntryForm(forms.Form):
    """One paper form or phone interview: the unit it is about, how it came in, and every question."""

    unit = forms.TypedChoiceField(label=_("Unit surveyed"), coerce=int, widget=forms.Select(attrs=SELECT))
    channel = forms.ChoiceField(label=_("Channel"), choices=ENTRY_CHANNELS, widget=forms.Select(attrs=SELECT))
    response_code = forms.CharField(
        label=_("Form number"), max_length=50, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    answered_on = DayField(label=_("Answered on"))
    field = forms.CharField(
        label=_("Field of the procedure"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={**TEXT, "list": "known-fields"}),
    )

    def __init__(self, *args: Any, units: list[Unit], questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        _unit_choices(self.fields["unit"], units)
        self.questions = questions
        for question in questions:
            self.fields[self.key(question)] = self._question_field(question)

    @staticmethod
    def key(question: SurveyQuestion) -> str:
        return f"answer_{question.pk}"

    @staticmethod
    def _question_field(question: SurveyQuestion) -> forms.Field:
        label = f"{question.code}. {question.text}"
        small_select = forms.Select(attrs={"class": "form-select form-select-sm"})
        if question.kind == QuestionKind.SATISFACTION:
            return forms.ChoiceField(
                label=label, choices=SATISFACTION_CHOICES, required=False, widget=small_select
            )
        if question.options:
            options = [("", "—"), *[(option, option) for option in question.options]]
            return forms.ChoiceField(label=label, choices=options, required=False, widget=small_select)
        return forms.CharField(
            label=label,
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
        )

    def question_fields(self) -> list[tuple[SurveyQuestion, Any]]:
        return [(question, self[self.key(question)]) for question in self.questions]

    def chosen_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]

    def answers(self) -> dict[str, str]:
        return {question.code: self.cleaned_data.get(self.key(question), "") for question in self.questions}
