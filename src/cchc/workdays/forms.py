"""Forms of the calendar page: the calculator and the override editor. Dates are typed dd/mm/yyyy."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core.models import LegalDocument
from cchc.workdays.models import OverrideKind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERROR = _("Write the date as dd/mm/yyyy, e.g. 13/02/2026.")


class DayField(forms.DateField):
    """A date typed as dd/mm/yyyy (ISO accepted too), shown back as dd/mm/yyyy."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"}),
        )
        kwargs.setdefault("error_messages", {"invalid": DATE_ERROR})
        super().__init__(**kwargs)


class AddWorkingDaysForm(forms.Form):
    """N working days after a start date; the start date itself is not counted."""

    start = DayField(label=_("Start date"))
    n = forms.IntegerField(
        label=_("Working days"),
        min_value=0,
        max_value=5000,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={
            "invalid": _("Enter a whole number of working days."),
            "min_value": _("The number of working days must be zero or more."),
            "max_value": _("Count at most %(limit_value)s working days at a time."),
        },
    )


class CountWorkingDaysForm(forms.Form):
    """Working days in a range, both ends included."""

    first = DayField(label=_("From"))
    last = DayField(label=_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


class OverrideForm(forms.Form):
    """Fields of an override; saving goes through the services, which check the calendar rules."""

    date = DayField(label=_("Date"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OverrideKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    legal_basis = forms.ModelChoiceField(
        label=_("Legal basis"),
        queryset=LegalDocument.objects.order_by("-issued_on", "number"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Legal documents are added under Configuration."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
