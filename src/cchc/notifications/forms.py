from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.notifications.models import EmailChoice


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-mail me"),
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
        help_text=_("Notifications always show in the application; this only decides the e-mails."),
    )
