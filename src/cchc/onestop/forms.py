"""Forms of the one-stop pages: the import upload and the filters of the procedure list."""

from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import ADMINISTER, ENTER, has_any_permission, has_global_permission
from cchc.onestop.models import ImportKind, OnlineLevel

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".json")


def max_upload_bytes() -> int:
    """CCHC_ONESTOP_MAX_UPLOAD_BYTES: a year of a province's dossiers as CSV is a few hundred megabytes."""
    return int(settings.CCHC_ONESTOP_MAX_UPLOAD_BYTES)


def import_kinds_for(user) -> list[tuple[str, Any]]:
    """What the user may import: dossiers with ENTER somewhere, procedures as an administrator."""
    kinds: list[tuple[str, Any]] = []
    if has_any_permission(user, ENTER):
        kinds.append((ImportKind.DOSSIERS.value, ImportKind.DOSSIERS.label))
    if has_global_permission(user, ADMINISTER):
        kinds.append((ImportKind.PROCEDURES.value, ImportKind.PROCEDURES.label))
    return kinds


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8), XLSX or JSON, with a header row naming the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = import_kinds_for(user)
        cast(forms.ChoiceField, self.fields["kind"]).choices = choices
        if len(choices) == 1:
            self.fields["kind"].initial = choices[0][0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                _("Only CSV, XLSX and JSON files can be imported (this file is %(suffix)s).")
                % {"suffix": suffix or "?"}
            )
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class ProcedureFilter(forms.Form):
    q = forms.CharField(label=_("Code or name"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Field"), required=False)
    online = forms.ChoiceField(
        label=_("Online service"), required=False, choices=[("", _("all")), *OnlineLevel.choices]
    )

    def __init__(self, *args, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["field"]).choices = [
            ("", _("all")),
            *((name, name) for name in fields),
        ]
