"""Forms of the inspection pages. They only parse input; the rules live in services/inspections.py."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import PLAN
from cchc.plans.models import Finding, Inspection, InspectionPlan, ReformArea
from cchc.units.models import Unit, UnitType
from cchc.workdays.forms import DayField

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _units_below(unit: Unit) -> Any:
    return Unit.objects.subtree(unit).exclude(pk=unit.pk).order_by("path")


class InspectionPlanForm(forms.Form):
    issuing_unit = forms.ModelChoiceField(
        label=_("Issuing unit"), queryset=Unit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    number = forms.CharField(
        label=_("Number and symbol"), required=False, max_length=100, widget=forms.TextInput(attrs=TEXT)
    )
    title = forms.CharField(label=_("Title"), max_length=300, widget=forms.TextInput(attrs=TEXT))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        # Only units where the user may plan; the service checks again.
        field = cast(forms.ModelChoiceField, self.fields["issuing_unit"])
        field.queryset = Unit.objects.for_user(user, PLAN).filter(
            type__in=[UnitType.PROVINCE, UnitType.AGENCY, UnitType.DISTRICT]
        )


class InspectionForm(forms.Form):
    inspected_unit = forms.ModelChoiceField(
        label=_("Unit to inspect"), queryset=Unit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Inspection.KINDS, widget=forms.Select(attrs=SELECT))
    planned_on = DayField(label=_("Planned date"), required=False)

    def __init__(self, *args: Any, plan: InspectionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["inspected_unit"])
        field.queryset = (
            _units_below(plan.issuing_unit)
            .filter(type__in=[UnitType.AGENCY, UnitType.DISTRICT, UnitType.COMMUNE])
            .exclude(inspections__plan=plan)
        )


class RecordInspectionForm(forms.Form):
    done_on = DayField(label=_("Date carried out"))
    team = forms.CharField(label=_("Inspection team"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3, **TEXT})
    )


class FindingForm(forms.Form):
    description = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3, **TEXT}))
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    remedy_required = forms.CharField(
        label=_("Remedy required"), widget=forms.Textarea(attrs={"rows": 2, **TEXT})
    )
    deadline = DayField(label=_("Deadline"))
    area = forms.ModelChoiceField(
        label=_("Reform area"),
        queryset=ReformArea.objects.all(),
        required=False,
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        # The inspected unit is the usual answer; another unit below the issuer may be named instead.
        kwargs.setdefault("initial", {"responsible_unit": inspection.inspected_unit_id})
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["responsible_unit"])
        field.queryset = _units_below(inspection.plan.issuing_unit)


class RemedyForm(forms.Form):
    remedy_report = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3, **TEXT})
    )
    evidence = forms.FileField(
        label=_("Evidence"), required=False, widget=forms.ClearableFileInput(attrs=TEXT)
    )


class VerifyForm(forms.Form):
    ACCEPT, REOPEN = "accept", "reopen"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Remedy verified")), (REOPEN, _("Not remedied: reopen"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("Required when the finding is reopened."),
    )


STATE_FILTERS = [("", _("All states")), *Finding.STATES, ("overdue", _("Overdue"))]
