"""Periodic reports: the rounds of a plan, and each unit's report from draft to acceptance.

    draft ─submit→ submitted ─approve→ approved ─accept→ accepted (locked)
      ↑                                     └────return→ returned ─submit→ submitted …

The unit's focal point writes and submits, the unit's leader approves (the report then reaches
the reform office), the reform office of the plan's issuing unit accepts or returns it.
"""

import datetime
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import APPROVE, ENTER, PLAN, SUBMIT, require
from cchc.core import audit
from cchc.core.evidence import check_evidence
from cchc.core.models import LegalDocument
from cchc.plans.models import (
    Plan,
    PlanStatus,
    ReportKind,
    ReportSchedule,
    ReportStatus,
    Task,
    TaskStatus,
    UnitReport,
)
from cchc.plans.reporting import expected_units
from cchc.units.models import Unit

DEFAULTS_FILE = Path(__file__).resolve().parent.parent / "data" / "report_defaults.json"

SCHEDULE_FIELDS = ["plan", "kind", "period", "title", "data_from", "data_to", "due_on", "legal_basis"]
REPORT_FIELDS = [
    "status",
    "narrative",
    "task_lines",
    "evidence",
    "submitted_at",
    "approved_at",
    "accepted_at",
    "review_comment",
]
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


# ---------------------------------------------------------------------------------------------
# Rounds


def load_defaults() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return data


def _legal_basis(fields: dict[str, Any]) -> LegalDocument:
    issued_on = datetime.date.fromisoformat(fields["issued_on"]) if fields.get("issued_on") else None
    document, _created = LegalDocument.objects.get_or_create(
        number=fields["number"],
        issued_on=issued_on,
        defaults={
            "issuer": fields["issuer"],
            "title": fields["title"],
            "verified": fields["verified"],
            "note": fields["note"],
        },
    )
    return document


def _day(year: int, offset_month_day: list[int]) -> datetime.date:
    offset, month, day = offset_month_day
    return datetime.date(year + offset, month, day)


@transaction.atomic
def create_schedules_for_year(
    *,
    actor: Any,
    plan: Plan,
    year: int,
    kinds: Iterable[str] = tuple(ReportKind.values),
    due_day: int | None = None,
) -> list[ReportSchedule]:
    """Create the year's reporting rounds of `plan` from the national defaults.

    `due_day` moves the due date within the last month of each period: a province may ask its
    units for their reports earlier than the national deadline, never later. Rounds that already
    exist are left as they are; the ones created are returned.
    """
    require(actor, PLAN, plan.issuing_unit)
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("The plan is closed; it can no longer be changed."))
    if not plan.year_from <= year <= plan.year_to:
        raise ValidationError(
            {
                "year": _("The plan covers %(first)s–%(last)s, not %(year)s.")
                % {"first": plan.year_from, "last": plan.year_to, "year": year}
            }
        )
    kinds = list(kinds)
    unknown = sorted(set(kinds) - set(ReportKind.values))
    if unknown:
        raise ValidationError(
            {"kinds": _("Unknown kinds of report: %(kinds)s") % {"kinds": ", ".join(unknown)}}
        )
    defaults = load_defaults()
    national_day = int(defaults["due_day"])
    day = national_day if due_day is None else int(due_day)
    rows = [row for row in defaults["rounds"] if row["kind"] in kinds]
    latest_cut_off = max((row["data_to"][2] for row in rows), default=0)
    if not latest_cut_off < day <= national_day:
        raise ValidationError(
            {
                "due_day": _(
                    "The due day must come after the data cut-off (day %(cut_off)s) and no later "
                    "than the national deadline (day %(national)s)."
                )
                % {"cut_off": latest_cut_off, "national": national_day}
            }
        )
    basis = _legal_basis(defaults["legal_basis"])
    created = []
    for row in rows:
        period = row["period"].format(year=year)
        if ReportSchedule.objects.filter(plan=plan, period=period).exists():
            continue
        schedule = ReportSchedule.objects.create(
            plan=plan,
            kind=row["kind"],
            period=period,
            title=row["title"].format(year=year),
            data_from=_day(year, row["data_from"]),
            data_to=_day(year, row["data_to"]),
            due_on=datetime.date(year, row["due_month"], day),
            legal_basis=basis,
        )
        audit.record(
            actor=actor,
            action="report_schedule.create",
            obj=schedule,
            unit=plan.issuing_unit,
            after=audit.snapshot(schedule, SCHEDULE_FIELDS),
        )
        created.append(schedule)
    return created


# ---------------------------------------------------------------------------------------------
# A unit's report


def _plan_and_descendants(plan: Plan) -> list[int]:
    """The plan and the plans cascaded from it, at any depth (units may cascade further down)."""
    ids, frontier = [plan.pk], [plan.pk]
    while frontier:
        frontier = list(Plan.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def _task_line(task: Task) -> dict[str, Any]:
    return {
        "task": task.pk,
        "code": task.code,
        "text": task.text,
        "area": task.area.title if task.area else "",
        "deadline_kind": task.deadline_kind,
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "status": task.status,
        "progress": task.progress,
        "note": "",
    }


def prefill_lines(schedule: ReportSchedule, unit: Unit) -> list[dict[str, Any]]:
    """The tasks `unit` leads in the round's plan and in the plans cascaded from it.

    A task the unit copied into its own plan (cascade) is the same commitment as the original it
    leads: only the original is listed, so the consolidated report counts it once.
    """
    tasks = list(
        Task.objects.filter(plan_id__in=_plan_and_descendants(schedule.plan), lead_unit=unit)
        .select_related("area", "plan")
        .order_by("plan__issuing_unit__path", "order", "id")
    )
    listed = {task.pk for task in tasks}
    return [_task_line(task) for task in tasks if task.parent_id not in listed]


def _locked_report(report: UnitReport) -> UnitReport:
    """Re-read the report under a row lock, so two people acting at once cannot both succeed."""
    return (
        UnitReport.objects.select_for_update()
        .select_related("schedule__plan__issuing_unit", "unit")
        .get(pk=report.pk)
    )


def _refuse_if_accepted(report: UnitReport) -> None:
    if report.locked:
        raise ValidationError(
            _("This report has been accepted and is locked; nobody can change it any more.")
        )


def _require_status(report: UnitReport, allowed: Iterable[str], message: str) -> None:
    _refuse_if_accepted(report)
    if report.status not in allowed:
        raise ValidationError(message % {"status": report.get_status_display()})


def _snapshot(report: UnitReport) -> dict[str, Any]:
    return audit.snapshot(report, REPORT_FIELDS)


def _record(actor: Any, action: str, report: UnitReport, before: dict[str, Any], reason: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=report,
        unit=report.unit,
        before=before,
        after=_snapshot(report),
        reason=reason,
    )


@transaction.atomic
def start_report(*, actor: Any, schedule: ReportSchedule, unit: Unit) -> UnitReport:
    """Open `unit`'s report for the round, pre-filled with its tasks as they stand now."""
    require(actor, ENTER, unit)
    if not expected_units(schedule).filter(pk=unit.pk).exists():
        raise ValidationError(_("%(unit)s is not expected to report in this round.") % {"unit": unit.name})
    if UnitReport.objects.filter(schedule=schedule, unit=unit).exists():
        raise ValidationError(
            _("%(unit)s has already started its report for this round.") % {"unit": unit.name}
        )
    report = UnitReport.objects.create(schedule=schedule, unit=unit, task_lines=prefill_lines(schedule, unit))
    audit.record(
        actor=actor,
        action="report.start",
        obj=report,
        unit=unit,
        after=_snapshot(report),
    )
    return report


def _merge_lines(existing: list[dict[str, Any]], changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply the unit's statuses, progress and notes to the report's own lines.

    The task text, area and deadline stay as they were copied when the report started: the unit
    reports on its tasks, it does not rewrite them.
    """
    by_task = {line["task"]: dict(line) for line in existing}
    for change in changes:
        line = by_task.get(change.get("task"))
        if line is None:
            raise ValidationError(_("A task line does not belong to this report."))
        status = change.get("status", line["status"])
        if status not in TaskStatus.values:
            raise ValidationError(_("Unknown status %(status)s.") % {"status": status})
        try:
            progress = int(change.get("progress", line["progress"]))
        except (TypeError, ValueError):
            raise ValidationError(_("Progress is a percentage between 0 and 100.")) from None
        if not 0 <= progress <= 100:
            raise ValidationError(_("Progress is a percentage between 0 and 100."))
        if status == TaskStatus.DONE and progress != 100:
            raise ValidationError(
                _("%(task)s is marked done, so its progress is 100 %%.")
                % {"task": line["code"] or line["text"][:60]}
            )
        line.update(status=status, progress=progress, note=str(change.get("note", line["note"])).strip())
    return [by_task[line["task"]] for line in existing]


@transaction.atomic
def save_report(
    *,
    actor: Any,
    report: UnitReport,
    narrative: str,
    task_lines: list[dict[str, Any]],
    evidence: Any = None,
) -> UnitReport:
    """Save the narrative, the task lines and (optionally) a new evidence file, while still editable."""
    report = _locked_report(report)
    require(actor, ENTER, report.unit)
    _require_status(report, EDITABLE, _("A report that is “%(status)s” cannot be edited."))
    before = _snapshot(report)
    report.narrative = narrative.strip()
    report.task_lines = _merge_lines(report.task_lines, task_lines)
    if evidence:
        check_evidence(evidence)
        report.evidence = evidence
    report.save()
    _record(actor, "report.save", report, before)
    return report


@transaction.atomic
def submit_report(*, actor: Any, report: UnitReport) -> UnitReport:
    """Send the report to the unit's leader."""
    report = _locked_report(report)
    require(actor, SUBMIT, report.unit)
    _require_status(report, EDITABLE, _("A report that is “%(status)s” cannot be submitted."))
    if not report.narrative.strip():
        raise ValidationError(_("Write the narrative (results, limitations, proposals) before submitting."))
    before = _snapshot(report)
    report.status, report.submitted_at = ReportStatus.SUBMITTED, timezone.now()
    report.save()
    _record(actor, "report.submit", report, before)
    return report


@transaction.atomic
def approve_report(*, actor: Any, report: UnitReport) -> UnitReport:
    """The unit's leader approves: the report reaches the reform office.

    `approved_at` keeps the first time the report reached the reform office: a report returned
    for corrections and approved again still counts as sent when it first arrived.
    """
    report = _locked_report(report)
    require(actor, APPROVE, report.unit)
    _require_status(report, [ReportStatus.SUBMITTED], _("A report that is “%(status)s” cannot be approved."))
    before = _snapshot(report)
    report.status = ReportStatus.APPROVED
    report.approved_at = report.approved_at or timezone.now()
    report.save()
    _record(actor, "report.approve", report, before)
    return report


@transaction.atomic
def accept_report(*, actor: Any, report: UnitReport, comment: str = "") -> UnitReport:
    """The reform office accepts the report; from now on it is locked."""
    report = _locked_report(report)
    require(actor, PLAN, report.schedule.plan.issuing_unit)
    _require_status(report, [ReportStatus.APPROVED], _("A report that is “%(status)s” cannot be accepted."))
    before = _snapshot(report)
    report.status, report.accepted_at = ReportStatus.ACCEPTED, timezone.now()
    report.review_comment = comment.strip()
    report.save()
    _record(actor, "report.accept", report, before, reason=comment.strip())
    return report


@transaction.atomic
def return_report(*, actor: Any, report: UnitReport, comment: str) -> UnitReport:
    """The reform office sends the report back to the unit, saying what to correct."""
    report = _locked_report(report)
    require(actor, PLAN, report.schedule.plan.issuing_unit)
    _require_status(report, [ReportStatus.APPROVED], _("A report that is “%(status)s” cannot be returned."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the unit must correct.")})
    before = _snapshot(report)
    report.status, report.review_comment = ReportStatus.RETURNED, comment.strip()
    report.save()
    _record(actor, "report.return", report, before, reason=comment.strip())
    return report
