"""Forms of the webhook pages. They only parse input; the rules (a valid address, at least one event,
the right to administer the unit) live in services.py."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import ADMINISTER
from cchc.units.models import Unit
from cchc.webhooks.models import EventType

TEXT = {"class": "form-control"}


class SubscriptionForm(forms.Form):
    """Name, address, events and whether it is active; a new subscription also chooses its unit."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Events about this unit and the units below it are sent."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs=TEXT))
    # A plain text field: the service checks the address and says why in the user's language.
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "https://"}),
        help_text=_("The other system's address that receives the events (http:// or https://)."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, with_unit: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_unit:
            # Only units the user administers; the service checks again.
            field = cast(forms.ModelChoiceField, self.fields["unit"])
            field.queryset = Unit.objects.for_user(user, ADMINISTER).order_by("path")
        else:  # a subscription keeps its unit
            del self.fields["unit"]
