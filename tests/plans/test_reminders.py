"""Deadline reminders: the right working days around Tết, the right people, one notification per step.

The task below is due Monday 23/02/2026. Offices close from Saturday 14/02 to Sunday 22/02 (Tết,
16–20/02, between two weekends), so "1 working day before" is Friday 13/02.
"""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.notifications.models import EmailChoice, Notification
from cchc.notifications.services import set_email_choice
from cchc.plans.reminders import DUE, OVERDUE, due_reminders, reminders_for, send_reminders
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.workdays import calendar

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEADLINE = datetime.date(2026, 2, 23)
TASK_TEXT = "Công bố danh mục thủ tục hành chính lĩnh vực tư pháp"


def day(d: int, month: int = 2) -> datetime.date:
    return datetime.date(2026, month, d)


@pytest.fixture(autouse=True)
def early_2026():
    calendar.invalidate_cache()
    with time_machine.travel(datetime.datetime(2026, 2, 2, 8, tzinfo=VN), tick=False):
        yield
    calendar.invalidate_cache()


@pytest.fixture
def tet_task(province_plan, cast):
    cast["justice_focal"].email = "daumoi@stp.example.vn"
    cast["justice_focal"].save()
    return task_services.add_task(
        actor=cast["reform_admin"],
        plan=province_plan,
        text=TASK_TEXT,
        lead_unit=cast["justice"],
        deadline=DEADLINE,
    )


def mine(found, task):
    return [(r.kind, r.working_days) for r in found if r.task.pk == task.pk]


def test_reminded_7_3_and_1_working_days_before_and_after_the_deadline(tet_task):
    expected = {
        day(5): (DUE, 7),
        day(11): (DUE, 3),
        day(13): (DUE, 1),  # not 20/02 or 22/02: those are Tết and a Sunday
        day(24): (OVERDUE, 1),  # the first working day after the deadline
        day(3, 3): (OVERDUE, 6),  # then every fifth working day
        day(10, 3): (OVERDUE, 11),
    }
    seen = {}
    current = day(1)
    while current <= day(12, 3):
        found = mine(due_reminders(current), tet_task)
        if found:
            seen[current] = found[0]
        current += datetime.timedelta(days=1)
    assert seen == expected


def test_recipients_are_the_lead_units_active_focal_points(tet_task, cast):
    colleague = account_services.create_user(actor=None, username="stp.daumoi2", password=None)
    account_services.grant_role(actor=None, user=colleague, unit=cast["justice"], role=Role.FOCAL_POINT)
    retired = account_services.create_user(actor=None, username="stp.nghi", password=None)
    account_services.grant_role(actor=None, user=retired, unit=cast["justice"], role=Role.FOCAL_POINT)
    retired.is_active = False
    retired.save()
    director = account_services.create_user(actor=None, username="stp.giamdoc", password=None)
    account_services.grant_role(actor=None, user=director, unit=cast["justice"], role=Role.LEADER)
    division = account_services.create_user(actor=None, username="stp.phong", password=None)
    account_services.grant_role(
        actor=None, user=division, unit=cast["justice_division"], role=Role.FOCAL_POINT
    )
    (reminder,) = [r for r in due_reminders(day(13)) if r.task.pk == tet_task.pk]
    assert {user.username for user in reminder.recipients} == {"stp.daumoi", "stp.daumoi2"}


def test_finished_cancelled_ongoing_and_draft_tasks_are_not_reminded(tet_task, province_plan, cast):
    tet_task.status = "done"
    tet_task.save()
    assert mine(due_reminders(day(13)), tet_task) == []
    draft = plan_services.cascade_plan(
        actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"]
    )
    copy = draft.tasks.get(text=TASK_TEXT)  # a draft plan's tasks are not reminded yet
    assert mine(due_reminders(day(13)), copy) == []
    plan_services.issue_plan(actor=cast["justice_focal"], plan=draft, number="1/KH-STP", issued_on=day(2))
    assert mine(due_reminders(day(13)), copy) == [(DUE, 1)]


def test_nothing_is_sent_on_a_day_off(tet_task):
    assert due_reminders(day(14)) == [] and due_reminders(day(17)) == []


def test_a_reminder_is_a_notification_once_per_step_and_person(tet_task, cast, mailoutbox):
    created = send_reminders(day(13))
    assert [(n.recipient.username, n.kind) for n in created] == [("stp.daumoi", "task_deadline")]
    (notification,) = Notification.objects.all()
    assert notification.title == f"Còn 1 ngày làm việc đến hạn 23/02/2026: {TASK_TEXT}"
    assert "Kế hoạch 12/KH-UBND, Sở Tư pháp chủ trì" in notification.body
    assert notification.link == f"/plans/tasks/{tet_task.pk}/"
    # Running again the same day creates nothing; the default choice is the daily digest, so the
    # reminder itself sends no e-mail (the daily run does, once).
    assert send_reminders(day(13)) == []
    assert Notification.objects.count() == 1 and mailoutbox == []


def test_a_moved_deadline_reminds_afresh(tet_task, cast):
    send_reminders(day(13))
    tet_task.deadline = datetime.date(2026, 2, 25)
    tet_task.save()
    send_reminders(day(24))  # 1 working day before the new deadline
    assert Notification.objects.count() == 2


def test_those_who_chose_it_are_e_mailed_at_once_and_only_once(tet_task, cast, mailoutbox):
    set_email_choice(actor=cast["justice_focal"], email=EmailChoice.IMMEDIATE)
    send_reminders(day(13))
    send_reminders(day(13))
    (message,) = mailoutbox
    assert message.to == ["daumoi@stp.example.vn"]
    assert message.subject == f"[CCHC] Còn 1 ngày làm việc đến hạn 23/02/2026: {TASK_TEXT}"[:200]
    assert "Kính gửi Trần Văn Đầu Mối" in message.body


def test_overdue_reminder_says_so(tet_task):
    (notification,) = send_reminders(day(24))
    assert notification.title.startswith("Đã quá hạn 23/02/2026 (1 ngày làm việc)")


def test_dry_run_creates_nothing(tet_task, mailoutbox):
    would = send_reminders(day(13), dry_run=True)
    assert [n.recipient.username for n in would] == ["stp.daumoi"]
    assert not Notification.objects.exists() and mailoutbox == []


def test_the_command_prints_what_it_creates(tet_task):
    out = StringIO()
    call_command("plan_reminders", "--date", "2026-02-13", "--dry-run", stdout=out)
    assert "would notify: stp.daumoi plans.task:" in out.getvalue()
    assert not Notification.objects.exists()
    out = StringIO()
    call_command("plan_reminders", "--date", "2026-02-13", stdout=out)
    assert "2026-02-13: 1 notification(s) created." in out.getvalue()
    assert Notification.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("plan_reminders", "--date", "13/02/2026")


def test_the_interface_shows_each_user_their_own_tasks(tet_task, cast):
    assert mine(reminders_for(cast["justice_focal"], day(13)), tet_task) == [(DUE, 1)]
    assert mine(reminders_for(cast["justice_focal"], day(12)), tet_task) == [
        (DUE, 2)
    ]  # every day, not only 7/3/1
    assert mine(reminders_for(cast["justice_focal"], day(4)), tet_task) == []  # 8 working days away
    assert mine(reminders_for(cast["justice_focal"], day(25)), tet_task) == [(OVERDUE, 2)]
    assert mine(reminders_for(cast["commune_officer"], day(13)), tet_task) == []
    assert mine(reminders_for(cast["leader"], day(13)), tet_task) == []  # a viewer reports nothing
