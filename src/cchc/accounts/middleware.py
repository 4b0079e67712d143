"""Session limits and two-step sign-in, enforced on every request of a signed-in session."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cchc.accounts import twofactor

SIGNED_IN_AT = "cchc.signed_in_at"
SEEN_AT = "cchc.seen_at"
# The moment of the last request is written to the session at most this often: writing it on every
# request would cost a database write per page (SESSION_SAVE_EVERY_REQUEST); a minute is precise enough.
SEEN_PRECISION_SECONDS = 60


def start_session_clock(request: HttpRequest) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Ends a session idle for CCHC_SESSION_IDLE_MINUTES, or older than CCHC_SESSION_MAX_HOURS.

    The session is emptied without a sign-out signal, so the user's API tokens (which have their own
    expiry) survive a forgotten browser tab; the next page asks for the password again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        session, now = request.session, time.time()
        idle_minutes = settings.CCHC_SESSION_IDLE_MINUTES
        seen, started = session.get(SEEN_AT), session.get(SIGNED_IN_AT)
        if seen is None or started is None:  # a session from before these limits: start counting now
            start_session_clock(request)
            return
        if now - seen > idle_minutes * 60:
            message = ngettext(
                "You were signed out after %(minutes)d minute without activity. Please sign in again.",
                "You were signed out after %(minutes)d minutes without activity. Please sign in again.",
                idle_minutes,
            ) % {"minutes": idle_minutes}
        elif now - started > settings.CCHC_SESSION_MAX_HOURS * 60 * 60:
            message = _("Your session has reached its longest allowed length. Please sign in again.")
        else:
            if now - seen >= SEEN_PRECISION_SECONDS:
                session[SEEN_AT] = now
            return
        session.flush()
        request.user = AnonymousUser()
        messages.info(request, message)


class SecondFactorMiddleware(MiddlewareMixin):
    """A session signed in with the password alone reaches only the code or set-up page until it is done.

    Runs after django-otp's OTPMiddleware, which gives `request.user.is_verified()`. The API answers
    403 with a message instead of redirecting; token-authenticated calls are not session users here.
    """

    OPEN_VIEWS = {
        "logout",
        "set_language",
        "accounts:two-factor",
        "accounts:two-factor-code",
    }

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        step = twofactor.pending_step(request)
        if step == twofactor.DONE or request.resolver_match.view_name in self.OPEN_VIEWS:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish the two-step sign-in in the web interface first.")}, status=403
            )
        if request.headers.get("HX-Request"):
            # A fragment a page asks for after loading (the sidebar's badges): refused, not redirected,
            # or htmx would swap the whole set-up page into the sidebar. htmx swaps nothing on a 403.
            return HttpResponseForbidden()
        target = "accounts:two-factor-code" if step == twofactor.VERIFY else "accounts:two-factor"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
