"""Crawls every page as the reform office, over a small province with data in every module, and fails
on words meant for machines: `snake_case` names, `∅`, ISO timestamps, counts printed as `402,0 / 409,0`.

The objects come from the permission walk's catalogue (tests/test_permission_walk.py), so a new page
is crawled as soon as it is reachable there. Code, pre and form fields are left out: a field's name
is markup, not text, and code elements show what a person must type.
"""

import re

import pytest
from django.urls import reverse

from tests.test_permission_walk import OBJECT_ARGS, PUBLIC_OR_TECHNICAL
from tests.url_catalogue import named_urls

pytestmark = pytest.mark.django_db

MACHINE_PATTERNS = {
    "snake_case": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "empty set": re.compile("∅"),
    "ISO timestamp": re.compile(r"\d{4}-\d{2}-\d{2}T"),
    "count with decimals": re.compile(r"\d,0 /|\.0 /"),
}
HIDDEN = re.compile(r"<(code|pre|script|style|textarea|select|template)\b.*?</\1\s*>", re.S | re.I)


def visible_text(html: str) -> str:
    body = html.split("<body", 1)[-1]
    body = HIDDEN.sub(" ", body)
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _pages(cast):
    for name, pattern in named_urls():
        if name in PUBLIC_OR_TECHNICAL or "format" in pattern.pattern.regex.groupindex:
            continue
        if pattern.pattern.regex.groups:
            make = OBJECT_ARGS.get(name)
            if make is None:
                continue
            yield name, reverse(name, args=make(cast))
        else:
            yield name, reverse(name)


def test_no_page_shows_machine_words(client, cast):
    client.force_login(cast["reform_admin"])
    found = []
    for name, url in _pages(cast):
        if url.startswith("/api/"):
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = visible_text(response.getvalue().decode(errors="replace"))
        for label, pattern in MACHINE_PATTERNS.items():
            for match in pattern.finditer(text):
                context = text[max(match.start() - 40, 0) : match.end() + 40]
                found.append(f"{name} ({label}): …{context}…")
    assert found == [], "\n".join(found)
