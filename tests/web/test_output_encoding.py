"""Output encoding at its source: no template switches escaping off, no Python marks text as safe HTML,
and no page script builds HTML except through cchcFormat's escaping helper (web/static/web/format.js).

tests/e2e/test_markup_injection.py proves the result in a browser; these checks name the line that
would let markup through, and run without one.
"""

import re
from pathlib import Path

import pytest

import cchc

PACKAGE = Path(cchc.__file__).parent
TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.html"))
PYTHON = sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)
# Our page scripts; the vendored libraries are not ours to change.
SCRIPTS = sorted(path for path in PACKAGE.glob("*/static/**/*.js") if "vendor" not in path.parts)
HELPER = PACKAGE / "web" / "static" / "web" / "format.js"

UNESCAPED_TEMPLATE = {
    "|safe": re.compile(r"\|\s*safe(seq)?\b"),
    "autoescape off": re.compile(r"\{%\s*autoescape\s+off\s*%\}"),
    # escapejs is for a JavaScript string inside an inline script, which the policy refuses anyway.
    "escapejs": re.compile(r"\|\s*escapejs\b"),
}
UNESCAPED_PYTHON = re.compile(r"\b(mark_safe|SafeString|SafeText|format_html_join|html_safe)\b")
# Markup made by a library from no text of ours, each with the reason it is safe.
SAFE_BY_CONSTRUCTION = {
    # segno draws the sign-in QR code as paths only; the address is in the modules, no text is written.
    "accounts/twofactor.py",
}
# Ways a script turns a string into markup, and a string literal that opens a tag.
HTML_SINKS = re.compile(
    r"\.(innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML|document\.write|\beval\(|new Function\("
)
TAG_LITERAL = re.compile(r"""["'`]\s*<\s*/?[a-zA-Z]""")


def relative(path):
    return str(path.relative_to(PACKAGE))


@pytest.mark.parametrize("template", TEMPLATES, ids=relative)
def test_no_template_turns_escaping_off(template):
    source = template.read_text(encoding="utf-8")
    found = [name for name, pattern in UNESCAPED_TEMPLATE.items() if pattern.search(source)]
    assert not found, f"{relative(template)}: {', '.join(found)}"


def test_no_python_marks_text_as_safe_html():
    found = [
        f"{relative(path)}:{number}"
        for path in PYTHON
        if relative(path) not in SAFE_BY_CONSTRUCTION
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNESCAPED_PYTHON.search(line)
    ]
    assert found == [], f"HTML marked safe by hand (use the template's escaping): {found}"


def tooltip_blocks(source):
    """The text of every `tooltip: { ... }` option, braces matched."""
    for match in re.finditer(r"\btooltip\s*:\s*\{", source):
        depth, position = 0, match.end() - 1
        for position in range(match.end() - 1, len(source)):
            depth += {"{": 1, "}": -1}.get(source[position], 0)
            if depth == 0:
                break
        yield source[match.start() : position + 1]


@pytest.mark.parametrize("script", SCRIPTS, ids=relative)
def test_page_scripts_build_html_only_through_the_escaping_helper(script):
    source = script.read_text(encoding="utf-8")
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("//"))
    assert not HTML_SINKS.search(code), f"{relative(script)} writes a string into the page as HTML"
    if script != HELPER:
        assert not TAG_LITERAL.search(code), f"{relative(script)} builds HTML in a string"
    # A chart tooltip is HTML: a formatter of ours must hand every piece to tooltipHtml, which escapes.
    for block in tooltip_blocks(code):
        if "formatter" in block:
            assert "tooltipHtml(" in block, f"{relative(script)}: a tooltip formatter without tooltipHtml"


def test_the_helper_escapes_every_piece_of_a_tooltip():
    source = HELPER.read_text(encoding="utf-8")
    assert re.search(r"tooltipHtml\s*=\s*\(\.\.\.lines\)\s*=>\s*lines\.map\(escapeHtml\)", source)
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;")):
        assert f'"{character}": "{entity}"' in source or f"'{character}': \"{entity}\"" in source, character
