"""Granting a role on a unit from the unit's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Role, User


class GrantRoleForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        # Asked by exact name, so a unit administrator cannot browse other units' people.
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user is called %(name)s.") % {"name": username})
        self.cleaned_data["user"] = user
        return username
