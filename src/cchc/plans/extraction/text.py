"""Turning a document's text into lines, sentences and clauses that the other modules read.

Everything works on NFC text: Vietnamese can be written with precomposed letters or with combining
tone marks, and the two look the same but compare unequal.
"""

import re
import unicodedata
from dataclasses import dataclass

CELL_SEPARATOR = " | "

# Characters that look like a space, or like nothing, in a document but would break the patterns.
_SPACES = re.compile(r"[\u00a0\u2007\u202f\u2009\u200a\u3000]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Line starts that begin a new item, so a wrapped line must not be glued to the line before it.
ENUMERATOR_RE = re.compile(
    r"^\s*(?:[-+*•–—]\s|"  # bullets
    r"(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s|"  # I.  1.  1.2.  a)  đ)
    r"#)",
    re.IGNORECASE,
)

# Comma-separated phrases that name one thing; a comma inside them does not end a list item or title.
PROTECTED_PHRASES = (
    "chỉ đạo, điều hành",
    "lãnh đạo, chỉ đạo",
    "một cửa, một cửa liên thông",
    "xây dựng, phát triển",
    "chính phủ điện tử, chính phủ số",
    "chính quyền điện tử, chính quyền số",
    "cán bộ, công chức, viên chức",
    "cán bộ, công chức",
    "công vụ, công chức",
    "công chức, viên chức",
    "sở, ban, ngành",
    "sở, ngành",
    "tự chủ, tự chịu trách nhiệm",
    "kỷ luật, kỷ cương",
    "thông tin, tuyên truyền",
    "thanh tra, kiểm tra",
    "kiểm tra, giám sát",
    "xã, phường, thị trấn",
    "xã, phường",
    "huyện, thị xã, thành phố",
    "huyện, thành phố, thị xã",
    "tỉnh, thành phố",
    "tổ chức, cá nhân",
    "người dân, doanh nghiệp",
)


@dataclass(frozen=True)
class Line:
    """One line of the document; `cells` is set when the line is a table row."""

    index: int
    text: str
    cells: tuple[str, ...] | None = None


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text)


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def _cells(raw: str) -> tuple[str, ...] | None:
    """The cells of a table row written as `a | b | c` (or tab-separated), else None."""
    if "\t" in raw.strip():
        parts = raw.strip().split("\t")
    elif " | " in raw or raw.strip().startswith("|") or raw.strip().endswith("|"):
        parts = raw.strip().strip("|").split("|")
    else:
        return None
    cells = tuple(squash(part) for part in parts)
    return cells if sum(1 for cell in cells if cell) >= 1 and len(cells) >= 2 else None


def _continues(text: str) -> bool:
    """True when a line reads as the rest of the previous one rather than a new item."""
    if not text or ENUMERATOR_RE.match(text):
        return False
    first = text[0]
    return first.islower() or first.isdigit() or first in "(%"


def split_lines(text: str) -> list[Line]:
    """The document's non-empty lines; a line wrapped in the middle of a sentence is joined back."""
    merged: list[tuple[str, tuple[str, ...] | None]] = []
    for raw in normalise(text).split("\n"):
        cells = _cells(raw)
        line = squash(raw)
        if not line:
            merged.append(("", None))
            continue
        if cells is None and merged:
            previous, previous_cells = merged[-1]
            if (
                previous
                and previous_cells is None
                and previous[-1] not in ".;:!?…"
                and not _looks_like_heading(previous)
                and _continues(line)
            ):
                merged[-1] = (previous + " " + line, None)
                continue
        merged.append((line, cells))
    lines = [(text_, cells) for text_, cells in merged if text_]
    return [Line(index, text_, cells) for index, (text_, cells) in enumerate(lines)]


def _looks_like_heading(text: str) -> bool:
    """A short numbered line (a heading) is never the first half of a wrapped sentence."""
    return bool(ENUMERATOR_RE.match(text)) and len(text.split()) <= 12 and text[:1] != "-"


# A sentence may end at . ! ? or … followed by a space; it does when the next sentence starts with a
# capital, a digit, a bullet or a quote ("... 8.200 tỷ đồng. Tổng vốn ...", but not "v.v. và").
_SENTENCE_GAP = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_SENTENCE_OPENERS = "\"“'(-–•+"


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences in one line."""
    spans, start = [], 0
    for match in _SENTENCE_GAP.finditer(text):
        first = text[match.end() :].lstrip(_SENTENCE_OPENERS)[:1]
        if first.isupper() or first.isdigit():
            spans.append((start, match.start()))
            start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


# Clause boundaries inside a sentence: semicolons, colons (not between digits as in 9001:2015),
# and table-cell separators.
_CLAUSE_END = re.compile(r";|(?<!\d):|:(?!\d)|\s\|\s")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) spans of the clauses of the sentence text[start:end]."""
    spans, position = [], start
    for match in _CLAUSE_END.finditer(text, start, end):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def protected_mask(text: str) -> list[bool]:
    """For each character: True when it lies inside one of PROTECTED_PHRASES."""
    mask = [False] * len(text)
    lowered = text.lower()
    for phrase in PROTECTED_PHRASES:
        for match in re.finditer(re.escape(phrase), lowered):
            for position in range(match.start(), match.end()):
                mask[position] = True
    return mask


def unprotected_commas(text: str) -> list[int]:
    """Positions of the commas of `text` that separate items (not the comma of "chỉ đạo, điều hành")."""
    mask = protected_mask(text)
    return [position for position, char in enumerate(text) if char == "," and not mask[position]]
