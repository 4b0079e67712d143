"""Each role is shown only the forms and buttons it may use: every form that sends (POST) on a page
a role reaches by its links is sent once, with the values the page put in it, and none may answer 403.

The navigation walk (test_navigation_by_role) follows links only; this one presses the buttons. A
form sent with its own defaults may be refused for its content (400, or the page again with errors):
that is the form doing its job. A 403 means the page offered an action to someone who may not take it.
"""

import contextlib
from collections import deque
from html.parser import HTMLParser

import pytest
from django.db import transaction

from tests.web.test_navigation_by_role import (  # noqa: F401 - rich_cast is a fixture
    PAGE_LIMIT,
    ROLES,
    _is_download,
    _links_of,
    _normalised,
    rich_cast,
)

pytestmark = pytest.mark.django_db

# Forms not pressed: signing out and the language switch change the session, not the data.
NOT_SENT = ("/logout/", "/i18n/")


class _Forms(HTMLParser):
    """The POST forms of a page (action and the values it would send) and its htmx POST buttons."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._open: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("hx-post") and tag != "form":
            self.forms.append((attrs["hx-post"], {}))
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = attrs.get("hx-post") or attrs.get("action") or ""
            self._open = (action, {}) if method == "post" or attrs.get("hx-post") else None
            return
        if self._open is None or not attrs.get("name"):
            return
        fields, name = self._open[1], attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("file", "submit", "button", "image"):
                fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and (self._select not in fields or "selected" in attrs):
            fields[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            fields.setdefault(name, "")

    def handle_data(self, data):
        if self._open is not None and self._textarea:
            self._open[1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._open is not None:
            self.forms.append(self._open)
            self._open = None


class _Undo(Exception):
    """Raised to roll back what a sent form changed."""


def _forms_of(body: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(body)
    return parser.forms


def pages_and_forms(client):
    """Every page the signed-in user reaches by links from the home page, with the POST forms on it."""
    seen, found, queue = {"/"}, [], deque(["/"])
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.popleft()
        response = client.get(url, follow=True)
        if response.status_code != 200 or _is_download(response):
            continue
        body = response.content.decode()
        found.append((url, _forms_of(body)))
        links, _actions = _links_of(body)
        for href in links:
            target = _normalised(href, url)
            if target and target not in seen and target.count("?") == 0:
                seen.add(target)
                queue.append(target)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_form_a_role_is_shown_is_refused(client, rich_cast, role):  # noqa: F811
    client.force_login(rich_cast[role])
    refused, sent = {}, set()
    for page, forms in pages_and_forms(client):
        for action, fields in forms:
            target = _normalised(action, page) if action else page
            if not target or target.startswith(NOT_SENT) or target in sent:
                continue
            sent.add(target)
            # Each form is undone after it is sent, so that no button changes what the next one finds
            # (revoking one's own role would make every later form a 403).
            with contextlib.suppress(_Undo), transaction.atomic():
                response = client.post(target, fields)
                raise _Undo
            if response.status_code == 403:
                refused[target] = page
    assert sent, f"{role} was shown no form at all: the walk found nothing to press"
    assert refused == {}, f"{role} is shown forms it may not use (action: page): {refused}"
