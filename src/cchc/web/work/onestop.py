"""Imports that failed: one-stop import jobs the user started that ended "not imported" and have not
been put right by a later import of the same kind that went through.

The plan-document and units imports run while the person waits and say at once what was wrong, so
nothing of theirs is left waiting here; one-stop imports run in the background, hence this list.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.onestop.models import ImportJob, JobStatus
from cchc.web.work.items import IMPORT_FAILED, WorkItem, waiting
from cchc.web.work.roles import Roles
from cchc.workdays.calendar import WorkCalendar

# A failure older than this is history, not work (the imports page keeps it).
LOOK_BACK = datetime.timedelta(days=30)


def work(user, roles: Roles, today: datetime.date, calendar: WorkCalendar) -> list[WorkItem]:
    if not user.is_authenticated:
        return []
    since = timezone.now() - LOOK_BACK
    jobs = list(
        ImportJob.objects.for_user(user)
        .filter(created_by=user, created_at__gte=since, status__in=[JobStatus.FAILED, JobStatus.DONE])
        .order_by("created_at", "pk")
        .only("pk", "kind", "status", "original_name", "created_at", "finished_at", "message")
    )
    # Walk oldest to newest: a job that went through clears the failures of its kind before it.
    failed: dict[str, list[ImportJob]] = {}
    for job in jobs:
        if job.status == JobStatus.DONE:
            failed.pop(job.kind, None)
        else:
            failed.setdefault(job.kind, []).append(job)
    return [
        waiting(
            IMPORT_FAILED,
            title=_("%(kind)s: %(file)s")
            % {"kind": job.get_kind_display().capitalize(), "file": job.original_name},
            unit="",
            url=reverse("onestop:import-job", args=[job.pk]),
            since=job.finished_at or job.created_at,
            today=today,
            calendar=calendar,
        )
        for kinds in failed.values()
        for job in kinds
    ]
