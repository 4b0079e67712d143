"""The national comparison pages: the provinces side by side on one figure of one month, and each
province's submission status over the months (only on the national instance: 404 elsewhere)."""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cchc.core.periods import Period
from cchc.exchange.models import ExchangePackage, PackageStatus, ProvinceRegistration
from cchc.exchange.national import figures, provinces, submissions
from cchc.kit.periods import chosen_period

MONTH_COUNTS = (6, 12, 24)
# How far back the month lists reach when no package names an older month.
RECENT_MONTHS = 24
# The years a package's rows may name (exchange.package): the month arithmetic of the pages (the
# following month's deadline, 24 months back) stays within what a date can hold.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _last_month(today: datetime.date) -> Period:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return Period.parse(f"{first.year:04d}-{first.month:02d}")


def _month(request: HttpRequest, param: str) -> tuple[Period, str]:
    """The month asked for, or last month with a message when the value is no month."""
    default = _last_month(timezone.localdate())
    period, error = chosen_period(request, default, param=param)
    if not error and period.start.month != period.end.month:
        period, error = default, _("Choose one month, written as 2026-06.")
    if not error and not FIRST_YEAR <= period.year <= LAST_YEAR:
        period, error = (
            default,
            _("Choose a month from %(first)s to %(last)s.")
            % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            },
        )
    return period, error


def _month_choices(chosen: Period) -> list[str]:
    """The months the pickers offer, newest first: this month and the ones before it, every month a
    package was accepted for (a late or historic one stays reachable) and the month shown.

    A list rather than a text box, as the other pages' period pickers: the officials pick "Tháng
    10/2026" and never have to write the key 2026-10."""
    today = timezone.localdate()
    keys = set(submissions.month_keys(f"{today.year:04d}-{today.month:02d}", RECENT_MONTHS))
    keys |= set(
        ExchangePackage.objects.filter(status=PackageStatus.ACCEPTED)
        .values_list("period", flat=True)
        .distinct()
    )
    keys.add(chosen.key)
    return sorted(keys, reverse=True)


def _allowed(request: HttpRequest) -> list[Any]:
    # Refused before "not here", as the packages page does: an outsider learns nothing either way.
    if not provinces.may_compare(request.user):
        raise PermissionDenied
    if not provinces.is_national():
        raise Http404
    return list(provinces.visible_provinces(request.user))


# The project's mark for an assumption, which the shipped rule's text begins with: the officials read
# "Giả định" right after it and the "not verified" badge beside it, so the mark itself says nothing to them.
ASSUMPTION_MARK = "[I]"


def _basis(text: str) -> str:
    return text.removeprefix(ASSUMPTION_MARK).strip()


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    units = _allowed(request)
    period, error = _month(request, "period")
    registrations = {r.unit_id: r for r in ProvinceRegistration.objects.filter(unit__in=units)}
    current = figures.current_packages([r.pk for r in registrations.values()], period.key)
    package_ids = [package.pk for package in current.values()]
    catalogue = figures.catalogue(package_ids)
    figure = figures.find(catalogue, request.GET.get("figure", "")) or catalogue[0]
    if request.GET.get("figure") and figure.key != request.GET["figure"]:
        error = error or _("This month's packages carry no such figure; the first one is shown.")
    by_package = figures.values(figure.key, package_ids)
    packages_url = reverse("exchange:packages")
    rows = []
    for unit in units:
        registration = registrations.get(unit.pk)
        package = current.get(registration.pk) if registration else None
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "registered": registration is not None,
                "revision": package.revision if package else None,
                "value": by_package.get(package.pk) if package else None,
                "packages_url": f"{packages_url}?{urlencode({'province': unit.code})}",
            }
        )
    sort = request.GET.get("sort", "value")
    sort = sort if sort in ("value", "code", "name") else "value"
    descending = request.GET.get("order", "desc" if sort == "value" else "asc") == "desc"
    rows = figures.sort_rows(rows, sort, descending)
    base = {"period": period.key, "figure": figure.key}
    links = {
        column: "?"
        + urlencode(base | {"sort": column, "order": "asc" if sort == column and descending else "desc"})
        for column in ("code", "name", "value")
    }
    return render(
        request,
        "exchange/compare.html",
        {
            "period": period,
            "months": _month_choices(period),
            "sent": len(current),
            "error": error,
            "figures": catalogue,
            "figure": figure,
            "rows": rows,
            "with_data": sum(row["value"] is not None for row in rows),
            "sort": sort,
            "descending": descending,
            "links": links,
        },
    )


@login_required
def submission_status(request: HttpRequest) -> HttpResponse:
    units = _allowed(request)
    until, error = _month(request, "until")
    try:
        count = int(request.GET.get("months", 12))
    except ValueError:
        count = 0
    if count not in MONTH_COUNTS:
        error = error or _("Show 6, 12 or 24 months.")
        count = 12
    keys = submissions.month_keys(until.key, count)
    cells = submissions.grid(units, keys)
    due = submissions.deadlines(keys)
    registered = set(ProvinceRegistration.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    rows = [
        {"unit": unit, "registered": unit.pk in registered, "cells": [cells[unit.pk][key] for key in keys]}
        for unit in units
    ]
    return render(
        request,
        "exchange/submissions.html",
        {
            "until": until,
            "until_choices": _month_choices(until),
            "error": error,
            "count": count,
            "counts": MONTH_COUNTS,
            "months": [{"key": key, "due": due[key]} for key in keys],
            "rows": rows,
            "rules": [{"rule": rule, "basis": _basis(rule.legal_basis)} for rule in submissions.rules()],
        },
    )
