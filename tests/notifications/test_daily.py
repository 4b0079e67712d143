"""The daily run: deadline notifications once per step, then the e-mails by each person's choice.

The plan's task T1 (Sở Tư pháp) is due Tuesday 10/03/2026; on Thursday 05/03 it has 3 working days left.
"""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cchc.notifications import steps
from cchc.notifications.feed import run_daily
from cchc.notifications.models import EmailChoice, Notification
from cchc.notifications.services import mark_all_read, set_email_choice
from cchc.plans.services import reports
from cchc.surveys.models import FeedbackKind
from cchc.surveys.services import feedback as feedback_services
from cchc.workdays import calendar
from tests.plans.reports.helpers import send_in

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
THURSDAY = datetime.date(2026, 3, 5)
T1_LINE = "- Còn 3 ngày làm việc đến hạn 10/03/2026: Rà soát văn bản quy phạm pháp luật"


@pytest.fixture(autouse=True)
def early_march_2026():
    calendar.invalidate_cache()
    with time_machine.travel(datetime.datetime(2026, 3, 5, 7, tzinfo=VN), tick=False):
        yield
    calendar.invalidate_cache()


@pytest.fixture
def focal_with_address(cast):
    focal = cast["justice_focal"]
    focal.email = "daumoi@stp.example.vn"
    focal.save()
    return focal


def task_reminders(user):
    return list(Notification.objects.filter(recipient=user, kind="task_deadline"))


def test_twice_a_day_creates_nothing_new_and_e_mails_once(plan, focal_with_address, mailoutbox):
    out = StringIO()
    call_command("notifications", "daily", "--date", "2026-03-05", stdout=out)
    assert "plans.tasks: 1" in out.getvalue() and "digests: 1" in out.getvalue()
    (reminder,) = task_reminders(focal_with_address)
    assert reminder.title == "Còn 3 ngày làm việc đến hạn 10/03/2026: Rà soát văn bản quy phạm pháp luật"
    assert reminder.emailed_at is not None
    count = Notification.objects.count()
    out = StringIO()
    call_command("notifications", "daily", "--date", "2026-03-05", stdout=out)
    assert "plans.tasks: 0" in out.getvalue() and "digests: 0" in out.getvalue()
    assert Notification.objects.count() == count
    assert len(mailoutbox) == 1


def test_the_digest_is_one_vietnamese_e_mail_listing_the_days_notifications(
    plan, focal_with_address, mailoutbox, settings
):
    settings.CCHC_SITE_URL = "https://cchc.example.vn/"
    run_daily(THURSDAY)
    (message,) = mailoutbox
    mine = Notification.objects.filter(recipient=focal_with_address)
    assert message.to == ["daumoi@stp.example.vn"]
    assert message.subject == f"[CCHC] Thông báo ngày 05/03/2026: {mine.count()} việc cần biết"
    assert message.body.startswith("Kính gửi Trần Văn Đầu Mối,")
    assert T1_LINE in message.body
    t1 = plan.tasks.get(code="T1")
    assert f"https://cchc.example.vn/plans/tasks/{t1.pk}/" in message.body
    assert "Xem tất cả thông báo: https://cchc.example.vn/notifications/" in message.body
    assert "vui lòng không trả lời" in message.body


def test_no_e_mail_for_those_who_chose_none_nor_for_what_was_read(plan, cast, focal_with_address, mailoutbox):
    set_email_choice(actor=focal_with_address, email=EmailChoice.NONE)
    run_daily(THURSDAY)
    assert task_reminders(focal_with_address) and mailoutbox == []
    set_email_choice(actor=focal_with_address, email=EmailChoice.DAILY)
    mark_all_read(actor=focal_with_address)
    run_daily(THURSDAY)
    assert mailoutbox == []


def test_those_without_an_address_are_e_mailed_once_they_have_one(plan, cast, mailoutbox):
    focal = cast["justice_focal"]
    run_daily(THURSDAY)
    assert task_reminders(focal) and mailoutbox == []
    focal.email = "daumoi@stp.example.vn"
    focal.save()
    run_daily(THURSDAY)
    assert [message.to for message in mailoutbox] == [["daumoi@stp.example.vn"]]


def test_immediate_e_mails_are_sent_at_once_and_not_again_in_the_digest(plan, focal_with_address, mailoutbox):
    set_email_choice(actor=focal_with_address, email=EmailChoice.IMMEDIATE)
    run_daily(THURSDAY)
    subjects = [message.subject for message in mailoutbox]
    assert f"[CCHC] {T1_LINE[2:]}" in subjects
    assert not any(subject.startswith("[CCHC] Thông báo ngày") for subject in subjects)
    run_daily(THURSDAY)
    assert len(mailoutbox) == len(subjects)


def test_a_report_not_yet_sent_is_reminded_to_its_units_focal_points(
    plan, q1, cast, justice_leader, commune_leader
):
    # The day the Q1 round has 3 working days left; Sở Tư pháp has sent its report, Xã Tây has not.
    day = q1.due_on - datetime.timedelta(days=1)
    while steps.step(q1.due_on, day) != (steps.DUE, 3):
        day -= datetime.timedelta(days=1)
    justice_report = reports.start_report(actor=cast["justice_focal"], schedule=q1, unit=cast["justice"])
    send_in(justice_report, focal=cast["justice_focal"], leader=justice_leader)
    run_daily(day)
    told = Notification.objects.filter(kind="report_deadline")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["xatay.canbo"]
    assert told.get().title.startswith(f"Còn 3 ngày làm việc đến hạn {q1.due_on:%d/%m/%Y}: gửi báo cáo")
    run_daily(day)
    assert told.count() == 1


def test_feedback_answer_deadline_is_reminded_and_overdue_every_fifth_working_day(cast):
    feedback = feedback_services.receive_feedback(
        actor=cast["reform_admin"],
        organiser=cast["province"],
        unit=cast["west_commune"],
        kind=FeedbackKind.values[0],
        title="Đèn đường hỏng",
        content="Đề nghị sửa.",
    )
    due = feedback.handle_due
    reminded = []
    day = THURSDAY
    while day <= due + datetime.timedelta(days=20):
        if run_daily(day)["surveys.feedback"]:
            reminded.append(steps.step(due, day))
        day += datetime.timedelta(days=1)
    before = [days for kind, days in reminded if kind == steps.DUE]
    after = [days for kind, days in reminded if kind == steps.OVERDUE]
    assert before[-1] == 1 and before == sorted(before, reverse=True) and set(before) <= {7, 3, 1}
    assert after[:2] == [1, 6]  # the first working day after, then five working days later
    assert reminded == [(steps.DUE, d) for d in before] + [(steps.OVERDUE, d) for d in after]
    people = set(
        Notification.objects.filter(kind="feedback_deadline").values_list("recipient__username", flat=True)
    )
    assert people == {"xatay.canbo"}


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("notifications", "daily", "--date", "05/03/2026")


def test_a_refused_e_mail_is_tried_again_on_the_next_run(plan, focal_with_address, mailoutbox, monkeypatch):
    from cchc.notifications import services

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patch:
        patch.setattr(services, "send_mail", refuse)
        assert run_daily(THURSDAY)["digests"] == 0
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    assert run_daily(THURSDAY)["digests"] == 1
    assert len(mailoutbox) == 1


def test_a_broken_source_keeps_back_neither_the_others_nor_the_e_mails(
    plan, focal_with_address, mailoutbox, monkeypatch
):
    from cchc.notifications import feed, registry

    def broken(today):
        raise ValueError("a bug in one module")

    # Sorted first, so without the guard the task reminders and the digest would never be reached.
    monkeypatch.setattr(
        feed, "deadline_sources", lambda: {**registry.deadline_sources(), "aaa.broken": broken}
    )
    with pytest.raises(RuntimeError, match=r"aaa\.broken"):
        run_daily(THURSDAY)
    assert task_reminders(focal_with_address)
    assert len(mailoutbox) == 1
