"""Citizen feedback from another system's export (CSV or XLSX), all rows or none, idempotent by its code."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import PLAN, require
from cchc.core.tables import read_table
from cchc.surveys.models import Feedback, FeedbackChannel, FeedbackKind
from cchc.surveys.services.common import ImportRefused
from cchc.surveys.services.feedback import receive_feedback
from cchc.units.models import Unit

COLUMNS = ["code", "received_at", "kind", "title", "content"]
OPTIONAL = ("unit_code", "procedure_code", "consent_to_publish")
# Publishing a citizen's words needs an explicit yes, so this column takes fewer words than the
# general yes/no vocabulary (kit.parsers.YES_WORDS): no "đạt", "đúng" or one-letter answers.
CONSENT_WORDS = frozenset({"1", "true", "yes", "có", "x"})
KINDS = {
    "procedure": FeedbackKind.PROCEDURE,
    "tthc": FeedbackKind.PROCEDURE,
    "official": FeedbackKind.OFFICIAL,
    "cán bộ": FeedbackKind.OFFICIAL,
    "can bo": FeedbackKind.OFFICIAL,
    "other": FeedbackKind.OTHER,
    "khác": FeedbackKind.OTHER,
}


def _moment(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(8, 0))
    else:
        text = str(value).strip()
        for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                moment = datetime.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("“%(value)s” is not a date and time (dd/mm/yyyy HH:MM).") % {"value": text}
            )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@transaction.atomic
def import_feedback(*, actor: Any, organiser: Unit, content: bytes, filename: str) -> dict[str, int]:
    require(actor, PLAN, organiser)
    records, problems = read_table(content, filename, COLUMNS, OPTIONAL)
    if problems:
        raise ImportRefused([(problem.row, problem.column, problem.message) for problem in problems])
    known = set(
        Feedback.objects.filter(organiser=organiser)
        .exclude(external_code="")
        .values_list("external_code", flat=True)
    )
    errors: list[tuple[int | None, str, str]] = []
    planned = []
    seen: set[str] = set()
    for record in records:
        number = record["_row"]
        code = str(record["code"]).strip()
        if not code:
            errors.append((number, "code", _("The code is empty.")))
            continue
        if code in seen:
            errors.append((number, "code", _("The code %(code)s appears twice.") % {"code": code}))
            continue
        seen.add(code)
        if code in known:
            continue  # imported before: left as it is
        kind = KINDS.get(str(record["kind"]).strip().lower())
        if kind is None:
            errors.append((number, "kind", _("Write procedure, official or other.")))
        unit = None
        unit_code = str(record.get("unit_code", "")).strip()
        if unit_code:
            unit = Unit.objects.subtree(organiser).by_code(unit_code).first()
            if unit is None:
                errors.append(
                    (
                        number,
                        "unit_code",
                        _("No unit under the province has the code %(code)s.") % {"code": unit_code},
                    )
                )
        try:
            received_at = _moment(record["received_at"])
        except ValidationError as error:
            errors.append((number, "received_at", " ".join(error.messages)))
            continue
        consent = str(record.get("consent_to_publish") or "").strip().lower() in CONSENT_WORDS
        planned.append((number, code, kind, unit, received_at, consent, record))
    if errors:
        raise ImportRefused(errors)
    created = 0
    for number, code, kind, unit, received_at, consent, record in planned:
        try:
            receive_feedback(
                actor=actor,
                organiser=organiser,
                kind=kind or FeedbackKind.OTHER,
                title=str(record["title"]),
                content=str(record["content"]),
                procedure_code=str(record.get("procedure_code", "")),
                unit=unit,
                channel=FeedbackChannel.IMPORT,
                received_at=received_at,
                consent_to_publish=consent,
                external_code=code,
            )
        except ValidationError as error:
            errors.append((number, "", " ".join(error.messages)))
        else:
            created += 1
    if errors:
        raise ImportRefused(errors)
    return {"created": created, "unchanged": len(seen) - created}
