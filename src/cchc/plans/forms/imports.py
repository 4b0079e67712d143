"""Forms of the plan-document import: the upload, then one editable row per area, target and task.

The rows start from what the extractor read, with a best-effort guess at what the words mean here
(which unit "Sở Tư pháp" is, which date "Quý II" is). A guess that is not safe is left empty for the
reviewer; the services check every rule when the reviewer confirms.
"""

import calendar
import datetime
import re
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.accounts.permissions import PLAN
from cchc.plans.extraction import ScannedPdf, UnsupportedFileType, read_text
from cchc.plans.extraction.reading import DocumentError, RefusedDocument
from cchc.plans.forms.plans import SELECT, TEXT, choice_field
from cchc.plans.models import Comparator, DeadlineKind, TargetUnit
from cchc.units.models import Unit, UnitType
from cchc.workdays.forms import DayField

MAX_BYTES = 10 * 1024 * 1024
SUFFIXES = (".docx", ".pdf", ".txt")
CHECK = {"class": "form-check-input"}
NONE: list[tuple[str, Any]] = [("", "—")]  # the empty choice: "not chosen yet"

# The extractor's standard areas and the codes of the shipped ReformArea rows (data/reform_areas.json).
REFORM_AREA_CODES = {
    "direction": "chi-dao",
    "institutions": "the-che",
    "procedures": "tthc",
    "organisation": "to-chuc-bo-may",
    "civil_service": "cong-vu",
    "public_finance": "tai-chinh-cong",
    "e_government": "chinh-phu-so",
}
# Administrative levels a target names and the unit types that stand for them (domain: scope = types).
SCOPE_LEVELS = {"cấp tỉnh": UnitType.AGENCY, "cấp huyện": UnitType.DISTRICT, "cấp xã": UnitType.COMMUNE}


# -- step 1: the upload ------------------------------------------------------------------------------


class UploadForm(forms.Form):
    issuing_unit = forms.ModelChoiceField(
        Unit.objects.none(), label=gettext_lazy("Issuing unit"), empty_label=None, widget=forms.Select(SELECT)
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"), min_value=2000, max_value=2100, widget=forms.NumberInput(TEXT)
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year (empty: the same year)"),
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(TEXT),
    )
    file = forms.FileField(
        label=gettext_lazy("Plan document (.docx, .pdf with a text layer, or .txt; at most 10 MB)"),
        widget=forms.FileInput({**TEXT, "accept": ",".join(SUFFIXES)}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_user(user, PLAN).active_on(timezone.localdate()).order_by("path")
        choice_field(self, "issuing_unit").queryset = units
        self.text = ""
        self.file_name = ""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.file_name = name = Path(upload.name).name
        if Path(name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_refusal(UnsupportedFileType, name))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("%(file)s is larger than 10 MB.") % {"file": name})
        try:
            self.text = read_text(upload.read(), name)
        except RefusedDocument as error:  # a limit: its own words say which
            raise forms.ValidationError(
                _("%(file)s cannot be imported: %(reason)s") % {"file": name, "reason": error}
            ) from None
        except DocumentError as error:
            raise forms.ValidationError(_refusal(type(error), name)) from None
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("year_from"), data.get("year_to")
        if first and last and last < first:
            self.add_error("year_to", _("The last year is before the first."))
        return data


def _refusal(kind: type[DocumentError], name: str) -> str:
    """Why the file cannot be read, in the words of `cchc plans extract` (already in the catalogue)."""
    if issubclass(kind, ScannedPdf):
        text = _(
            "%(file)s is a scanned PDF with no text layer: run it through OCR first, "
            "or use the DOCX the plan was written in."
        )
    elif issubclass(kind, UnsupportedFileType):
        text = _("%(file)s is not a supported file type: use a .docx, .pdf (with a text layer) or .txt file.")
    else:
        text = _("%(file)s could not be read: it is damaged, password-protected or not what its name says.")
    return text % {"file": name}


_NUMBER_LINE = re.compile(r"số\s*:?\s*(\d+\S*/\S+)", re.IGNORECASE)


def proposed_heading(text: str) -> tuple[str, str]:
    """The title and number as the plan's first lines write them ("KẾ HOẠCH", "Số: 12/KH-UBND")."""
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines()[:40]]
    lines = [line for line in lines if line]
    number = next((match.group(1) for line in lines if (match := _NUMBER_LINE.match(line))), "")
    for index, line in enumerate(lines):
        if not line.casefold().startswith("kế hoạch"):
            continue
        title = _sentence_case(line)
        if len(line.split()) <= 2 and index + 1 < len(lines):  # "KẾ HOẠCH" alone, the subject below
            subject = _sentence_case(lines[index + 1])
            title = f"{title} {subject[:1].lower()}{subject[1:]}"
        return title[:500], number[:100]
    return "", number[:100]


def _sentence_case(line: str) -> str:
    """Headings are often all capitals; a title reads better in sentence case."""
    return line.capitalize() if line.isupper() else line


# -- step 2: the review rows -------------------------------------------------------------------------


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class RowForm(forms.Form):
    """A row the reviewer keeps or leaves out. A row left out is not checked: nothing of it is saved."""

    include = forms.BooleanField(
        label=gettext_lazy("Include"), required=False, widget=forms.CheckboxInput(CHECK)
    )
    required_when_included: tuple[str, ...] = ()

    @property
    def included(self) -> bool:
        return bool(self["include"].value())

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and not self.included:
            self.errors.clear()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.included:
            for name in self.required_when_included:
                if name not in self.errors and data.get(name) in (None, "", []):
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return data


class PlanForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500, widget=forms.TextInput(TEXT))
    number = forms.CharField(
        label=gettext_lazy("Number and symbol"), max_length=100, required=False, widget=forms.TextInput(TEXT)
    )


class AreaRowForm(RowForm):
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=300, required=False, widget=forms.TextInput(TEXT)
    )
    reform_area = forms.ChoiceField(
        label=gettext_lazy("Standard area"), required=False, widget=forms.Select(SELECT)
    )

    def __init__(self, *args: Any, reform_areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "reform_area", NONE + reform_areas)


class TargetRowForm(RowForm):
    text = forms.CharField(
        label=gettext_lazy("Text"), required=False, widget=forms.Textarea({**TEXT, "rows": 2})
    )
    comparator = forms.ChoiceField(
        label=gettext_lazy("Comparator"), choices=Comparator.choices, widget=forms.Select(SELECT)
    )
    # Text, so that "98,5" reaches the service, which reads the decimal comma.
    value = forms.CharField(
        label=gettext_lazy("Value"), max_length=30, required=False, widget=forms.TextInput(TEXT)
    )
    unit = forms.ChoiceField(
        label=gettext_lazy("Unit"),
        choices=NONE + TargetUnit.choices,
        required=False,
        widget=forms.Select(SELECT),
    )
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False, widget=forms.Select(SELECT))
    scope_types = forms.MultipleChoiceField(
        label=gettext_lazy("Unit types in scope (none: every unit)"),
        choices=UnitType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(CHECK),
    )
    required_when_included = ("text", "value", "unit")

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "area", NONE + areas)


class TaskRowForm(RowForm):
    text = forms.CharField(
        label=gettext_lazy("Task"), required=False, widget=forms.Textarea({**TEXT, "rows": 2})
    )
    lead_unit = forms.ChoiceField(
        label=gettext_lazy("Lead unit"), required=False, widget=forms.Select(SELECT)
    )
    coordinating_units = forms.MultipleChoiceField(
        label=gettext_lazy("Coordinating units"),
        required=False,
        widget=forms.SelectMultiple({**SELECT, "size": 4}),
    )
    deadline_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of deadline"),
        choices=NONE + DeadlineKind.choices,
        required=False,
        widget=forms.Select(SELECT),
    )
    deadline = DayField(label=gettext_lazy("Deadline"), required=False)
    expected_product = forms.CharField(
        label=gettext_lazy("Expected product"), max_length=500, required=False, widget=forms.TextInput(TEXT)
    )
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False, widget=forms.Select(SELECT))
    required_when_included = ("text", "deadline_kind")

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[str, str]],
        units: list[tuple[str, str]],
        years: tuple[int, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "area", NONE + areas)
        _set_choices(self, "lead_unit", NONE + units)
        _set_choices(self, "coordinating_units", units)
        self.years = years

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.included:
            return data
        if not data.get("lead_unit") and "lead_unit" not in self.errors:
            self.add_error("lead_unit", _("Choose the lead unit, or leave this task out."))
        deadline, (first, last) = data.get("deadline"), self.years
        if (
            deadline
            and data.get("deadline_kind") != DeadlineKind.RECURRING
            and not first <= deadline.year <= last
        ):
            years = str(first) if first == last else f"{first}–{last}"
            self.add_error(
                "deadline", _("The deadline lies outside the plan's years (%(years)s).") % {"years": years}
            )
        return data


AreaFormSet = forms.formset_factory(AreaRowForm, extra=0)
TargetFormSet = forms.formset_factory(TargetRowForm, extra=0)
TaskFormSet = forms.formset_factory(TaskRowForm, extra=0)


# -- pre-filling the rows from the extracted draft ---------------------------------------------------


def plain(text: str) -> str:
    """Words without case or diacritics, padded with spaces so that `in` matches whole words only."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " " + " ".join(re.findall(r"\w+", text)) + " "


def match_unit(written: str | None, units: list[tuple[str, str]]) -> str:
    """The unit (pk, as text) that the written name means, or "" when no unit or several could be meant.

    `units` pairs each pk with its name already passed through `plain`. A name inside the written words
    wins ("UBND xã Tây" holds "xã Tây"); else the written words inside a single name ("Tư pháp").
    """
    if not written or not written.strip():
        return ""
    words = plain(written)
    inside = [(pk, name) for pk, name in units if name in words]
    if inside:
        longest = max(inside, key=lambda pair: len(pair[1]))
        # Several names found: only safe when the others are part of the longest ("Sở Tư pháp" in
        # "Phòng Hành chính Sở Tư pháp"), i.e. the document names one unit.
        return longest[0] if all(name in longest[1] for _pk, name in inside) else ""
    around = [pk for pk, name in units if words in name]
    return around[0] if len(around) == 1 else ""


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_FIRST_MONTHS = re.compile(r"(\d{1,2})\s+tháng\s+đầu\s+năm(?:\s+(\d{4}))?")
_MONTH = re.compile(r"tháng\s*(\d{1,2})(?:\s*(?:/|-|năm)\s*(\d{4}))?")
_QUARTER = re.compile(r"quý\s*(iv|iii|ii|i|[1-4])(?!\w)(?:\s*(?:/|-|năm)\s*(\d{4}))?")
_YEAR = re.compile(r"năm\s*(\d{4})|^\s*(\d{4})\s*$")


def _month_end(year: int, month: int) -> datetime.date | None:
    if not 1 <= month <= 12:
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def read_deadline(written: str | None, first_year: int) -> tuple[str, datetime.date | None]:
    """The kind and date a written deadline means; ("", None) when it cannot be read or is impossible.

    A month or quarter written without a year is in the plan's first year.
    """
    text = (written or "").casefold()
    if "thường xuyên" in text:
        return DeadlineKind.RECURRING, None
    if match := _DATE.search(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            return DeadlineKind.DATE, datetime.date(year, month, day)
        except ValueError:  # 31/02: leave it to the reviewer
            return "", None
    if match := _FIRST_MONTHS.search(text) or _MONTH.search(text):
        end = _month_end(int(match.group(2) or first_year), int(match.group(1)))
        return (DeadlineKind.DATE, end) if end else ("", None)
    if match := _QUARTER.search(text):
        quarter = _ROMAN.get(match.group(1)) or int(match.group(1))
        return DeadlineKind.QUARTER, _month_end(int(match.group(2) or first_year), quarter * 3)
    if match := _YEAR.search(text):
        return DeadlineKind.YEAR, datetime.date(int(match.group(1) or match.group(2)), 12, 31)
    if "trong năm" in text:
        return DeadlineKind.YEAR, datetime.date(first_year, 12, 31)
    return "", None


def _number_text(value: Decimal) -> str:
    """98.5 as a Vietnamese writes it: 98,5."""
    return format(value.normalize(), "f").replace(".", ",")


def target_unit(unit: str, value: Decimal) -> tuple[str, Decimal]:
    """The stored unit for the unit the document writes, with the value converted; "" when none fits."""
    if unit in ("%", "% per year", "tỷ đồng", "rank"):
        return ("%" if unit.startswith("%") else unit), value
    if unit == "triệu đồng":
        return TargetUnit.MONEY, value / 1000
    if unit.endswith(("đồng", "USD")):
        return "", value  # other currencies and scales: the reviewer decides
    return TargetUnit.COUNT, value  # a counted noun: "lần", "cuộc", "ngày làm việc"


def _area_index(title: str | None, areas: list[dict[str, Any]]) -> str:
    wanted = (title or "").casefold().strip()
    return next((str(i) for i, area in enumerate(areas) if area["title"].casefold().strip() == wanted), "")


def area_rows(draft: dict[str, Any], reform_area_pks: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "include": True,
            "title": area["title"],
            "reform_area": reform_area_pks.get(REFORM_AREA_CODES.get(area.get("standard", ""), ""), ""),
        }
        for area in draft["areas"]
    ]


def target_rows(draft: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for target in draft["targets"]:
        unit, value = target_unit(target["unit"], Decimal(str(target["value"])))
        scope = (target.get("scope") or "").casefold()
        rows.append(
            {
                "include": True,
                "text": target["text"],
                "comparator": target["comparator"],
                "value": _number_text(value),
                "unit": unit,
                "area": _area_index(target.get("area"), draft["areas"]),
                "scope_types": [kind for level, kind in SCOPE_LEVELS.items() if level in scope],
            }
        )
    return rows


def task_rows(draft: dict[str, Any], units: list[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = []
    for task in draft["tasks"]:
        kind, deadline = read_deadline(task.get("deadline"), draft["year_from"])
        helpers = [match_unit(name, units) for name in task.get("coordinating_units", [])]
        rows.append(
            {
                "include": True,
                "text": task["text"],
                "lead_unit": match_unit(task.get("lead_unit"), units),
                "coordinating_units": [pk for pk in helpers if pk],
                "deadline_kind": kind,
                "deadline": deadline,
                "expected_product": task.get("product") or "",
                "area": _area_index(task.get("area"), draft["areas"]),
            }
        )
    return rows
