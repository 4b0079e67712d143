"""A one-stop import that fails in the background tells the person who sent the file, once."""

import pytest
from django.core.files.base import ContentFile

from cchc.core.models import AuditEntry
from cchc.notifications.feed import notify_audit
from cchc.notifications.models import Notification
from cchc.onestop.models import ImportJob, ImportKind, JobStatus
from cchc.onestop.services.jobs import run_import

pytestmark = pytest.mark.django_db


def test_the_sender_of_a_failed_import_is_told_with_the_reason(cast, committed):
    sender = cast["justice_focal"]
    job = ImportJob(kind=ImportKind.DOSSIERS, original_name="ho-so-thang-10.json", created_by=sender)
    job.source.save("ho-so.json", ContentFile(b"{not json"), save=False)
    job.save()
    with committed():
        run_import.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    entry = AuditEntry.objects.get(action="onestop.import_failed", object_id=str(job.pk))
    assert entry.after == {"status": JobStatus.FAILED}
    (notification,) = Notification.objects.all()
    assert notification.recipient == sender and notification.kind == "import_failed"
    assert "ho-so-thang-10.json" in notification.title and notification.body == job.message
    assert notification.link == f"/onestop/imports/{job.pk}/"
    assert notify_audit.call(entry.pk) == 0  # never twice
