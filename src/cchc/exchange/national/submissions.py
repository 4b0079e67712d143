"""Each province's submission status per month: received, late, missing, revised.

A month's package is due on the day of the following month that the `SubmissionDeadline` rule in
force for that month names; a province is late when its first accepted revision came after that day
(the local date of receipt). Refused packages do not count: nothing of them was kept.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.exchange.models import ExchangePackage, PackageStatus, SubmissionDeadline
from cchc.units.models import Unit

RECEIVED, LATE, MISSING, REVISED, NOT_DUE = "received", "late", "missing", "revised", "not_due"
LABELS = {
    RECEIVED: _("Package received"),
    LATE: _("Submitted late"),
    MISSING: _("Not submitted"),
    NOT_DUE: _("Not yet due"),
}


@dataclass(frozen=True)
class Cell:
    state: str
    label: str
    revision: int | None = None
    late: bool = False  # a revised month whose first revision was late keeps saying so
    received_on: datetime.date | None = None


def month_keys(until: str, count: int) -> list[str]:
    """`count` month keys ending with `until` (YYYY-MM), oldest first."""
    year, month = (int(part) for part in until.split("-"))
    keys = []
    for _step in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def deadlines(keys: list[str]) -> dict[str, datetime.date | None]:
    """Month key -> its due date, or None when no rule covers the month."""
    rules = list(SubmissionDeadline.objects.order_by("applies_from"))
    found: dict[str, datetime.date | None] = {}
    for key in keys:
        rule = None
        for candidate in rules:
            if candidate.applies_from <= key:
                rule = candidate
        year, month = (int(part) for part in key.split("-"))
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        found[key] = following.replace(day=rule.day) if rule else None
    return found


def cell(revisions: list[tuple[int, datetime.date]], due: datetime.date | None, today: datetime.date) -> Cell:
    """The status of one province's month from its accepted revisions (number, day received)."""
    if not revisions:
        if due is not None and today <= due:
            return Cell(NOT_DUE, str(LABELS[NOT_DUE]))
        return Cell(MISSING, str(LABELS[MISSING]))
    revisions = sorted(revisions)
    first_day = revisions[0][1]
    late = due is not None and first_day > due
    latest = revisions[-1][0]
    if latest > 1:
        # The first revision is the submission; each later one is a resubmission: revision 3 is the
        # second resubmission.
        label = _("Resubmitted (time %(count)s)") % {"count": latest - 1}
        return Cell(REVISED, str(label), latest, late, revisions[-1][1])
    state = LATE if late else RECEIVED
    return Cell(state, str(LABELS[state]), latest, late, first_day)


def grid(
    provinces: list[Unit], keys: list[str], today: datetime.date | None = None
) -> dict[int, dict[str, Cell]]:
    """province id -> month key -> its cell, in one query for all."""
    today = today or timezone.localdate()
    due = deadlines(keys)
    accepted: dict[tuple[int, str], list[tuple[int, datetime.date]]] = {}
    packages = ExchangePackage.objects.filter(
        status=PackageStatus.ACCEPTED, period__in=keys, registration__unit__in=provinces
    ).values_list("registration__unit_id", "period", "revision", "received_at")
    for unit_id, period, revision, received_at in packages:
        accepted.setdefault((unit_id, period), []).append((revision, timezone.localdate(received_at)))
    return {
        province.pk: {key: cell(accepted.get((province.pk, key), []), due[key], today) for key in keys}
        for province in provinces
    }


def rules() -> list[SubmissionDeadline]:
    """The deadline rules with their legal basis, for the page to say what "late" is measured against."""
    return list(SubmissionDeadline.objects.order_by("applies_from"))
