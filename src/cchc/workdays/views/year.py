"""The calendar page: a year's days off and their legal bases, a calculator, and the override editor."""

import calendar as month_calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc.accounts.permissions import VIEW, has_global_permission
from cchc.workdays import calendar, services
from cchc.workdays.forms import AddWorkingDaysForm, CountWorkingDaysForm, OverrideForm
from cchc.workdays.models import CalendarOverride


@dataclass
class Entry:
    """One line of the year's list: a statutory day off or an override."""

    date: datetime.date
    name: str
    override: CalendarOverride | None = None


@dataclass
class Cell:
    """One day of the month grid."""

    date: datetime.date
    working: bool
    weekend: bool
    label: str


def _year_from(request: HttpRequest) -> tuple[int, str]:
    today = timezone.localdate()
    raw = request.GET.get("year", "").strip()
    if not raw:
        return today.year, ""
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if calendar.FIRST_YEAR <= year <= calendar.LAST_YEAR:
        return year, ""
    error = _("“%(value)s” is not a year the calendar covers (%(first)s–%(last)s).") % {
        "value": raw,
        "first": calendar.FIRST_YEAR,
        "last": calendar.LAST_YEAR,
    }
    return today.year, error


def _months(year: int, labels: dict[datetime.date, str]) -> list[dict[str, Any]]:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    days = [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]
    working = dict(zip(days, calendar.is_working_day_array(days).tolist(), strict=True))
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [
                    Cell(day, working[day], day.weekday() >= 5, labels.get(day, ""))
                    if day.month == month
                    else None
                    for day in week
                ]
            )
        months.append({"number": month, "weeks": weeks})
    return months


def _calculator(request: HttpRequest) -> dict[str, Any]:
    """Bind the calculator forms only to what was asked, so an empty page shows no errors."""
    context: dict[str, Any] = {"add_form": AddWorkingDaysForm(), "count_form": CountWorkingDaysForm()}
    if "start" in request.GET or "n" in request.GET:
        form = AddWorkingDaysForm(request.GET)
        context["add_form"] = form
        if form.is_valid():
            try:
                context["add_result"] = calendar.add_working_days(
                    form.cleaned_data["start"], form.cleaned_data["n"]
                )
            except ValueError as error:
                form.add_error(None, str(error))
    if "first" in request.GET or "last" in request.GET:
        count_form = CountWorkingDaysForm(request.GET)
        context["count_form"] = count_form
        if count_form.is_valid():
            try:
                context["count_result"] = calendar.working_days_between(
                    count_form.cleaned_data["first"], count_form.cleaned_data["last"]
                )
            except ValueError as error:
                count_form.add_error(None, str(error))
    return context


def _render_page(
    request: HttpRequest,
    year: int,
    *,
    year_error: str = "",
    override_form: OverrideForm | None = None,
    editing: CalendarOverride | None = None,
) -> HttpResponse:
    overrides = list(CalendarOverride.objects.filter(date__year=year).select_related("legal_basis"))
    statutory = calendar.holiday_names(year, get_language() or "vi")
    entries = [Entry(day, name) for day, name in statutory]
    entries += [Entry(override.date, override.name, override) for override in overrides]
    entries.sort(key=lambda entry: (entry.date, entry.override is not None))
    labels = {entry.date: entry.name for entry in entries}
    can_edit = services.can_edit_calendar(request.user)
    if can_edit and override_form is None:
        override_form = _override_form_for(editing)
    context = {
        "year": year,
        "year_error": year_error,
        "previous_year": year - 1 if year > calendar.FIRST_YEAR else None,
        "next_year": year + 1 if year < calendar.LAST_YEAR else None,
        "entries": entries,
        "months": _months(year, labels),
        "weekday_names": [WEEKDAYS_ABBR[day] for day in range(7)],
        "working_days_in_year": calendar.working_days_between(
            datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        ),
        "can_edit": can_edit,
        # History entries of the calendar are shown only to people who see the whole province.
        "can_read_history": has_global_permission(request.user, VIEW),
        "override_form": override_form if can_edit else None,
        "editing": editing,
        **_calculator(request),
    }
    return render(request, "workdays/calendar.html", context)


def _override_form_for(override: CalendarOverride | None) -> OverrideForm:
    if override is None:
        return OverrideForm()
    return OverrideForm(
        initial={
            "date": override.date,
            "kind": override.kind,
            "name": override.name,
            "legal_basis": override.legal_basis_id,
            "note": override.note,
        }
    )


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    year, year_error = _year_from(request)
    editing = None
    if request.GET.get("edit") and services.can_edit_calendar(request.user):
        editing = (
            CalendarOverride.objects.filter(pk=request.GET["edit"]).first()
            if request.GET["edit"].isdigit()
            else None
        )
        if editing is not None and not request.GET.get("year"):
            year = editing.date.year
    return _render_page(request, year, year_error=year_error, editing=editing)


def _back_to(year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('workdays:calendar')}?year={year}")


def _require_editor(request: HttpRequest) -> None:
    if not services.can_edit_calendar(request.user):
        raise PermissionDenied(_("Only administrators of the province may change the working-day calendar."))


@login_required
@require_POST
def save_override(request: HttpRequest) -> HttpResponse:
    """Create an override, or change the one named by the `id` field."""
    _require_editor(request)
    raw_id = request.POST.get("id", "").strip()
    editing = get_object_or_404(CalendarOverride, pk=raw_id) if raw_id.isdigit() else None
    form = OverrideForm(request.POST)
    valid = form.is_valid()
    shown_day = form.cleaned_data.get("date") or (editing.date if editing else timezone.localdate())
    if valid:
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            if editing is None:
                override = services.add_override(actor=request.user, reason=reason, **data)
                messages.success(request, _("Added %(override)s.") % {"override": override})
            else:
                override = services.update_override(
                    actor=request.user, override=editing, reason=reason, **data
                )
                messages.success(request, _("Saved %(override)s.") % {"override": override})
            return _back_to(override.date.year)
        except ValidationError as error:
            form.add_error(None, error)
    return _render_page(request, shown_day.year, override_form=form, editing=editing)


@login_required
@require_POST
def delete_override(request: HttpRequest) -> HttpResponse:
    """Remove the override named by the `id` field; the day follows the statutory rule again."""
    _require_editor(request)
    raw_id = request.POST.get("id", "").strip()
    override = get_object_or_404(CalendarOverride, pk=raw_id) if raw_id.isdigit() else None
    if override is None:
        messages.error(request, _("Choose the override to delete."))
        return _back_to(timezone.localdate().year)
    year, label = override.date.year, str(override)
    services.delete_override(
        actor=request.user, override=override, reason=request.POST.get("reason", "").strip()
    )
    messages.success(request, _("Deleted %(override)s.") % {"override": label})
    return _back_to(year)
