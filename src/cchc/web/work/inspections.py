"""Work from inspections: findings the user's unit must remedy, and remedies the reform office verifies."""

import datetime

from django.urls import reverse

from cchc.plans.models import Finding
from cchc.web.work.items import FINDING_REMEDY, FINDING_VERIFY, WorkItem, dated, waiting
from cchc.web.work.roles import REVIEWERS, Roles
from cchc.workdays.calendar import WorkCalendar


def work(user, roles: Roles, today: datetime.date, calendar: WorkCalendar) -> list[WorkItem]:
    items = []
    if roles.focal:
        findings = (
            Finding.objects.for_user(user)
            .filter(state=Finding.OPEN, responsible_unit_id__in=roles.focal)
            .select_related("responsible_unit")
        )
        items += [
            dated(
                FINDING_REMEDY,
                title=finding.description,
                unit=finding.responsible_unit.name,
                url=reverse("plans:finding", args=[finding.pk]),
                deadline=finding.deadline,
                today=today,
                calendar=calendar,
            )
            for finding in findings
        ]
    condition = roles.under("inspection__plan__issuing_unit__path", *REVIEWERS)
    if condition is not None:
        findings = (
            Finding.objects.for_user(user)
            .filter(condition, state=Finding.REMEDIED)
            .select_related("responsible_unit")
        )
        items += [
            waiting(
                FINDING_VERIFY,
                title=finding.description,
                unit=finding.responsible_unit.name,
                url=reverse("plans:finding", args=[finding.pk]),
                since=finding.remedied_at,
                today=today,
                calendar=calendar,
            )
            for finding in findings
        ]
    return items
