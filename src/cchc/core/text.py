"""Comparing Vietnamese words the way a person does: without case, diacritics or extra spaces.

"Mã đơn vị", "MA DON VI" and "ma  don vi" are the same heading to an official who typed it; `fold`
turns each of them into "ma don vi" so that one comparison serves all three.
"""

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, without diacritics ("đ" becomes "d"), single spaces, no spaces at the ends."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", plain).strip().casefold()


def in_every_language(label: Any) -> set[str]:
    """A translatable label as each interface language writes it, folded: what a person may type
    for it in a file made by hand."""
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(fold(str(label)))
    return names


def choice_value(written: str, choices: Iterable[tuple[Any, Any]]) -> str | None:
    """The stored value a cell means, given as the value itself ("commune") or as its label in any
    interface language, with or without diacritics ("Xã", "xa"); None when it means none of them."""
    folded = fold(written)
    for value, label in choices:
        if folded == fold(str(value)) or folded in in_every_language(label):
            return str(value)
    return None
