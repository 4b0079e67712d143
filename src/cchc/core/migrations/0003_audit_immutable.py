"""A database trigger that refuses UPDATE on audit entries, whatever code path tries it.

DELETE is refused by the ORM; a database-level DELETE guard would also block the test
database's flush, so it is left to the ORM and to database permissions in production.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are immutable'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS core_auditentry_no_update;"

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION core_auditentry_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit entries are immutable'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_update();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_refuse_update();
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(create, drop)]
