"""For django-axes: whose address a sign-in comes from, and what a locked-out person sees.

django-axes (settings AXES_*) counts failed sign-ins per user name and per address on every path that
calls `authenticate` with the request: the sign-in page, the admin's and the API token endpoint.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    if minutes <= 0:
        return _(
            "Too many failed sign-in attempts for this user name or from this address. "
            "Ask an administrator to unlock the account."
        )
    return ngettext(
        "Too many failed sign-in attempts for this user name or from this address. "
        "Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts for this user name or from this address. "
        "Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, *args: object) -> HttpResponse:
    """The answer to a sign-in refused because of too many failures: 429, a page or JSON for the API."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
