"""The national instance's page of received packages: every province's accepted revisions and
refusals, newest first (read-only; national administrators only, 404 on a province instance)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cchc.accounts.permissions import ADMINISTER, has_global_permission
from cchc.exchange.models import ExchangePackage, PackageStatus

PER_PAGE = 50
VIA = {"api": _("through the API"), "command": _("by command")}


def may_view(user: Any) -> bool:
    """Administrators of the whole instance: the packages are every province's."""
    return bool(user and user.is_authenticated and has_global_permission(user, ADMINISTER))


def _month(period: str) -> str:
    year, _dash, month = period.partition("-")
    return f"{month}/{year}" if month else period


@login_required
def packages(request: HttpRequest) -> HttpResponse:
    if not may_view(request.user):
        raise PermissionDenied
    if not getattr(settings, "CCHC_NATIONAL", False):
        raise Http404
    entries = ExchangePackage.objects.select_related("registration__unit").order_by("-received_at", "-id")
    province = request.GET.get("province", "")
    if province:
        entries = entries.filter(province_code=province)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    for entry in page:
        entry.month = _month(entry.period)
        entry.via_label = VIA.get(entry.via, "")
        entry.province_name = entry.registration.unit.name if entry.registration else ""
        entry.accepted = entry.status == PackageStatus.ACCEPTED
    return render(request, "exchange/packages.html", {"page": page})
