"""Who sent a request: the one rule for telling clients apart, shared by sign-in lockout and public forms."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address a request came from: REMOTE_ADDR, or behind nginx the header CCHC_CLIENT_ADDRESS_HEADER.

    Without the header every citizen or official behind the proxy would share one allowance. Of a
    forwarded list ("X-Forwarded-For: a, b") only the last address counts, the one our proxy appended:
    the ones before it are whatever the client sent, and someone flooding a form or guessing passwords
    would vary them to escape the limit per address.
    """
    header = settings.CCHC_CLIENT_ADDRESS_HEADER
    forwarded = request.META.get(header, "") if header else ""
    return forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR") or ""
