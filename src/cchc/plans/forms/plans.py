"""Forms of the plan pages. They only shape the input: every rule is checked by the services."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core import metrics
from cchc.plans.models import Comparator, DeadlineKind, Plan, PlanArea, ReformArea, TargetUnit, TaskStatus
from cchc.units.models import Unit, UnitType
from cchc.workdays.forms import DayField

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _text(label, required: bool = True, max_length: int | None = None, rows: int = 0):
    widget = forms.Textarea(attrs={**TEXT, "rows": rows}) if rows else forms.TextInput(attrs=TEXT)
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


class IssueForm(forms.Form):
    number = _text(_("Number and symbol"), max_length=100)
    issued_on = DayField(label=_("Issue date"))


class AreaForm(forms.Form):
    reform_area = forms.ModelChoiceField(
        ReformArea.objects.all(),
        label=_("Standard area"),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    title = _text(_("Title (empty: the standard area's name)"), required=False, max_length=300)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0, widget=forms.NumberInput(attrs=TEXT))


class PlanPartForm(forms.Form):
    """A form for something inside a plan: its area is one of the plan's areas."""

    area = forms.ModelChoiceField(
        PlanArea.objects.none(), label=_("Area"), required=False, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "area").queryset = plan.areas.all()


def choice_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    """A model choice field of `form`, typed as such so that its queryset can be set."""
    return cast(forms.ModelChoiceField, form.fields[name])


def metric_choices() -> list[tuple[str, Any]]:
    return [("manual", _("Entered by hand"))] + [
        (metric.key, f"{metric.label} ({metric.key})") for metric in metrics.available()
    ]


class TargetForm(PlanPartForm):
    code = _text(_("Code"), required=False, max_length=30)
    text = _text(_("Text"), rows=2)
    measure = _text(_("What is measured"), required=False, max_length=300)
    comparator = forms.ChoiceField(
        label=_("Comparator"), choices=Comparator.choices, widget=forms.Select(attrs=SELECT)
    )
    # Numbers are text here so that "98,5" reaches the service, which reads the decimal comma.
    value = _text(_("Value"), max_length=30)
    unit = forms.ChoiceField(label=_("Unit"), choices=TargetUnit.choices, widget=forms.Select(attrs=SELECT))
    scope_types = forms.MultipleChoiceField(
        label=_("Unit types in scope (none: every unit)"),
        choices=UnitType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    data_source = forms.ChoiceField(label=_("Data source"), widget=forms.Select(attrs=SELECT))
    baseline = _text(_("Baseline"), required=False, max_length=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["data_source"]).choices = metric_choices()


class TaskForm(PlanPartForm):
    code = _text(_("Code"), required=False, max_length=30)
    text = _text(_("Task"), rows=3)
    lead_unit = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Lead unit"), widget=forms.Select(attrs=SELECT)
    )
    coordinating_units = forms.ModelMultipleChoiceField(
        Unit.objects.none(),
        label=_("Coordinating units"),
        required=False,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": 6}),
    )
    deadline_kind = forms.ChoiceField(
        label=_("Kind of deadline"), choices=DeadlineKind.choices, widget=forms.Select(attrs=SELECT)
    )
    deadline = DayField(label=_("Deadline (for a quarter or a year: its last day)"), required=False)
    expected_product = _text(_("Expected product"), required=False, max_length=500)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        # A plan's tasks are led by units of the tree it governs.
        units = Unit.objects.subtree(plan.issuing_unit).active_on(timezone.localdate()).order_by("path")
        choice_field(self, "lead_unit").queryset = units
        choice_field(self, "coordinating_units").queryset = units


class MeasurementForm(forms.Form):
    """A unit's value for a period. On the page the list holds the units the user may enter for; on
    POST any unit of the plan's tree is accepted here and the service decides (a refusal is a 403)."""

    unit = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Unit"), empty_label=None, widget=forms.Select(attrs=SELECT)
    )
    period = _text(_("Period"), max_length=10)
    numerator = _text(_("Value or numerator"), max_length=30)
    denominator = _text(_("Denominator (for a percentage)"), required=False, max_length=30)
    note = _text(_("Note"), required=False, rows=2)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "unit").queryset = units


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=TaskStatus.choices, widget=forms.Select(attrs=SELECT)
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, widget=forms.NumberInput(attrs=TEXT)
    )
    narrative = _text(_("What was done"), rows=3)
    evidence = forms.FileField(
        label=_("Evidence"), required=False, widget=forms.ClearableFileInput(attrs=TEXT)
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))])
    comment = _text(_("Comment"), required=False, rows=2)


class DeadlineRequestForm(forms.Form):
    new_kind = forms.ChoiceField(
        label=_("Kind of deadline"), choices=DeadlineKind.choices, widget=forms.Select(attrs=SELECT)
    )
    new_deadline = DayField(label=_("New deadline"), required=False)
    reason = _text(_("Reason"), rows=2)


class DeadlineDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    comment = _text(_("Comment"), required=False, rows=2)
