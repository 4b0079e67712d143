"""Filters for the audit trail page."""

from typing import cast

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from cchc.core.models import AuditEntry

# core is the lowest floor: it asks Django's registry for the user and unit models rather than
# importing the apps above it.
User = get_user_model()
Unit = apps.get_model("units", "Unit")


def model_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else content_type.model


class ObjectTypeField(forms.ModelChoiceField):
    """Offers object types by their human name ("Đơn vị") rather than their technical one."""

    def label_from_instance(self, obj) -> str:
        return model_label(obj)


class AuditFilterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Unit"))
    include_below = forms.BooleanField(required=False, initial=True, label=_("Include units below"))
    actor = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("User"))
    object_type = ObjectTypeField(queryset=ContentType.objects.none(), required=False, label=_("Object type"))
    date_from = forms.DateField(required=False, label=_("From"))
    date_to = forms.DateField(required=False, label=_("To"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = cast(forms.ModelChoiceField, self.fields["unit"])
        actor_field = cast(forms.ModelChoiceField, self.fields["actor"])
        type_field = cast(forms.ModelChoiceField, self.fields["object_type"])
        unit_field.queryset = Unit.objects.for_user(user).order_by("path")
        # Only the people and kinds of object that appear in entries the user may read.
        entries = AuditEntry.objects.for_user(user)
        actor_field.queryset = User.objects.filter(pk__in=entries.values("actor_id")).order_by("username")
        type_field.queryset = ContentType.objects.filter(pk__in=entries.values("object_type_id")).order_by(
            "app_label", "model"
        )

    def clean(self):
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data

    def apply(self, entries):
        data = self.cleaned_data
        if data.get("unit"):
            if data.get("include_below"):
                entries = entries.filter(unit__path__startswith=data["unit"].path)
            else:
                entries = entries.filter(unit=data["unit"])
        if data.get("actor"):
            entries = entries.filter(actor=data["actor"])
        if data.get("object_type"):
            entries = entries.filter(object_type=data["object_type"])
        if data.get("date_from"):
            entries = entries.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries
