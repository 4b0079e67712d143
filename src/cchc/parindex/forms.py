"""Forms of the campaign and scorecard pages. They only shape what was typed: the services check the rules
(phases, deadlines, permissions, score ranges) and their refusals reach the user as messages."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cchc.parindex.models import COMPUTED, PHASE_DEADLINE_FIELDS, Criterion, Item, Method, Phase
from cchc.parindex.scoring import NO, YES
from cchc.units.models import Unit
from cchc.workdays.forms import DayField

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}

YES_VALUE, NO_VALUE = "yes", "no"
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


def reported_shown(item: Item) -> str:
    """What the unit reported, in words for yes/no leaves and with % for rates."""
    value = item.self_input
    if not value:
        return ""
    method = item.criterion.method
    if method == Method.YES_NO:
        word = value.lower()
        return gettext("Yes") if word in YES else gettext("No") if word in NO else value
    if method == Method.RATE:
        return f"{value} %"
    return value


def reported_input(criterion: Criterion, item: Item) -> dict[str, Any]:
    """How the self-assessment form asks for the reported value: a select of choices or a text box."""
    current = item.self_input.casefold()
    if criterion.method == Method.TIERED:
        choices = [(tier["label"], tier["label"]) for tier in criterion.tiers]
        return {"kind": "select", "choices": [(v, label, v.casefold() == current) for v, label in choices]}
    if criterion.method == Method.YES_NO:
        said_yes, said_no = current in YES, current in NO
        choices_yes_no = [(YES_VALUE, gettext("Yes"), said_yes), (NO_VALUE, gettext("No"), said_no)]
        return {"kind": "select", "choices": choices_yes_no}
    if criterion.method in COMPUTED:
        return {"kind": ""}
    if criterion.method == Method.RATE:
        hint = gettext("Rate in per cent, from 0 to 100")
    elif criterion.method == Method.DEDUCTION:
        hint = gettext("Number of occurrences")
    else:
        hint = gettext("Points, from 0 to %(max)s") % {"max": criterion.max_points.normalize()}
    return {"kind": "text", "hint": hint, "value": item.self_input}


def form_problems(form: forms.Form) -> str:
    """The errors of an invalid form as one line, each prefixed with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: " if field is not None and field.label else ""
        parts.append(label + " ".join(str(error) for error in errors))
    return " ".join(parts)
