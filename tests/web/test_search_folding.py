"""The database folds a name exactly as `cchc.core.text.fold` folds the query, on SQLite and on
PostgreSQL: every Vietnamese letter, in both cases, typed precomposed or as a base letter plus
combining marks (some keyboards and old files do that)."""

import unicodedata

import pytest
from django.db.models import TextField, Value

from cchc.core.text import fold
from cchc.units.models import Unit
from cchc.web.search.folding import Folded

pytestmark = pytest.mark.django_db

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền, sắc, ngã, hỏi, nặng
LETTERS = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES] + ["đ"]
ALL = LETTERS + [letter.upper() for letter in LETTERS]


def folded_in_db(texts: list[str]) -> list[str]:
    unit = Unit.objects.order_by("pk").first()
    rows = Unit.objects.filter(pk=unit.pk).annotate(
        **{f"t{i}": Folded(Value(text, output_field=TextField())) for i, text in enumerate(texts)}
    )
    values = rows.values(*[f"t{i}" for i in range(len(texts))]).get()
    return [values[f"t{i}"] for i in range(len(texts))]


def test_every_vietnamese_letter_folds_in_the_database_as_in_python(cast):
    assert len(ALL) == 2 * (12 * 6 + 1)
    assert folded_in_db(ALL) == [fold(letter) for letter in ALL]


def test_letters_typed_with_combining_marks_fold_the_same(cast):
    decomposed = [unicodedata.normalize("NFD", letter) for letter in ALL]
    assert folded_in_db(decomposed) == [fold(letter) for letter in ALL]


# --- where the database role may not create pg_trgm -------------------------------------------------


class Refused(Exception):
    sqlstate = "42501"  # insufficient_privilege, as psycopg reports it


class RefusingEditor:
    """A schema editor on PostgreSQL whose role may not create extensions."""

    def __init__(self):
        from django.db import connection

        self.connection = FakeConnection(connection.alias)

    def quote_name(self, name):
        return f'"{name}"'

    def execute(self, sql):
        from django.db import ProgrammingError

        raise ProgrammingError("permission denied to create extension") from Refused()


class FakeConnection:
    vendor = "postgresql"

    def __init__(self, alias):
        self.alias = alias

    def cursor(self):
        return FakeCursor()


class FakeCursor:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False

    def execute(self, sql, params=None):
        pass

    def fetchone(self):
        return None  # the extension is not there yet


def test_the_migration_goes_on_with_a_warning_where_the_role_may_not_create_extensions(capsys):
    import importlib

    migration = importlib.import_module("cchc.web.migrations.0001_search_extensions")
    migration.create_extensions(None, RefusingEditor())  # no exception: migrate goes on
    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm" in capsys.readouterr().err


def test_without_pg_trgm_a_search_finds_by_words_and_tries_no_near_match(cast, monkeypatch):
    from django.db import connection

    from cchc.web.search import search

    monkeypatch.setattr(connection, "cchc_has_trigrams", False, raising=False)
    assert [
        hit.title for group in search(cast["reform_admin"], "so noi vu").groups for hit in group.found.hits
    ][:1] == ["Sở Nội vụ"]
    results = search(cast["reform_admin"], "so noi vuu")
    assert (results.groups, results.near) == ([], False)
