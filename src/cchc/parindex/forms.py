"""Forms of the PAR Index pages: campaigns and scorecards, criteria sets, the survey. They only shape
what was typed: the services check the rules (phases, deadlines, permissions, score ranges) and their
refusals reach the user beside the fields or as messages."""

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc.parindex.models import (
    PHASE_DEADLINE_FIELDS,
    Campaign,
    CriteriaSet,
    Phase,
    Question,
    Questionnaire,
)
from cchc.parindex.services import criteria as criteria_services
from cchc.parindex.services.entry import Entry
from cchc.units.models import Unit, UnitType
from cchc.workdays.forms import DayField

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
MAX_UPLOAD = 5 * 1024 * 1024
SPARE_WEIGHT_ROWS = 2
MAX_WEIGHT_ROWS = 12

# The deadline field of each phase that has one, in the order of the phases.
DEADLINE_FIELDS = list(PHASE_DEADLINE_FIELDS.values())


def _add_deadline_fields(form: forms.Form) -> None:
    for phase, name in PHASE_DEADLINE_FIELDS.items():
        form.fields[name] = DayField(label=Phase(phase).label, required=False)


class DeadlinesForm(forms.Form):
    """The last day of each phase; an empty field means no deadline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_deadline_fields(self)

    def deadlines(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in DEADLINE_FIELDS}


class CampaignForm(DeadlinesForm):
    """A new year's campaign: who organises it, the year, an optional title and the deadlines."""

    organiser = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Organising unit"), widget=forms.Select(attrs=SELECT)
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    title = forms.CharField(
        label=_("Title (empty: “PAR Index” and the year)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, organisers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organiser"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisers


class AdvanceForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Number of the decision publishing the results"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=TEXT),
    )


class VersionedForm(forms.Form):
    """Every change of an item names the version it was based on, so a stale page cannot overwrite."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class SelfAssessForm(VersionedForm):
    reported = forms.CharField(label=_("Reported value"), required=False, max_length=200)
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class AppraiseForm(VersionedForm):
    ACCEPT, ADJUST = "accept", "adjust"

    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (ADJUST, _("Adjust"))])
    score = forms.CharField(label=_("Appraised score"), required=False, max_length=20)
    reason = forms.CharField(label=_("Reason"), required=False)
    not_applicable = forms.BooleanField(label=_("Not applicable"), required=False)


class ExplainForm(VersionedForm):
    text = forms.CharField(label=_("Explanation"), required=False)


class SecondAppraisalForm(VersionedForm):
    score = forms.CharField(label=_("Final score"), required=False, max_length=20)
    reason = forms.CharField(label=_("Reason"), required=False)


# -- bulk entry on an area: one form, inputs named after their item ("i12-score") -----------------------

# At most 18 digits: an id the database can hold (a longer one, forged, would overflow the query).
ENTRY_FIELD = re.compile(r"^i(\d{1,18})-version$")


def entry_name(item_id: int, name: str) -> str:
    """The name of an item's input on the area form, e.g. "i12-reported"."""
    return f"i{item_id}-{name}"


def posted_entry(data: Any, item_id: int) -> Entry:
    """One row of the area form as posted. A row without the version it was read at is refused: a save
    that cannot be checked against a newer one could overwrite it unseen."""
    version = (data.get(entry_name(item_id, "version")) or "").strip()
    if not version.isdigit():
        raise ValidationError(gettext("The page is out of date; reload it and enter the values again."))
    return Entry(
        item_id=item_id,
        version=int(version),
        not_applicable=bool(data.get(entry_name(item_id, "not_applicable"))),
        reported=data.get(entry_name(item_id, "reported")) or "",
        note=data.get(entry_name(item_id, "note")) or "",
        score=(data.get(entry_name(item_id, "score")) or "")[:20],
        reason=data.get(entry_name(item_id, "reason")) or "",
    )


def posted_entries(data: Any) -> list[Entry]:
    """Every row of the area form, in the order posted."""
    ids = [int(match.group(1)) for key in data if (match := ENTRY_FIELD.match(key))]
    return [posted_entry(data, item_id) for item_id in ids]


def weights_from_rows(rows: list[dict[str, str]]) -> dict[str, str]:
    """The survey's answer weights typed as rows of (letter, weight); empty rows are skipped. The
    service checks the weights themselves."""
    weights: dict[str, str] = {}
    for row in rows:
        letter, weight = row["letter"].strip().upper(), row["weight"].strip()
        if not letter and not weight:
            continue
        if not letter or not weight:
            raise ValidationError(gettext("Give each answer both its letter and its weight."))
        if letter in weights:
            raise ValidationError(gettext("The answer %(letter)s is given twice.") % {"letter": letter})
        weights[letter] = weight.replace(",", ".")
    return weights


# -- criteria sets --------------------------------------------------------------------------------


def _unit_type_choices() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in UnitType.choices if value != UnitType.PROVINCE]


def _default_type_choices() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in UnitType.choices if value in criteria_services.DEFAULT_SETS]


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Year"))
        super().__init__(min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT), **kwargs)


class ReplaceField(forms.BooleanField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            required=False,
            label=_("Replace the set of that year and unit type if there is one"),
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            **kwargs,
        )


class TargetMixin:
    """Refuses to overwrite the set of (year, unit type) unless the box is ticked."""

    def check_target(self, year: int, unit_type: str) -> None:
        form: Any = self
        if form.cleaned_data.get("replace"):
            return
        if CriteriaSet.objects.filter(year=year, unit_type=unit_type).exists():
            form.add_error(
                "replace",
                gettext("A %(year)s set for this unit type exists; tick the box to replace it.")
                % {"year": year},
            )


class UploadForm(TargetMixin, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )
    year = YearField()
    unit_type = forms.ChoiceField(
        label=_("Unit type"), choices=_unit_type_choices, widget=forms.Select(attrs=SELECT)
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=300, widget=forms.TextInput(attrs=TEXT)
    )
    replace = ReplaceField()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(gettext("The file is larger than 5 MB."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") and data.get("unit_type"):
            self.check_target(data["year"], data["unit_type"])
        return data


class DefaultForm(TargetMixin, forms.Form):
    year = YearField()
    unit_type = forms.ChoiceField(
        label=_("Unit type"), choices=_default_type_choices, widget=forms.Select(attrs=SELECT)
    )
    replace = ReplaceField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") and data.get("unit_type"):
            self.check_target(data["year"], data["unit_type"])
        return data


class CloneForm(TargetMixin, forms.Form):
    year = YearField(label=_("Into the year"))
    replace = ReplaceField()

    def __init__(self, *args: Any, source: CriteriaSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year"):
            if data["year"] == self.source.year:
                self.add_error("year", gettext("Choose another year than the set's own."))
            else:
                self.check_target(data["year"], self.source.unit_type)
        return data


# -- the survey -----------------------------------------------------------------------------------


class AnswersUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of answers (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(gettext("The file is larger than 5 MB."))
        return upload


class ResponseForm(forms.Form):
    """One respondent's paper form: the unit it is about, its number, and a letter per question."""

    unit = forms.TypedChoiceField(label=_("Unit assessed"), coerce=int, widget=forms.Select(attrs=SELECT))
    respondent = forms.CharField(label=_("Form number"), max_length=50, widget=forms.TextInput(attrs=TEXT))

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


def answer_weight_rows(campaign: Campaign, posted: Any = None) -> list[dict[str, str]]:
    """The rows of the answer-weights table: as posted, or the campaign's weights and spare rows."""
    if posted is not None:
        return [
            {"letter": posted.get(f"letter-{n}", ""), "weight": posted.get(f"weight-{n}", "")}
            for n in range(MAX_WEIGHT_ROWS)
            if f"letter-{n}" in posted
        ]
    rows = [{"letter": letter, "weight": str(weight)} for letter, weight in campaign.answer_weights.items()]
    return rows + [{"letter": "", "weight": ""} for _n in range(SPARE_WEIGHT_ROWS)]
