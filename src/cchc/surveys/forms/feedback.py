"""Forms of the staff pages of citizen feedback. They only shape what was typed: the services check the
rules (statuses, rights, deadlines) and their refusals reach the user as messages."""

import re
from pathlib import Path
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import scope_paths
from cchc.surveys.models import FeedbackKind, FeedbackStatus
from cchc.units.models import PATH_STEP, Unit

TEXT = {"class": "form-control"}
SMALL_TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select"}
SMALL_SELECT = {"class": "form-select form-select-sm"}
CHECK = {"class": "form-check-input"}

IMPORT_SUFFIXES = (".csv", ".xlsx")
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def top_units(user: Any, action: str) -> QuerySet[Unit]:
    """The top-level units (provinces) that contain a unit on which the user may `action`: the receiving
    authorities the user works for."""
    roots = Unit.objects.filter(parent__isnull=True).order_by("path")
    paths = scope_paths(user, action)
    if paths is None:
        return roots
    return roots.filter(path__in={path[: PATH_STEP + 1] for path in paths})


class IndentedUnitField(forms.ModelChoiceField):
    """A unit select in tree order, each unit indented under its parent."""

    def label_from_instance(self, obj: Any) -> str:
        return "\u00a0\u00a0" * obj.depth + obj.name


def _units_field(field: forms.Field, queryset: QuerySet[Unit]) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset.order_by("path")


class FeedbackFilter(forms.Form):
    """The filters of the list and of its XLSX export (GET)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *FeedbackStatus.choices],
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    kind = forms.ChoiceField(
        label=_("About"),
        required=False,
        choices=[("", _("All kinds")), *FeedbackKind.choices],
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    unit = IndentedUnitField(
        Unit.objects.none(),
        label=_("Responsible unit"),
        required=False,
        empty_label=_("All my units"),
        widget=forms.Select(attrs=SMALL_SELECT),
    )
    month = forms.CharField(
        label=_("Received in (month)"),
        required=False,
        widget=forms.DateInput(attrs={**SMALL_TEXT, "type": "month", "placeholder": "YYYY-MM"}),
    )
    overdue = forms.BooleanField(
        label=_("Overdue only"), required=False, widget=forms.CheckboxInput(attrs=CHECK)
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units_field(self.fields["unit"], units)

    def clean_month(self) -> tuple[int, int] | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        if not MONTH.match(value):
            raise forms.ValidationError(_("Write the month as YYYY-MM, for example 2026-03."))
        year, month = value.split("-")
        return int(year), int(month)


class NewFeedbackForm(forms.Form):
    """Feedback received at a desk, by phone or by letter, entered by the staff who received it."""

    organiser = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Receiving authority"), widget=forms.Select(attrs=SELECT)
    )
    unit = IndentedUnitField(
        Unit.objects.none(),
        label=_("Responsible unit"),
        required=False,
        empty_label=_("Not yet known (the reform office routes it)"),
        widget=forms.Select(attrs=SELECT),
    )
    kind = forms.ChoiceField(label=_("About"), choices=FeedbackKind.choices, widget=forms.RadioSelect)
    procedure_code = forms.CharField(
        label=_("Procedure code (when it is about a procedure)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs=TEXT),
    )
    title = forms.CharField(label=_("Subject"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={**TEXT, "rows": 6}))
    contact = forms.CharField(
        label=_("Contact (optional)"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT)
    )
    consent_to_publish = forms.BooleanField(
        label=_("The citizen agrees that the answer is published"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECK),
    )
    received_at = forms.DateTimeField(
        label=_("Received at (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, organisers: QuerySet[Unit], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units_field(self.fields["organiser"], organisers)
        _units_field(self.fields["unit"], units)
        first = organisers.first()
        if first is not None:
            self.fields["organiser"].initial = first.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organiser, unit = data.get("organiser"), data.get("unit")
        if organiser is not None and unit is not None and not unit.path.startswith(organiser.path):
            self.add_error("unit", _("This unit is not under the receiving authority."))
        received_at = data.get("received_at")
        if received_at is not None and received_at > timezone.now():
            self.add_error("received_at", _("The date of receipt cannot be in the future."))
        return data


class FeedbackImportForm(forms.Form):
    organiser = forms.ModelChoiceField(
        Unit.objects.none(), label=_("Receiving authority"), widget=forms.Select(attrs=SELECT)
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or XLSX, with a header row naming the columns."),
        widget=forms.ClearableFileInput(attrs={**TEXT, "accept": ",".join(IMPORT_SUFFIXES)}),
    )

    def __init__(self, *args: Any, organisers: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units_field(self.fields["organiser"], organisers)
        first = organisers.first()
        if first is not None:
            self.fields["organiser"].initial = first.pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            raise forms.ValidationError(
                _("Only CSV and XLSX files can be imported (this file is %(suffix)s).")
                % {"suffix": suffix or "?"}
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMPORT_BYTES)}
            )
        return upload


# -- the actions on one feedback ------------------------------------------------------------------


class RouteForm(forms.Form):
    unit = IndentedUnitField(
        Unit.objects.none(), label=_("Responsible unit"), widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, organiser: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _units_field(self.fields["unit"], Unit.objects.subtree(organiser).active_on(timezone.localdate()))


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusing to handle it"), widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )


class RequestInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Information asked of the citizen"), widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )


class InformationReceivedForm(forms.Form):
    received_at = forms.DateTimeField(
        label=_("Information received at (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={**TEXT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_received_at(self) -> Any:
        value = self.cleaned_data["received_at"]
        if value is not None and value > timezone.now():
            raise forms.ValidationError(_("The information cannot arrive in the future."))
        return value


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={**TEXT, "rows": 6}))


class EmptyForm(forms.Form):
    """Publishing and closing take nothing but the button."""
