"""Reading the inspection pages: a year's plans with their progress, a plan's inspections with their
findings counted, its coverage, and overdue findings."""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans.metrics import coverage
from cchc.plans.models import Finding, Inspection, InspectionPlan
from cchc.units.models import UnitType


def plans_of_year(user: Any, year: int) -> QuerySet[InspectionPlan]:
    """The inspection plans of `year` the user sees, with how many inspections are planned and done."""
    return (
        InspectionPlan.objects.for_user(user)
        .filter(year=year)
        .select_related("issuing_unit")
        .annotate(
            planned=Count("inspections"),
            done=Count("inspections", filter=Q(inspections__done_on__isnull=False)),
        )
        .order_by("issuing_unit__path", "title")
    )


def inspections_with_counts(plan: InspectionPlan, today: datetime.date) -> QuerySet[Inspection]:
    """The plan's inspections with their findings counted: all, still open, open past the deadline."""
    open_q = ~Q(findings__state=Finding.VERIFIED)
    return (
        plan.inspections.select_related("inspected_unit")
        .annotate(
            findings_count=Count("findings"),
            open_count=Count("findings", filter=open_q),
            overdue_count=Count("findings", filter=open_q & Q(findings__deadline__lt=today)),
        )
        .order_by("planned_on", "inspected_unit__path")
    )


def coverage_rows(plan: InspectionPlan) -> list[tuple[str, Ratio | None]]:
    """The plan's own coverage over its year: agencies, communes, and both together."""
    period = Period.parse(str(plan.year))
    both = [UnitType.AGENCY, UnitType.COMMUNE]
    return [
        (UnitType.AGENCY.label, coverage(plan.issuing_unit, period, [UnitType.AGENCY], plan=plan)),
        (UnitType.COMMUNE.label, coverage(plan.issuing_unit, period, [UnitType.COMMUNE], plan=plan)),
        (_("Agencies and communes"), coverage(plan.issuing_unit, period, both, plan=plan)),
    ]


def overdue(
    findings: QuerySet[Finding] | None = None, today: datetime.date | None = None
) -> QuerySet[Finding]:
    """Findings not yet verified whose deadline has passed (the deadline day itself is still on time)."""
    findings = Finding.objects.all() if findings is None else findings
    return findings.exclude(state=Finding.VERIFIED).filter(deadline__lt=today or timezone.localdate())
