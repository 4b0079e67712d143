"""Inspections (kiểm tra CCHC): the year's plan, the inspections it lists, and their findings.

A finding is followed like a task: the responsible unit reports its remedy, the reform office that
issued the inspection plan verifies it or sends it back. The reform office's right is PLAN on the
plan's issuing unit; the responsible unit's right is ENTER on itself.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.permissions import ENTER, PLAN, require
from cchc.core import audit
from cchc.core.evidence import check_evidence
from cchc.plans.models import Finding, Inspection, InspectionPlan, ReformArea
from cchc.units.models import Unit

PLAN_FIELDS = ["issuing_unit", "year", "number", "title"]
INSPECTION_FIELDS = ["plan", "inspected_unit", "kind", "planned_on", "done_on", "team", "conclusion"]
FINDING_FIELDS = [
    "inspection",
    "area",
    "description",
    "responsible_unit",
    "remedy_required",
    "deadline",
    "state",
    "remedy_report",
    "remedied_at",
    "verified_by",
    "verified_at",
]


def _snapshot(finding: Finding) -> dict[str, Any]:
    # audit.snapshot trips over an empty FileField (its `url` raises ValueError), so the
    # evidence is stored by hand: the file's name, or None.
    return audit.snapshot(finding, FINDING_FIELDS) | {"evidence": finding.evidence.name or None}


def _below(unit: Unit, issuer: Unit) -> bool:
    """Strictly below: a unit does not inspect itself in this register."""
    return unit.pk != issuer.pk and unit.path.startswith(issuer.path)


@transaction.atomic
def create_inspection_plan(
    *, actor: Any, issuing_unit: Unit, year: int, title: str, number: str = ""
) -> InspectionPlan:
    require(actor, PLAN, issuing_unit)
    if not title.strip():
        raise ValidationError({"title": _("The inspection plan needs a title.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("“%(value)s” is not a plausible year.") % {"value": year}})
    plan = InspectionPlan.objects.create(
        issuing_unit=issuing_unit, year=int(year), title=title.strip(), number=number.strip()
    )
    audit.record(
        actor=actor,
        action="inspection_plan.create",
        obj=plan,
        unit=issuing_unit,
        after=audit.snapshot(plan, PLAN_FIELDS),
    )
    return plan


def _active_during(unit: Unit, year: int) -> bool:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (unit.valid_from is None or unit.valid_from <= last) and (
        unit.valid_to is None or unit.valid_to >= first
    )


@transaction.atomic
def add_inspection(
    *,
    actor: Any,
    plan: InspectionPlan,
    inspected_unit: Unit,
    kind: str = Inspection.SCHEDULED,
    planned_on: datetime.date | None = None,
) -> Inspection:
    issuer = plan.issuing_unit
    require(actor, PLAN, issuer)
    if kind not in dict(Inspection.KINDS):
        raise ValidationError({"kind": _("Unknown kind of inspection %(kind)s.") % {"kind": kind}})
    if not _below(inspected_unit, issuer):
        raise ValidationError(
            {
                "inspected_unit": _("%(unit)s is not under %(issuer)s, which issued this plan.")
                % {"unit": inspected_unit.name, "issuer": issuer.name}
            }
        )
    if not _active_during(inspected_unit, plan.year):
        raise ValidationError(
            {
                "inspected_unit": _("%(unit)s does not exist in %(year)s.")
                % {"unit": inspected_unit.name, "year": plan.year}
            }
        )
    if planned_on is not None and planned_on.year != plan.year:
        raise ValidationError({"planned_on": _("The planned date lies outside the plan's year.")})
    if Inspection.objects.filter(plan=plan, inspected_unit=inspected_unit).exists():
        raise ValidationError(
            {
                "inspected_unit": _("%(unit)s is already in this inspection plan.")
                % {"unit": inspected_unit.name}
            }
        )
    inspection = Inspection.objects.create(
        plan=plan, inspected_unit=inspected_unit, kind=kind, planned_on=planned_on
    )
    audit.record(
        actor=actor,
        action="inspection.create",
        obj=inspection,
        unit=inspected_unit,
        after=audit.snapshot(inspection, INSPECTION_FIELDS),
    )
    return inspection


@transaction.atomic
def record_inspection(
    *, actor: Any, inspection: Inspection, done_on: datetime.date, team: str, conclusion: str = ""
) -> Inspection:
    """Record (or correct) when the inspection took place, who carried it out and what it concluded."""
    inspection = (
        Inspection.objects.select_for_update().select_related("plan__issuing_unit").get(pk=inspection.pk)
    )
    require(actor, PLAN, inspection.plan.issuing_unit)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The inspection date cannot be in the future.")})
    if not team.strip():
        raise ValidationError({"team": _("Name the inspection team.")})
    # Deadlines were set after the old date; moving the date past one would make it meaningless.
    if inspection.findings.filter(deadline__lte=done_on).exists():
        raise ValidationError({"done_on": _("A finding of this inspection is due on or before that date.")})
    before = audit.snapshot(inspection, INSPECTION_FIELDS)
    inspection.done_on, inspection.team, inspection.conclusion = done_on, team.strip(), conclusion.strip()
    inspection.save()
    audit.record(
        actor=actor,
        action="inspection.record",
        obj=inspection,
        unit=inspection.inspected_unit,
        before=before,
        after=audit.snapshot(inspection, INSPECTION_FIELDS),
    )
    return inspection


@transaction.atomic
def add_finding(
    *,
    actor: Any,
    inspection: Inspection,
    description: str,
    responsible_unit: Unit,
    remedy_required: str,
    deadline: datetime.date,
    area: ReformArea | None = None,
) -> Finding:
    # Read afresh: the caller's copy may predate the inspection being recorded.
    inspection = Inspection.objects.select_related("plan__issuing_unit").get(pk=inspection.pk)
    issuer = inspection.plan.issuing_unit
    require(actor, PLAN, issuer)
    if inspection.done_on is None:
        raise ValidationError(_("Record the inspection as carried out before adding its findings."))
    if not description.strip():
        raise ValidationError({"description": _("Describe what was found.")})
    if not remedy_required.strip():
        raise ValidationError({"remedy_required": _("Say what must be done to remedy it.")})
    if not _below(responsible_unit, issuer):
        raise ValidationError(
            {
                "responsible_unit": _("%(unit)s is not under %(issuer)s, which issued this plan.")
                % {"unit": responsible_unit.name, "issuer": issuer.name}
            }
        )
    if deadline <= inspection.done_on:
        raise ValidationError({"deadline": _("The deadline must come after the inspection.")})
    finding = Finding.objects.create(
        inspection=inspection,
        description=description.strip(),
        responsible_unit=responsible_unit,
        remedy_required=remedy_required.strip(),
        deadline=deadline,
        area=area,
    )
    audit.record(
        actor=actor,
        action="finding.create",
        obj=finding,
        unit=responsible_unit,
        after=_snapshot(finding),
    )
    return finding


def _locked(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update()
        .select_related("inspection__plan__issuing_unit", "responsible_unit")
        .get(pk=finding.pk)
    )


@transaction.atomic
def report_remedy(*, actor: Any, finding: Finding, remedy_report: str, evidence: Any = None) -> Finding:
    """The responsible unit says what it did; the finding then waits for the issuer to verify it."""
    finding = _locked(finding)
    require(actor, ENTER, finding.responsible_unit)
    if finding.state != Finding.OPEN:
        raise ValidationError(_("A remedy can be reported only for a finding still to be remedied."))
    if not remedy_report.strip():
        raise ValidationError({"remedy_report": _("Say what was done to remedy the finding.")})
    before = _snapshot(finding)
    finding.state, finding.remedy_report = Finding.REMEDIED, remedy_report.strip()
    finding.remedied_at = timezone.now()
    if evidence:
        check_evidence(evidence)
        finding.evidence = evidence
    finding.save()
    audit.record(
        actor=actor,
        action="finding.report_remedy",
        obj=finding,
        unit=finding.responsible_unit,
        before=before,
        after=_snapshot(finding),
    )
    return finding


@transaction.atomic
def verify_remedy(*, actor: Any, finding: Finding, accept: bool, reason: str = "") -> Finding:
    """Accept the reported remedy (VERIFIED, final) or send the finding back to OPEN with a reason."""
    finding = _locked(finding)
    require(actor, PLAN, finding.inspection.plan.issuing_unit)
    if finding.state != Finding.REMEDIED:
        raise ValidationError(_("Only a finding whose remedy has been reported can be verified."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the remedy is not accepted.")})
    before = _snapshot(finding)
    if accept:
        finding.state, finding.verified_at = Finding.VERIFIED, timezone.now()
        finding.verified_by = actor if actor is not None and actor.is_authenticated else None
    else:
        finding.state, finding.remedied_at = Finding.OPEN, None
    finding.save()
    audit.record(
        actor=actor,
        action="finding.verify" if accept else "finding.reopen",
        obj=finding,
        unit=finding.responsible_unit,
        before=before,
        after=_snapshot(finding),
        reason=reason.strip(),
    )
    return finding
