"""Sessions end after a spell without activity, and after a longest length whatever the activity.

On today's main a session lasted two weeks, idle or not.
"""

import pytest
from django.contrib.sessions.models import Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, cast, time_machine):
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    client.force_login(cast["justice_focal"])
    return client


def test_an_idle_session_is_signed_out_with_a_message(signed_in, time_machine):
    assert signed_in.get("/").status_code == 200
    time_machine.move_to("2026-03-02 08:31 +07:00", tick=False)
    response = signed_in.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "sau 30 phút không hoạt động" in response.content.decode()
    assert "_auth_user_id" not in signed_in.session


def test_an_active_session_stays_open(signed_in, time_machine):
    for minute in range(10, 130, 20):  # a page every 20 minutes for two hours
        time_machine.move_to(f"2026-03-02 {8 + minute // 60:02d}:{minute % 60:02d} +07:00", tick=False)
        assert signed_in.get("/").status_code == 200


def test_the_longest_session_ends_even_when_active(signed_in, time_machine, settings):
    settings.CCHC_SESSION_MAX_HOURS = 2
    for minute in range(20, 120, 20):
        time_machine.move_to(f"2026-03-02 {8 + minute // 60:02d}:{minute % 60:02d} +07:00", tick=False)
        assert signed_in.get("/").status_code == 200
    time_machine.move_to("2026-03-02 10:01 +07:00", tick=False)
    response = signed_in.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_moment_of_activity_is_written_at_most_once_a_minute(signed_in, time_machine):
    signed_in.get("/")
    written = Session.objects.get().expire_date
    time_machine.move_to("2026-03-02 08:00:30 +07:00", tick=False)
    signed_in.get("/")
    assert Session.objects.get().expire_date == written  # not saved again within the minute
    time_machine.move_to("2026-03-02 08:01:30 +07:00", tick=False)
    signed_in.get("/")
    assert Session.objects.get().expire_date > written
