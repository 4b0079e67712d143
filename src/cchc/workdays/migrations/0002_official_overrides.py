"""Ships the official make-up working days and extra days off of 2023–2026 with their legal bases."""

from django.db import migrations


def install_official_overrides(apps, schema_editor):
    from cchc.workdays import official

    official.install(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0003_audit_immutable"),
        ("workdays", "0001_initial"),
    ]

    operations = [migrations.RunPython(install_official_overrides, migrations.RunPython.noop)]
