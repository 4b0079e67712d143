"""The Content-Security-Policy: sent with every page, and no template carries code or styles inline."""

import re
from pathlib import Path

import pytest

import cchc

pytestmark = pytest.mark.django_db

PACKAGE = Path(cchc.__file__).parent
TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.html"))
# What the policy refuses in a template: a <script> with code in it (one with src= or a JSON island
# from json_script is fine), an event handler attribute, a javascript: URL, a <style> block, a style
# attribute. Template comments and tags are taken out first, so a comment may name what it avoids.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
}
DJANGO_MARKUP = re.compile(
    r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{%.*?%\}|\{\{.*?\}\}", re.S
)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_a_page_is_sent_with_a_strict_policy(client, cast):
    client.force_login(cast["leader"])
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]


def test_the_sign_in_page_the_citizens_pages_and_errors_have_it_too(client, cast):
    for path, status in (("/login/", 200), ("/phan-anh/", 200), ("/no-such-page/", 404)):
        response = client.get(path)
        assert response.status_code == status, path
        assert directives(response)["script-src"] == ["'self'"], path


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_template_has_inline_code_or_styles(template):
    source = DJANGO_MARKUP.sub("", template.read_text(encoding="utf-8"))
    found = [name for name, pattern in INLINE.items() if pattern.search(source)]
    assert not found, f"{template}: {', '.join(found)}"
