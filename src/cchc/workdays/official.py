"""The official overrides shipped with the application, and how a migration installs them.

The rows live in `data/official_overrides.json` so that they read as data and can be reviewed
against their sources. `install` takes an app registry, so a migration can pass its historical
models and a test can pass the live ones.
"""

import datetime
import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "official_overrides.json"

SYSTEM_REASON = "Dữ liệu chính thức cài kèm phần mềm"


def load_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def install(apps: Any) -> int:
    """Create the shipped documents and overrides that are missing; return how many overrides were added.

    Each new override gets a creation entry in the audit trail (actor: the system), so its history
    page exists from the start.
    """
    legal_document_model = apps.get_model("core", "LegalDocument")
    override_model = apps.get_model("workdays", "CalendarOverride")
    audit_entry_model = apps.get_model("core", "AuditEntry")
    content_type_model = apps.get_model("contenttypes", "ContentType")

    data = load_data()
    documents = {}
    for key, fields in data["documents"].items():
        documents[key], _ = legal_document_model.objects.get_or_create(
            number=fields["number"],
            issued_on=datetime.date.fromisoformat(fields["issued_on"]),
            defaults={
                "issuer": fields["issuer"],
                "title": fields["title"],
                "verified": fields["verified"],
                "note": fields["note"],
            },
        )

    content_type, _ = content_type_model.objects.get_or_create(app_label="workdays", model="calendaroverride")
    added = 0
    for row in data["overrides"]:
        day = datetime.date.fromisoformat(row["date"])
        if override_model.objects.filter(date=day).exists():
            continue
        override = override_model.objects.create(
            date=day,
            kind=row["kind"],
            name=row["name"],
            legal_basis=documents[row["legal_basis"]],
            note=row["note"],
        )
        audit_entry_model.objects.create(
            actor=None,
            actor_label="hệ thống",
            action="calendar_override.create",
            object_type=content_type,
            object_id=str(override.pk),
            object_repr=f"{day:%d/%m/%Y} {row['name']}"[:300],
            after={
                "date": row["date"],
                "kind": row["kind"],
                "name": row["name"],
                "legal_basis": override.legal_basis_id,
                "note": row["note"],
            },
            reason=SYSTEM_REASON,
        )
        added += 1
    return added
