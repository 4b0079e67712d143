"""Ships the standard reform areas (data/reform_areas.json) with their legal basis."""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "reform_areas.json"


def load(apps, schema_editor):
    LegalDocument = apps.get_model("core", "LegalDocument")
    ReformArea = apps.get_model("plans", "ReformArea")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    basis = data["legal_basis"]
    document, _ = LegalDocument.objects.get_or_create(
        number=basis["number"],
        issued_on=datetime.date.fromisoformat(basis["issued_on"]),
        defaults={"issuer": basis["issuer"], "title": basis["title"]},
    )
    for row in data["areas"]:
        ReformArea.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "order": row["order"], "legal_basis": document}
        )


def unload(apps, schema_editor):
    apps.get_model("plans", "ReformArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("core", "0003_audit_immutable")]
    operations = [migrations.RunPython(load, unload)]
