"""What the bulk entry page of one area shows: the areas to move between, the area's rows with the values
to edit, and what happens next (who submits the self-assessment, by which day, working days left)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cchc.accounts.models import Role, RoleAssignment
from cchc.accounts.permissions import APPROVE, has_unit_permission
from cchc.kit import wording
from cchc.parindex.models import COMPUTED, Assessment, AssessmentStatus, Criterion, Item, Method, Phase
from cchc.parindex.queries.results import area_of
from cchc.parindex.queries.scorecards import phase_open, reported_input, reported_shown, scorecard_rights
from cchc.workdays.calendar import working_days_between

# What a scorecard's items can be changed for, by the campaign's phase.
SELF, APPRAISE_MODE = "self", "appraise"
MODE_PHASES = {SELF: Phase.SELF_ASSESSMENT, APPRAISE_MODE: Phase.APPRAISAL}


def mode_for_phase(phase: str) -> str | None:
    """Bulk entry is for self-assessment and appraisal; the other phases have their own item forms."""
    for mode, mode_phase in MODE_PHASES.items():
        if phase == mode_phase:
            return mode
    return None


@dataclass
class Entry:
    """One row of an area's form as it was posted: the item, the version the page showed, the values.

    Self-assessment uses `reported` and `note`; appraisal uses `score` and `reason`.
    """

    item_id: int
    version: int | None
    not_applicable: bool = False
    reported: str = ""
    note: str = ""
    score: str = ""
    reason: str = ""


def areas_of(assessment: Assessment) -> list[Criterion]:
    """The top level of the assessment's criteria tree, in order."""
    return list(assessment.criteria_set.criteria.filter(parent__isnull=True).order_by("position"))


def entry_mode(user: Any, assessment: Assessment) -> str | None:
    """The entry mode ("self" or "appraise") the user may use on this scorecard now, else None."""
    rights = scorecard_rights(user, assessment)
    mode = mode_for_phase(assessment.campaign.phase)
    if mode == SELF and rights["self"]:
        return SELF
    if mode == APPRAISE_MODE and rights["appraise"]:
        return APPRAISE_MODE
    return None


@dataclass
class Row:
    """One leaf of the area as its form row shows it; `entry` holds the values the inputs carry (what was
    posted when a "save all" was refused, else what is saved) and `errors` the row's refusal."""

    criterion: Criterion
    item: Item
    entry: Entry
    editable: bool
    input: dict[str, Any] = field(default_factory=dict)
    reported: str = ""
    evidence: list[Any] = field(default_factory=list)
    heading: str = ""
    errors: list[str] = field(default_factory=list)


def saved_entry(item: Item, mode: str | None) -> Entry:
    """The values the row's inputs show when nothing was posted."""
    if mode == APPRAISE_MODE:
        # The score as a person types it here: "2,5", "10" (parse_number reads the comma back).
        score = "" if item.appraised_score is None else wording.number(item.appraised_score, 2)
        return Entry(item.pk, item.version, item.not_applicable, score=score, reason=item.appraisal_reason)
    return Entry(item.pk, item.version, item.not_applicable, reported=item.self_input, note=item.unit_note)


def area_rows(
    assessment: Assessment,
    area: Criterion,
    mode: str | None,
    posted: dict[int, Entry] | None = None,
    problems: dict[int, list[str]] | None = None,
) -> list[Row]:
    """The leaves under `area` in the tree's order, each with the group it belongs to as a heading."""
    criteria = {node.pk: node for node in assessment.criteria_set.criteria.all()}
    items = assessment.items.select_related("criterion").prefetch_related("evidence")
    posted, problems = posted or {}, problems or {}
    rows = []
    for item in sorted(items, key=lambda item: item.criterion.position):
        criterion = item.criterion
        if area_of(criteria, criterion).pk != area.pk:
            continue
        editable = mode is not None and criterion.method != Method.SURVEY
        entry = saved_entry(item, mode)
        if item.pk in posted:
            entry = posted[item.pk]
            entry.version = item.version if entry.version is None else entry.version
        parent = criteria.get(criterion.parent_id) if criterion.parent_id else None
        heading = f"{parent.code}. {parent.title}" if parent is not None and parent.pk != area.pk else ""
        row = Row(
            criterion=criterion,
            item=item,
            entry=entry,
            editable=editable,
            reported=reported_shown(item),
            evidence=list(item.evidence.all()),
            heading=heading,
            errors=problems.get(item.pk, []),
        )
        if editable and mode == SELF and criterion.method not in COMPUTED:
            row.input = reported_input(criterion, item)
            if item.pk in posted:
                row.input = _with_posted(row.input, entry.reported)
        rows.append(row)
    # A heading is shown once, above the first leaf of its group.
    for before, row in zip([None, *rows], rows, strict=False):
        if before is not None and before.heading == row.heading:
            row.heading = ""
    return rows


def _with_posted(shown: dict[str, Any], value: str) -> dict[str, Any]:
    """The input as it shows a posted value that was not saved."""
    if shown.get("kind") == "select":
        choices = [(v, label, v.casefold() == value.casefold()) for v, label, _selected in shown["choices"]]
        return {**shown, "choices": choices}
    return {**shown, "value": value}


def working_days_left(deadline: datetime.date, today: datetime.date) -> int:
    """Working days after today up to the deadline, the deadline included; 0 once it is today or past."""
    if deadline <= today:
        return 0
    return working_days_between(today + datetime.timedelta(days=1), deadline)


def _leaders(assessment: Assessment) -> list[str]:
    """The people who hold the leader role on the unit itself: they submit its self-assessment."""
    assignments = RoleAssignment.objects.filter(
        unit=assessment.unit, role=Role.LEADER, user__is_active=True
    ).select_related("user")
    return sorted({str(assignment.user) for assignment in assignments})


def next_steps(user: Any, assessment: Assessment, missing: int = 0) -> dict[str, Any]:
    """What happens after this page, for the phase the campaign is in: who acts next and by which day;
    `missing` counts the leaves not ready to be submitted (services.items.missing_before_submission)."""
    campaign = assessment.campaign
    today = timezone.localdate()
    phase = campaign.phase
    deadline = campaign.deadline(phase) if phase in (Phase.SELF_ASSESSMENT, Phase.APPRAISAL) else None
    steps: dict[str, Any] = {
        "phase": phase,
        "deadline": deadline,
        "days_left": working_days_left(deadline, today) if deadline else None,
        "due_today": deadline == today,
        "overdue": deadline is not None and deadline < today,
        "open": phase_open(campaign, phase),
    }
    if phase == Phase.SELF_ASSESSMENT:
        steps["submitted"] = assessment.status == AssessmentStatus.SUBMITTED
        steps["leaders"] = _leaders(assessment)
        steps["user_submits"] = has_unit_permission(user, APPROVE, assessment.unit)
        steps["missing"] = missing
        steps["explanation_until"] = None
    elif phase == Phase.APPRAISAL:
        steps["explanation_until"] = campaign.explanation_until
    return steps
