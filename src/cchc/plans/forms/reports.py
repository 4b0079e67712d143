"""Forms of the periodic reports' pages: creating a year's rounds, and the consolidated report's
heading and signature before it is downloaded."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from cchc.plans.models import ReportKind
from cchc.plans.services import reports as services


class RoundsForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Reports"),
        choices=ReportKind.choices,
        initial=ReportKind.values,
        widget=forms.CheckboxSelectMultiple,
    )
    due_day = forms.IntegerField(label=gettext_lazy("Units report by this day of the period's last month"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_day"].initial = services.load_defaults()["due_day"]


class ExportForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Number"), required=False, max_length=50)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100)
    issued_on = forms.DateField(label=gettext_lazy("Date"), required=False)
    signer_title = forms.CharField(
        label=gettext_lazy("Signer's title"), widget=forms.Textarea(attrs={"rows": 2}), max_length=200
    )
    signer_name = forms.CharField(label=gettext_lazy("Signer"), required=False, max_length=100)
    recipients = forms.CharField(
        label=gettext_lazy("Recipients (one per line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
