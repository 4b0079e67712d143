"""Which plan events are sent to other systems (read by cchc.webhooks at start-up).

* A unit's periodic report accepted by the reform office -> "report.accepted", for the unit's subtree.
"""

from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.plans.models import UnitReport
from cchc.webhooks.models import EventType
from cchc.webhooks.registry import Event, Part, on_action, unit_data


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def report_accepted(entry: AuditEntry) -> list[Event]:
    report = UnitReport.objects.select_related("unit", "schedule__plan").filter(pk=entry.object_id).first()
    if report is None:
        return []
    schedule, plan = report.schedule, report.schedule.plan
    return [
        Event(
            type=EventType.REPORT_ACCEPTED,
            object={
                "report_id": report.pk,
                "title": schedule.title,
                "kind": schedule.kind,
                "period": schedule.period,
                "data_from": _iso(schedule.data_from),
                "data_to": _iso(schedule.data_to),
                "plan": {"id": plan.pk, "number": plan.number, "title": plan.title},
                "unit": unit_data(report.unit),
                "submitted_at": _iso(report.submitted_at),
                "accepted_at": _iso(report.accepted_at),
            },
            link=reverse("plans:report-detail", args=[report.pk]),
            parts=(Part(report.unit.path),),
        )
    ]


on_action("report.accept", report_accepted)
