"""The leadership overview and the placeholders for sections still being built."""

import datetime
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.core.models import AuditEntry
from cchc.plans.reminders import reminders_for
from cchc.units.models import Unit, UnitType
from cchc.units.queries import counts_by_type
from cchc.workdays.calendar import working_days_between

COMING_SECTIONS = {
    "onestop": _("One-stop dossiers"),
    "parindex": _("PAR Index"),
    "surveys": _("Satisfaction surveys"),
}


@login_required
def dashboard(request):
    today = timezone.localdate()
    units = Unit.objects.for_user(request.user).active_on(today)
    by_type = counts_by_type(units)
    units_by_type = [
        {"label": str(label), "count": by_type.get(value, 0)}
        for value, label in UnitType.choices
        if value in by_type
    ]
    year_end = datetime.date(today.year, 12, 31)
    context = {
        "unit_count": sum(by_type.values()),
        "commune_count": by_type.get(UnitType.COMMUNE, 0),
        "working_days_left": working_days_between(today, year_end),
        "recent_changes": AuditEntry.objects.for_user(request.user)
        .filter(at__gte=timezone.now() - datetime.timedelta(days=30))
        .count(),
        "units_by_type_json": json.dumps(units_by_type, ensure_ascii=False),
        "reminders": reminders_for(request.user, today)[:10],
    }
    return render(request, "web/dashboard.html", context)


@login_required
def coming(request, section: str):
    if section not in COMING_SECTIONS:
        raise Http404
    return render(request, "web/coming.html", {"section_title": COMING_SECTIONS[section]})
