"""What the usual short ways of writing a unit mean: "Sở NV", "Văn phòng UBND tỉnh", "UBND tỉnh",
"UBND các xã, phường".

The table is data (data/unit_aliases.json), so a province adds its own habits without a code change.
A written name means either another name ("Sở NV" → "Sở Nội vụ"), which the import then matches
against its units like any other name, or a level ("UBND tỉnh" → the province; "UBND các xã,
phường" → every commune), which it resolves among the units under the plan's issuing unit.
Pure: no database.
"""

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ALIASES_FILE = Path(__file__).resolve().parent / "data" / "unit_aliases.json"


@dataclass(frozen=True)
class Meaning:
    """A written unit as the import should look it up: by `name`, or as every unit of `types`."""

    name: str
    types: tuple[str, ...] = ()


def key(text: str) -> str:
    """The words of `text` without case, diacritics or punctuation ("&" kept: "KH&ĐT" ≠ "KH ĐT")."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(re.findall(r"[\w&]+", text))


@functools.cache
def _table() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, ...]]]:
    data = json.loads(ALIASES_FILE.read_text(encoding="utf-8"))
    words = {key(short): full for short, full in data["words"].items()}
    names = {_expanded_key(short, words): full for short, full in data["names"].items()}
    levels = {_expanded_key(written, words): tuple(types) for written, types in data["levels"].items()}
    return words, names, levels


def _expanded(text: str, words: dict[str, str]) -> str:
    """`text` with each abbreviation that stands as a whole word written out ("UBND" → "Ủy ban nhân dân")."""

    def replace(match: re.Match[str]) -> str:
        return words.get(key(match.group(0)), match.group(0))

    return re.sub(r"[\w&]+", replace, text)


def _expanded_key(text: str, words: dict[str, str]) -> str:
    return key(_expanded(text, words))


def expand(text: str) -> str:
    """`text` with its abbreviations written out, to compare a unit's stored name ("Văn phòng UBND
    tỉnh") with a written one that abbreviates differently ("VP Ủy ban nhân dân tỉnh")."""
    return _expanded(text, _table()[0])


def meaning(written: str) -> Meaning:
    """What `written` stands for: a level, another name, or (no alias) itself with its abbreviations
    written out, so that "Văn phòng UBND tỉnh" is looked up as "Văn phòng Ủy ban nhân dân tỉnh"."""
    words, names, levels = _table()
    expanded = _expanded(written.strip(), words)
    found = key(expanded)
    if found in levels:
        return Meaning(expanded, levels[found])
    return Meaning(names.get(found, expanded))
