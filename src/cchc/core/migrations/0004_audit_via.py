"""Audit entries say how the person acted when not in person on the web (`via`, e.g. an API key).

On SQLite, adding a column with a default rebuilds the table, and the rebuild drops the trigger that
refuses UPDATE (migration 0003): it is created again after the new column, in both directions.
"""

from django.db import migrations, models

SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are immutable'); END;
"""


def keep_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_immutable")]

    operations = [
        # Runs last when the migration is reversed, after the column's removal rebuilt the table again.
        migrations.RunPython(migrations.RunPython.noop, keep_trigger),
        migrations.AddField(
            model_name="auditentry",
            name="via",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="via"),
        ),
        migrations.RunPython(keep_trigger, migrations.RunPython.noop),
    ]
