"""Headings: numbered, lettered, ordinal ("Thứ nhất, về ..."), Word-styled ("# ") and table group rows.

A heading's title is what areas are recognised from; a top-level heading (a roman numeral, or Word's
Heading 1) starts a document section ("I. MỤC ĐÍCH, YÊU CẦU", "III. TỔ CHỨC THỰC HIỆN").
"""

import re
from dataclasses import dataclass

from cchc.plans.extraction.text import Line, protected_mask, squash

_ORDINAL = re.compile(
    r"^(?:thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười(?:\s+(?:một|hai|ba))?)"
    r"|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười(?:\s+(?:một|hai|ba))?)\s+là)\s*[,:.]\s*",
    re.IGNORECASE,
)
_ENUMERATOR = re.compile(r"^(?:(?:phần|mục)\s+)?(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)/]\s*", re.IGNORECASE)
# Upper case only: "c)" is a letter item, "C." or "IV." a section.
_ROMAN = re.compile(r"^(?:(?:[Pp]hần|PHẦN|[Mm]ục|MỤC)\s+)?[IVXLC]+\s*[.)/]")
_BULLET = re.compile(r"^[-+*•–]\s*")
_CELL_ENUMERATOR = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?$", re.IGNORECASE)
_ABOUT = re.compile(r"^về\s+", re.IGNORECASE)
_SHORT_WORDS = 15  # a heading line is short; a longer numbered line is a sentence that starts an item
# An all-capitals line is a heading, unless it is the document's own title.
_DOCUMENT_TITLES = re.compile(r"^(?:kế hoạch|chương trình|báo cáo|quyết định|đề án)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    """A heading's title (enumerator and a leading "về" removed) and where it stands."""

    title: str
    line: int
    is_section: bool  # a top-level heading: a roman numeral, or Word's Heading 1


def heading(line: Line) -> Heading | None:
    """The title of a heading line, or None when the line is not a heading."""
    text = line.text
    if line.cells is not None:
        filled = [cell for cell in line.cells if cell]
        if len(filled) == 2 and _CELL_ENUMERATOR.match(filled[0]):
            return Heading(clean(filled[1]), line.index, bool(_ROMAN.match(filled[0] + ".")))
        if len(filled) == 1 and len(filled[0].split()) <= _SHORT_WORDS:
            text = filled[0]
        else:
            return None
    level = len(text) - len(text.lstrip("#"))  # "# " top-level heading, "## " the next level down
    marked = level > 0
    text = text.lstrip("#").strip()
    is_section = level == 1 or bool(_ROMAN.match(text))
    # "Thứ nhất, về X, ..." always runs on into its text; "1. X" may be a heading line or run on.
    for marker, run_in in ((_ORDINAL, "always"), (_ENUMERATOR, "maybe"), (_BULLET, "never")):
        match = marker.match(text)
        if match:
            rest = _ABOUT.sub("", text[match.end() :])
            return _title(rest, line.index, is_section, run_in=run_in)
    if marked or (text.isupper() and not _DOCUMENT_TITLES.match(text)):
        return _title(_ABOUT.sub("", text), line.index, is_section)
    return None


def _title(rest: str, line: int, is_section: bool, *, run_in: str = "never") -> Heading | None:
    """The heading's title. A heading line is taken whole; a run-in heading ("Thứ hai, về cải cách thể
    chế, rà soát văn bản ...") ends at the first comma, colon or full stop outside a fixed phrase. A
    numbered line is run-in when it reads as a sentence: long, or ending in a full stop."""
    rest = rest.strip()
    if not rest:
        return None
    end = _first_break(rest)
    has_more = bool(rest[end:].strip(" .,:;!?"))
    short = len(rest.split()) <= _SHORT_WORDS and not re.search(r"[.;!?]\s+\S", rest)
    sentence_like = rest.endswith((".", "!", "?", ";")) and has_more
    if run_in == "always" or (run_in == "maybe" and (not short or sentence_like)):
        title = clean(rest[:end])
    elif short:
        title = clean(rest)
    else:
        return None
    return Heading(title, line, is_section) if title else None


def _first_break(text: str) -> int:
    """Where a run-in title ends: the first comma, colon, semicolon or full stop outside a fixed phrase."""
    mask = protected_mask(text)
    for position, char in enumerate(text):
        if char in ",:;." and not mask[position]:
            return position
    return len(text)


def clean(title: str) -> str:
    """A title with its spacing normalised and no punctuation at either end."""
    return squash(title).strip(" :;.,")


def section_of_lines(lines: list[Line]) -> dict[int, str | None]:
    """For each line index, the title of the top-level section it falls in (None before the first)."""
    result: dict[int, str | None] = {}
    current: str | None = None
    for line in lines:
        found = heading(line)
        if found is not None and found.is_section:
            current = found.title
        result[line.index] = current
    return result
