"""Granting a role on a unit from the unit's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Role, RoleAssignment, User


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


class ApiTokenForm(forms.Form):
    """A new API key: its name, one of the owner's own roles, and its end date (dd/mm/yyyy)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say what uses the key, e.g. Đồng bộ phần mềm một cửa."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    role_assignment = forms.ModelChoiceField(
        label=_("Role the key acts with"),
        queryset=RoleAssignment.objects.none(),
        empty_label=None,
        help_text=_("The key may do only what this role may do, on this unit."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    expires_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "form-control"}
        ),
        error_messages={"invalid": _("Write the date as dd/mm/yyyy, e.g. 13/02/2026.")},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role_assignment"].queryset = owner.role_assignments.select_related("unit")
        self.fields["role_assignment"].label_from_instance = lambda assignment: (
            f"{assignment.get_role_display()} — {assignment.unit.name}"
        )
