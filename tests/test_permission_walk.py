"""Walks every page and API endpoint as a user of another unit: nothing of that unit may show.

The commune officer of Xã Tây is the outsider; every object used below belongs to Sở Tư pháp.
A new URL with parameters must get an entry in OBJECT_ARGS, or this test fails and says so.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# URLs that are not about any unit's data.
PUBLIC_OR_TECHNICAL = {"login", "logout", "set_language", "api-schema", "api-docs", "api-token", "api-root"}

# How to build each parameterised URL from an object of Sở Tư pháp.
OBJECT_ARGS = {
    "units:detail": lambda cast: [cast["justice"].pk],
    "core:history": lambda cast: [ContentType.objects.get_for_model(cast["justice"]).pk, cast["justice"].pk],
    "web:coming": None,  # a fixed list of section names, no unit data
    "accounts:grant-role": lambda cast: [cast["justice"].pk],
    "accounts:revoke-role": lambda cast: [cast["justice_focal"].role_assignments.get().pk],
    "workdays-override-detail": None,  # the calendar belongs to no unit
    "unit-detail": lambda cast: [cast["justice"].pk],
    "unit-inheritors": lambda cast: [cast["justice"].pk],
    "user-detail": lambda cast: [cast["justice_focal"].pk],
    "audit-detail": lambda cast: [_justice_entry(cast)],
}

MARKERS = ("Sở Tư pháp", "stp.daumoi", "Phòng Hành chính tư pháp")


def _justice_entry(cast):
    from cchc.core.models import AuditEntry

    return AuditEntry.objects.for_object(cast["justice"]).first().pk


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _all_urls():
    seen = {}
    for name, pattern in _named_patterns():
        if (
            name in PUBLIC_OR_TECHNICAL
            or ".<format>" in str(pattern.pattern)
            or "format" in pattern.pattern.regex.groupindex
        ):
            continue
        seen[name] = pattern
    return seen


def test_every_parameterised_url_is_covered_here():
    missing = [
        name
        for name, pattern in _all_urls().items()
        if pattern.pattern.regex.groups and name not in OBJECT_ARGS
    ]
    assert missing == [], f"add these URLs to OBJECT_ARGS in {__file__}: {missing}"


def _request(client, url, name):
    response = client.get(url)
    if response.status_code == 405:  # POST-only endpoints
        response = client.post(url, {})
    return response


def test_outsider_cannot_open_another_units_objects(client, cast):
    client.force_login(cast["commune_officer"])
    for name, pattern in _all_urls().items():
        if not pattern.pattern.regex.groups or OBJECT_ARGS.get(name) is None:
            continue
        url = reverse(name, args=OBJECT_ARGS[name](cast))
        response = _request(client, url, name)
        assert response.status_code in (403, 404), f"{name} {url} answered {response.status_code}"


def test_the_same_objects_open_for_someone_in_scope(client, cast):
    """Guards the test above: the 404s must come from scoping, not from wrong arguments."""
    client.force_login(cast["reform_admin"])
    for name, pattern in _all_urls().items():
        if not pattern.pattern.regex.groups or OBJECT_ARGS.get(name) is None:
            continue
        url = reverse(name, args=OBJECT_ARGS[name](cast))
        response = client.get(url)
        assert response.status_code in (200, 405), f"{name} {url} answered {response.status_code}"


def test_lists_show_the_outsider_nothing_of_another_unit(client, cast):
    client.force_login(cast["commune_officer"])
    for name, pattern in _all_urls().items():
        if pattern.pattern.regex.groups:
            continue
        response = client.get(reverse(name))
        assert response.status_code in (200, 403, 405), f"{name} answered {response.status_code}"
        body = response.content.decode()
        for marker in MARKERS:
            assert marker not in body, f"{name} shows {marker!r} to a commune officer"


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for name, pattern in _all_urls().items():
        args = OBJECT_ARGS[name](cast) if pattern.pattern.regex.groups and OBJECT_ARGS.get(name) else None
        if pattern.pattern.regex.groups and args is None:
            args = ["plans"]
        url = reverse(name, args=args)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), f"{name} answered {response.status_code}"
        else:
            assert response.status_code == 302 and "/login/" in response["Location"], (
                f"{name}: {response.status_code}"
            )
