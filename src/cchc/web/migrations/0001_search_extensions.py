"""The PostgreSQL extension the search box uses for near matches of mistyped names: `pg_trgm`.
SQLite needs nothing (docs/search.md): on it this does nothing. (Names are compared without
diacritics by plain SQL, `cchc.web.search.folding`: no extension for that.)

Creating an extension needs a role allowed to do so (on PostgreSQL 13 and later a role with CREATE
on the database, e.g. its owner, for this trusted extension; else a superuser). Where the
application's role may not, the migration says so and goes on: the search works, without near
matches, until an administrator runs `CREATE EXTENSION IF NOT EXISTS pg_trgm;` in the database.
Going back leaves the extension in place: other schemas or tools may use it.
"""

import sys

from django.db import DatabaseError, migrations, transaction

EXTENSIONS = ("pg_trgm",)
INSUFFICIENT_PRIVILEGE = "42501"


def create_extensions(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for name in EXTENSIONS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [name])
            if cursor.fetchone():
                continue  # created before, perhaps by an administrator: nothing to ask for
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: a refusal leaves the rest
                schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {schema_editor.quote_name(name)}")
        except DatabaseError as error:
            if getattr(error.__cause__, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
                raise
            sys.stderr.write(
                f"\nThe database role may not create the PostgreSQL extension {name}: the search box "
                f"works without near matches of mistyped names. To have them, a superuser runs "
                f'"CREATE EXTENSION IF NOT EXISTS {name};" in this database (docs/search.md).\n'
            )


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_extensions, migrations.RunPython.noop, elidable=False)]
