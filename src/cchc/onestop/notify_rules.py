"""Which one-stop events become notifications, and for whom (read by cchc.notifications).

* An import in the background that failed, stopped at its time limit or was abandoned after its worker
  died -> the person who sent the file, who may not be watching the job's page any more.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.core.models import AuditEntry
from cchc.notifications.registry import Event, kind, on_action
from cchc.onestop.models import ImportJob

IMPORT_FAILED = kind("import_failed", gettext_lazy("Import failed"))


def import_failed(entry: AuditEntry) -> list[Event]:
    job = ImportJob.objects.select_related("created_by").filter(pk=entry.object_id).first()
    if job is None or job.created_by is None or not job.created_by.is_active:
        return []
    return [
        Event(
            key=f"audit:{entry.pk}",
            kind=IMPORT_FAILED,
            title=_("The import of %(file)s did not go through") % {"file": job.original_name or str(job)},
            recipients=(job.created_by,),
            body=job.message,
            link=reverse("onestop:import-job", args=[job.pk]),
        )
    ]


on_action("onestop.import_failed", import_failed)
on_action("onestop.import_timed_out", import_failed)
on_action("onestop.import_abandoned", import_failed)
