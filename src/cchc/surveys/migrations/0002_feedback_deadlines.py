"""The shipped feedback deadlines (data/feedback_deadlines.json), so a new installation can time PAKN."""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "feedback_deadlines.json"


def load(apps, schema_editor):
    FeedbackDeadline = apps.get_model("surveys", "FeedbackDeadline")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    valid_from = datetime.date.fromisoformat(data["valid_from"])
    for step, days in data["working_days"].items():
        FeedbackDeadline.objects.get_or_create(
            step=step,
            valid_from=valid_from,
            defaults={"working_days": days, "legal_basis": data["legal_basis"], "verified": data["verified"]},
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
