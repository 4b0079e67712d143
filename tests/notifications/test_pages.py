"""The notification centre: each person sees and marks only their own; the bell counts the unread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.accounts.permissions import scope_paths
from cchc.notifications.models import EmailChoice, Notification, NotificationPreference
from cchc.notifications.registry import Event
from cchc.notifications.services import deliver, email_choice

pytestmark = pytest.mark.django_db


def tell(user, key, title="Có báo cáo chờ phê duyệt", link="/plans/"):
    (notification,) = deliver(
        [Event(key=key, kind="plans_report", title=title, recipients=(user,), link=link)]
    )
    return notification


@pytest.fixture
def three(cast):
    focal = cast["justice_focal"]
    old = tell(focal, "a", "Thông báo đã đọc")
    old.read_at = old.created
    old.save()
    return {
        "read": old,
        "unread": tell(focal, "b", "Thông báo chưa đọc"),
        "other": tell(cast["commune_officer"], "c"),
    }


def test_the_list_shows_only_my_own_unread_first(client, cast, three):
    client.force_login(cast["justice_focal"])
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    titles = [n.title for n in page.context["page"]]
    assert titles == ["Thông báo chưa đọc", "Thông báo đã đọc"]
    text = page.content.decode()
    assert "1 thông báo chưa đọc." in text and "Nhận thư: Một thư tổng hợp mỗi ngày." in text


def test_the_list_costs_the_same_queries_for_many_notifications(client, cast, three):
    client.force_login(cast["justice_focal"])
    client.get(reverse("notifications:list"))  # warms the caches the rest of the page keeps
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    for number in range(30):
        tell(cast["justice_focal"], f"many-{number}", link="")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("notifications:list"))
    assert len(page.context["page"]) == 32
    assert len(many.captured_queries) == len(few.captured_queries)


def test_marking_read_my_own_and_opening_it(client, cast, three):
    client.force_login(cast["justice_focal"])
    response = client.post(reverse("notifications:read", args=[three["unread"].pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    three["unread"].refresh_from_db()
    assert three["unread"].read_at is not None


def test_marking_read_with_htmx_returns_the_item(client, cast, three):
    client.force_login(cast["justice_focal"])
    response = client.post(reverse("notifications:read", args=[three["unread"].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="notification-{three["unread"].pk}"' in response.content.decode()
    assert "Đánh dấu đã đọc" not in response.content.decode()


def test_someone_elses_notification_is_not_found_and_stays_unread(client, cast, three):
    client.force_login(cast["commune_officer"])  # another unit
    response = client.post(reverse("notifications:read", args=[three["unread"].pk]))
    assert response.status_code == 404
    client.force_login(cast["reform_admin"])  # even the province's administrator
    assert client.post(reverse("notifications:read", args=[three["unread"].pk])).status_code == 404
    three["unread"].refresh_from_db()
    assert three["unread"].read_at is None


def test_mark_all_read_touches_only_mine(client, cast, three):
    client.force_login(cast["justice_focal"])
    response = client.post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=cast["justice_focal"], read_at__isnull=True).exists()
    three["other"].refresh_from_db()
    assert three["other"].read_at is None


def test_reading_needs_a_post_and_a_signed_in_user(client, cast, three):
    client.force_login(cast["justice_focal"])
    assert client.get(reverse("notifications:read", args=[three["unread"].pk])).status_code == 405
    client.logout()
    for name, args in [("list", []), ("preferences", []), ("read-all", [])]:
        response = client.get(reverse(f"notifications:{name}", args=args))
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))


def test_choosing_how_to_be_e_mailed(client, cast):
    focal = cast["justice_focal"]
    client.force_login(focal)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and "Một thư tổng hợp mỗi ngày" in page.content.decode()
    response = client.post(reverse("notifications:preferences"), {"email": EmailChoice.IMMEDIATE})
    assert response.status_code == 302 and email_choice(focal) == EmailChoice.IMMEDIATE
    response = client.post(reverse("notifications:preferences"), {"email": "every_hour"}, follow=True)
    assert email_choice(focal) == EmailChoice.IMMEDIATE  # a bad choice changes nothing
    assert "Hãy chọn" in response.content.decode() or "Chọn một lựa chọn hợp lệ" in response.content.decode()
    assert NotificationPreference.objects.count() == 1  # only the person's own


def test_the_bell_counts_my_unread_in_one_query(client, cast, three, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    client.force_login(cast["justice_focal"])
    page = client.get(reverse("notifications:list"))
    assert 'data-testid="bell-count">1<' in page.content.decode()
    request = RequestFactory().get("/")
    request.user = cast["justice_focal"]
    template = Template("{% load notification_tags %}{% unread_notifications as n %}{{ n }}")
    scope_paths(request.user, "view")  # every page has read the user's roles before the top bar
    with django_assert_num_queries(1):
        assert template.render(Context({"request": request})) == "1"
    client.force_login(cast["leader"])
    assert "bell-count" not in client.get(reverse("notifications:list")).content.decode()


def test_events_of_a_unit_no_longer_in_my_scope_are_hidden(cast):
    focal = cast["justice_focal"]
    deliver(
        [Event(key="x", kind="plans_report", title="Của xã", recipients=(focal,), unit=cast["west_commune"])]
    )
    deliver([Event(key="y", kind="plans_report", title="Của sở", recipients=(focal,), unit=cast["justice"])])
    assert [n.title for n in Notification.objects.for_user(focal)] == ["Của sở"]


def test_a_title_with_line_breaks_is_still_e_mailed_at_once(cast, mailoutbox):
    from cchc.notifications.services import send_immediate, set_email_choice

    focal = cast["justice_focal"]
    focal.email = "daumoi@stp.example.vn"
    focal.save()
    set_email_choice(actor=focal, email=EmailChoice.IMMEDIATE)
    tell(focal, "multi-line", "Còn 3 ngày làm việc: Rà soát văn bản\r\nvà báo cáo kết quả")
    assert send_immediate() == 1
    (message,) = mailoutbox
    assert message.subject == "[CCHC] Còn 3 ngày làm việc: Rà soát văn bản và báo cáo kết quả"
