"""Brief schedules: kept by the reform office, audited, and sent once a day with both files.

The schedule e-mails the province's brief of last month on the 5th of each month to the leader (by
account) and one outside address.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.web.brief import schedule, services
from cchc.web.models import BriefDelivery, BriefSubscription, DeliveryStatus, PeriodKind

pytestmark = pytest.mark.django_db

FIFTH = datetime.date(2026, 11, 5)
NOW = datetime.datetime(2026, 11, 5, 1, tzinfo=datetime.UTC)  # 08:00 in Vietnam


@pytest.fixture(autouse=True)
def in_november():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mailed_leader(cast):
    leader = cast["leader"]
    leader.email = "lanhdao@tinh.gov.vn"
    leader.save(update_fields=["email"])
    return leader


def monthly(**changes):
    data = {
        "period_kind": PeriodKind.LAST_MONTH,
        "weekday": None,
        "day_of_month": 5,
        "users": [],
        "emails": "vanphong@tinh.gov.vn",
        "active": True,
    }
    return {**data, **changes}


@pytest.fixture
def subscription(cast, mailed_leader):
    return services.create_subscription(
        actor=cast["reform_admin"], unit=cast["province"], data=monthly(users=[mailed_leader])
    )


# --- when and what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "period"),
    [
        (PeriodKind.LAST_MONTH, datetime.date(2026, 11, 5), "2026-10"),
        (PeriodKind.LAST_MONTH, datetime.date(2026, 1, 3), "2025-12"),
        (PeriodKind.LAST_QUARTER, datetime.date(2026, 11, 5), "2026-Q3"),
        (PeriodKind.LAST_QUARTER, datetime.date(2026, 2, 1), "2025-Q4"),
        (PeriodKind.LAST_HALF, datetime.date(2026, 7, 1), "2026-H1"),
        (PeriodKind.LAST_HALF, datetime.date(2026, 6, 30), "2025-H2"),
        (PeriodKind.LAST_YEAR, datetime.date(2026, 1, 15), "2025"),
    ],
)
def test_a_schedule_covers_the_last_whole_period(kind, day, period):
    assert schedule.period_before(kind, day).key == period


def test_a_monthly_day_past_the_months_end_falls_on_its_last_day():
    on_31st = BriefSubscription(day_of_month=31)
    assert schedule.is_due(on_31st, datetime.date(2026, 4, 30))
    assert not schedule.is_due(on_31st, datetime.date(2026, 4, 29))
    assert schedule.is_due(on_31st, datetime.date(2026, 5, 31))
    assert not schedule.is_due(on_31st, datetime.date(2026, 5, 30))
    fridays = BriefSubscription(weekday=4)
    assert schedule.is_due(fridays, datetime.date(2026, 11, 6))
    assert not schedule.is_due(fridays, FIFTH)


# --- sending -------------------------------------------------------------------------------------


def test_a_due_brief_goes_out_once_with_both_files(subscription, mailoutbox):
    (delivery,) = services.send_scheduled(FIFTH)
    assert delivery.status == DeliveryStatus.SENT
    (message,) = mailoutbox
    assert sorted(message.bcc) == ["lanhdao@tinh.gov.vn", "vanphong@tinh.gov.vn"]
    assert "Tỉnh Thử Nghiệm" in message.subject
    assert "Tháng 10/2026" in message.subject
    names = sorted(name for name, _content, _type in message.attachments)
    assert [name.rsplit(".", 1)[1] for name in names] == ["docx", "pdf"]
    types = sorted(content_type for _name, _content, content_type in message.attachments)
    assert types == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    assert all(content[:4] in (b"%PDF", b"PK\x03\x04") for _name, content, _type in message.attachments)
    # Run again the same day, by the function or the command: nothing more goes out.
    assert services.send_scheduled(FIFTH) == []
    call_command("brief", "send-scheduled", "--date", "05/11/2026")
    assert len(mailoutbox) == 1
    assert BriefDelivery.objects.get().brief.period == "2026-10"


def test_nothing_goes_out_on_other_days_or_from_paused_schedules(subscription, mailoutbox):
    assert services.send_scheduled(datetime.date(2026, 11, 6)) == []
    services.update_subscription(
        actor=subscription.keeper, subscription=subscription, data=monthly(users=[], active=False)
    )
    assert services.send_scheduled(FIFTH) == []
    assert mailoutbox == []


def test_a_failed_sending_is_tried_again_and_then_sent_once(subscription, mailoutbox, monkeypatch):
    real_email = services._email

    def broken(brief, addresses):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "_email", broken)
    (failed,) = services.send_scheduled(FIFTH)
    assert failed.status == DeliveryStatus.FAILED
    assert "mail server down" in failed.message
    monkeypatch.setattr(services, "_email", real_email)
    (retried,) = services.send_scheduled(FIFTH)
    assert retried.pk == failed.pk
    assert retried.status == DeliveryStatus.SENT
    assert services.send_scheduled(FIFTH) == []
    assert len(mailoutbox) == 1


def test_a_keeper_who_lost_the_unit_sends_nothing(subscription, mailoutbox, cast):
    subscription.keeper.role_assignments.all().delete()
    (delivery,) = services.send_scheduled(FIFTH)
    assert delivery.status == DeliveryStatus.FAILED
    assert mailoutbox == []


def test_a_run_while_another_is_sending_sends_nothing(subscription, mailoutbox):
    # The other run took the (schedule, day) row and is still writing the brief.
    BriefDelivery.objects.create(subscription=subscription, on_date=FIFTH, status=DeliveryStatus.SENDING)
    assert services.send_scheduled(FIFTH) == []
    assert mailoutbox == []


def test_a_recipient_who_lost_the_unit_gets_no_more_briefs(subscription, mailoutbox, mailed_leader):
    mailed_leader.role_assignments.all().delete()
    (delivery,) = services.send_scheduled(FIFTH)
    assert delivery.status == DeliveryStatus.SENT
    (message,) = mailoutbox
    assert message.bcc == ["vanphong@tinh.gov.vn"]


def test_the_command_says_what_it_sent(subscription, mailoutbox, capsys):
    call_command("brief", "send-scheduled", "--date", "05/11/2026")
    assert "05/11/2026: 1 brief(s) sent, 0 failed." in capsys.readouterr().out


# --- keeping schedules ---------------------------------------------------------------------------


def test_every_change_to_a_schedule_is_audited(subscription, cast, mailed_leader):
    admin = cast["reform_admin"]
    services.update_subscription(actor=admin, subscription=subscription, data=monthly(day_of_month=10))
    services.delete_subscription(actor=admin, subscription=subscription)
    actions = list(
        AuditEntry.objects.filter(action__startswith="brief_subscription.")
        .order_by("pk")
        .values_list("action", "after")
    )
    assert [action for action, _after in actions] == [
        "brief_subscription.create",
        "brief_subscription.update",
        "brief_subscription.delete",
    ]
    assert actions[0][1]["users"] == [mailed_leader.pk]
    assert actions[1][1] == {"day_of_month": 10, "users": []}


@pytest.mark.parametrize(
    "changes",
    [
        {"weekday": 2},  # both a weekday and a day of the month
        {"day_of_month": None},  # neither
        {"day_of_month": 32},
        {"emails": "not-an-address"},
        {"emails": "", "users": []},
        {"period_kind": "next_decade"},
    ],
)
def test_a_bad_schedule_is_refused_and_nothing_is_saved(cast, changes):
    with pytest.raises(ValidationError):
        services.create_subscription(
            actor=cast["reform_admin"], unit=cast["province"], data=monthly(**changes)
        )
    assert not BriefSubscription.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="brief_subscription.").exists()


def test_only_those_who_plan_for_the_unit_keep_its_schedules(cast):
    with pytest.raises(PermissionDenied):
        services.create_subscription(actor=cast["justice_focal"], unit=cast["justice"], data=monthly())
    with pytest.raises(PermissionDenied):
        services.create_subscription(actor=cast["leader"], unit=cast["province"], data=monthly())


def test_a_user_who_may_not_see_the_unit_is_no_recipient(cast):
    commune_officer = cast["commune_officer"]
    commune_officer.email = "xatay@tinh.gov.vn"
    commune_officer.save(update_fields=["email"])
    with pytest.raises(ValidationError) as refused:
        services.create_subscription(
            actor=cast["reform_admin"], unit=cast["justice"], data=monthly(users=[commune_officer])
        )
    assert "users" in refused.value.message_dict


# --- the pages -----------------------------------------------------------------------------------


def test_the_reform_office_adds_a_schedule_on_the_page(cast, mailed_leader, client):
    client.force_login(cast["reform_admin"])
    url = reverse("web:brief-schedule-new") + f"?unit={cast['province'].pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "lanhdao@tinh.gov.vn" in page.content.decode()
    response = client.post(
        url,
        {
            "period_kind": PeriodKind.LAST_QUARTER,
            "rhythm": "weekly",
            "weekday": "0",
            "day_of_month": "15",  # ignored: the schedule is weekly
            "users": [mailed_leader.pk],
            "emails": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    saved = BriefSubscription.objects.get()
    assert (saved.weekday, saved.day_of_month, saved.keeper) == (0, None, cast["reform_admin"])
    listing = client.get(reverse("web:brief-schedules")).content.decode()
    assert "Quý trước" in listing
    assert "Thứ Hai hằng tuần" in listing


def test_a_schedule_without_recipients_is_refused_on_the_page_in_vietnamese(cast, client):
    client.force_login(cast["reform_admin"])
    url = reverse("web:brief-schedule-new") + f"?unit={cast['province'].pk}"
    response = client.post(
        url, {"period_kind": PeriodKind.LAST_MONTH, "rhythm": "monthly", "day_of_month": "5"}
    )
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một người nhận." in response.content.decode()
    assert not BriefSubscription.objects.exists()


def test_schedule_pages_are_closed_to_other_roles_and_units(subscription, cast, client):
    client.force_login(cast["justice_focal"])  # a focal point: no plan permission
    assert client.get(reverse("web:brief-schedules")).status_code == 403
    assert client.get(reverse("web:brief-schedule", args=[subscription.pk])).status_code in (403, 404)
    client.force_login(cast["leader"])  # views the whole province, keeps no schedule
    assert client.get(reverse("web:brief-schedules")).status_code == 403
    assert client.post(reverse("web:brief-schedule-delete", args=[subscription.pk])).status_code == 403
    assert BriefSubscription.objects.filter(pk=subscription.pk).exists()
    client.force_login(cast["reform_admin"])
    assert client.get(reverse("web:brief-schedule", args=[subscription.pk])).status_code == 200
