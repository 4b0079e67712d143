"""Two daily runs at the same moment (PostgreSQL): each event lands once and each e-mail goes once."""

import threading

import pytest
from django.db import connection

from cchc.notifications import services
from cchc.notifications.models import Notification
from cchc.notifications.registry import Event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and ON CONFLICT: PostgreSQL"),
]


def test_two_runs_at_once_store_and_e_mail_each_notification_once(cast, mailoutbox):
    focal = cast["justice_focal"]
    focal.email = "daumoi@stp.example.vn"
    focal.save()
    events = [
        Event(key=f"race-{n}", kind="plans_report", title=f"Việc {n}", recipients=(focal,)) for n in range(20)
    ]
    start = threading.Barrier(2)
    errors = []

    def run():
        from django.db import connection as own

        try:
            start.wait(timeout=30)
            services.deliver(events)
            services.send_digests()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Notification.objects.filter(recipient=focal).count() == 20
    assert len(mailoutbox) == 1 and Notification.objects.filter(emailed_at__isnull=True).count() == 0
