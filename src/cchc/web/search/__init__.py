"""The search box of the top bar: one query, results grouped by kind (docs/search.md).

`search(user, raw)` cleans what was typed, refuses an empty or over-long query with a message, runs
one finder per kind (`finders`) and, on PostgreSQL with `pg_trgm`, when nothing matched word for
word, runs the name finders again by trigram similarity so that a mistyped name still finds something.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext_lazy as _

from cchc.core.text import fold
from cchc.web.search import finders
from cchc.web.search.finders import Found, Query

MAX_LENGTH = 100  # longer than any code or name a person types into a search box
MAX_WORDS = 8  # each word is one more condition; beyond eight it narrows nothing useful


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # a lazy translation
    find: Callable[..., Found]
    by_name: bool  # found by words (and so by similarity on PostgreSQL), not by an exact code


KINDS = (
    Kind("dossiers", _("Dossiers"), finders.dossiers, by_name=False),
    Kind("feedback", _("Citizen feedback"), finders.feedback, by_name=False),
    Kind("tasks", _("Tasks"), finders.tasks, by_name=True),
    Kind("targets", _("Targets"), finders.targets, by_name=True),
    Kind("procedures", _("Procedures"), finders.procedures, by_name=True),
    Kind("units", _("Units"), finders.units, by_name=True),
    Kind("people", _("People"), finders.people, by_name=True),
)


@dataclass(frozen=True)
class Group:
    key: str
    label: object
    found: Found


@dataclass
class Results:
    query: str = ""
    error: str = ""
    groups: list[Group] = field(default_factory=list)
    near: bool = False  # the groups are near matches, not word-for-word ones

    @property
    def count(self) -> int:
        return sum(len(group.found.hits) for group in self.groups)


def clean(raw: str | None) -> str:
    """What was typed without control characters (PostgreSQL refuses a NUL) and extra spaces."""
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in raw or "")
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse(raw: str | None) -> tuple[Query | None, str]:
    """The query, or None and a message saying why not."""
    text = clean(raw)
    if not text:
        return None, str(_("Type a dossier code, a feedback receipt code or a name to search for."))
    if len(text) > MAX_LENGTH:
        return None, str(
            _("The search text is too long: at most %(limit)d characters, this one has %(length)d.")
            % {"limit": MAX_LENGTH, "length": len(text)}
        )
    phrase = fold(text)
    if not phrase:  # nothing but combining marks: no word to look for
        return None, str(_("Type a dossier code, a feedback receipt code or a name to search for."))
    return Query(raw=text, phrase=phrase, words=tuple(phrase.split()[:MAX_WORDS])), ""


def has_trigrams() -> bool:
    """Whether near matches can be looked for: PostgreSQL with the `pg_trgm` extension (the web app's
    first migration creates it where the database role may; docs/search.md). Asked once per
    connection object, which lives as long as its thread."""
    if connection.vendor != "postgresql":
        return False
    known = getattr(connection, "cchc_has_trigrams", None)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            known = cursor.fetchone() is not None
        connection.cchc_has_trigrams = known
    return known


def search(user, raw: str | None) -> Results:
    query, error = parse(raw)
    if query is None:
        return Results(query=clean(raw)[:MAX_LENGTH], error=error)
    groups = [Group(kind.key, kind.label, kind.find(user, query)) for kind in KINDS]
    groups = [group for group in groups if group.found.hits]
    if groups or not has_trigrams():
        return Results(query=query.raw, groups=groups)
    near = Query(raw=query.raw, phrase=query.phrase, words=query.words, near=True)
    groups = [Group(kind.key, kind.label, kind.find(user, near)) for kind in KINDS if kind.by_name]
    return Results(query=query.raw, groups=[group for group in groups if group.found.hits], near=True)
