"""The brief page's forms: which unit and period to write a brief of, and a schedule."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.core.periods import Period, period_label
from cchc.kit.periods import HALVES_AND_QUARTERS, period_choices
from cchc.units.models import Unit
from cchc.web.models import PeriodKind, Weekday

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
YEARS_BACK = 3


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


def period_options(today: datetime.date) -> list[tuple[str, str]]:
    """This year's and the last years' periods that have begun, newest first, as people write them."""
    keys = period_choices(
        range(today.year - YEARS_BACK, today.year + 1), parts=HALVES_AND_QUARTERS, months=True
    )
    started = [key for key in keys if Period.parse(key).start <= today]
    started.sort(key=lambda key: (Period.parse(key).end, -len(key)), reverse=True)
    return [(key, period_label(key)) for key in started]


class BriefRequestForm(forms.Form):
    """A unit the user may view and a period. The period is a free choice checked by the service
    (`parse_period`), so that a forged or mistyped one gets the service's message."""

    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=forms.Select(attrs=SELECT))
    period = forms.CharField(label=_("Period"), max_length=20, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, units, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["period"].widget.choices = period_options(today)


class RecipientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.full_name or obj.username
        return f"{name} <{obj.email}>"


class SubscriptionForm(forms.Form):
    """A schedule's fields (its unit is chosen before, on the list); the rhythm (weekly or monthly)
    picks which of the two day fields counts. The service checks everything again."""

    period_kind = forms.ChoiceField(
        label=_("Period covered"), choices=PeriodKind.choices, widget=forms.Select(attrs=SELECT)
    )
    rhythm = forms.ChoiceField(
        label=_("How often"),
        choices=[("weekly", _("Every week")), ("monthly", _("Every month"))],
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label=_("On (weekly)"),
        choices=Weekday.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    day_of_month = forms.IntegerField(
        label=_("On day (monthly)"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("1 to 31; in a shorter month the brief goes out on its last day."),
        widget=forms.NumberInput(attrs=TEXT),
    )
    users = RecipientsField(
        label=_("Recipients in the system"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emails = forms.CharField(
        label=_("Other e-mail addresses"),
        required=False,
        help_text=_("One address per line."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = recipients

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        weekly = data.pop("rhythm") == "weekly"
        if weekly:
            data["day_of_month"] = None
        else:
            data["weekday"] = None
        return data
