"""Comparing names inside the database the way `cchc.core.text.fold` compares them in Python.

`Folded(expression)` is the database's copy of `fold`: lower case, without diacritics, "đ" as "d".
The query is folded in Python and the column in SQL, so "so noi vu", "SỞ NỘI VỤ" and "Sở Nội vụ"
meet in "so noi vu".

- PostgreSQL: `lower(translate(normalize(x, NFC), LETTERS, PLAIN))`. `normalize` first joins letters
  typed as a base plus combining marks; `translate` then maps every accented Latin letter (all the
  Vietnamese ones, "đ"/"Đ" included) to the plain letter `fold` gives it. The two strings are made
  from `fold` itself, so Python and the database cannot disagree, and no extension is needed (the
  `unaccent` extension would need a database role allowed to create it).
- SQLite: a Python function, `cchc_fold`, registered on the connection the first time a query uses
  it (SQLite has no such function of its own; registering again is harmless and costs microseconds).
- Anything else: `lower(x)`, so that a search still runs, without the diacritics folding.
"""

import itertools

from django.db.models import Func, TextField

from cchc.core.text import fold

SQLITE_FUNCTION = "cchc_fold"


def _plain_letters() -> tuple[str, str]:
    """Each accented Latin letter (Latin-1, Extended-A and -B, and the Extended Additional block
    that holds the Vietnamese letters with tones) and the one plain letter `fold` makes of it."""
    letters, plain = [], []
    for code in itertools.chain(range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded != char:
            letters.append(char)
            plain.append(folded)
    return "".join(letters), "".join(plain)


LETTERS, PLAIN = _plain_letters()


def _fold_or_null(value):
    return None if value is None else fold(str(value))


class Folded(Func):
    """The folded text of one expression (a column, a concatenation of columns)."""

    function = "LOWER"
    arity = 1
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "lower(translate(normalize((%(expressions)s)::text, NFC), %%s, %%s))"
        sql, params = self.as_sql(compiler, connection, template=template, **extra_context)
        return sql, (*params, LETTERS, PLAIN)

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        connection.connection.create_function(SQLITE_FUNCTION, 1, _fold_or_null, deterministic=True)
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)
