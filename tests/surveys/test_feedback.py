"""Citizen feedback (PAKN) services: deadlines in working days, rights, each step and its timing, the
citizen's rating and reopening, the audit trail, the QĐ 766 5.2/5.3 metrics and the import."""

import datetime
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cchc.core.metrics import Ratio
from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.onestop.queries.index import index_report
from cchc.surveys import metrics
from cchc.surveys.models import Feedback, FeedbackDeadline, FeedbackStatus, FeedbackStep
from cchc.surveys.services import feedback as services
from cchc.surveys.services.common import ImportRefused
from cchc.surveys.services.feedback_import import import_feedback
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from cchc.workdays.calendar import add_working_days
from tests.surveys.conftest import moment

pytestmark = pytest.mark.usefixtures("english")

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = Period.parse("2026-03")


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def receive(cast, unit="west_commune", *, consent=False, title="Chậm trả kết quả hộ tịch", actor=None):
    return services.receive_feedback(
        actor=actor or cast["reform_admin"],
        organiser=cast["province"],
        unit=cast[unit] if unit else None,
        kind="procedure",
        title=title,
        content="Hồ sơ khai sinh nộp đã lâu chưa có kết quả.",
        consent_to_publish=consent,
        channel="staff",
    )


def fresh(feedback: Feedback) -> Feedback:
    return Feedback.objects.get(pk=feedback.pk)


def entries(feedback: Feedback):
    return list(AuditEntry.objects.for_object(feedback).order_by("at", "id"))


# -- deadlines ------------------------------------------------------------------------------------


def test_deadlines_are_counted_in_working_days_from_the_rules(cast, at):
    at("2026-01-30 10:00")  # a Friday
    feedback = receive(cast)
    assert feedback.refuse_due == day("2026-02-03")  # Monday, Tuesday
    assert feedback.info_request_due == day("2026-02-06")
    # 15 working days: two weeks, then the Tết week (16–20/02/2026) does not count.
    assert feedback.handle_due == day("2026-02-27")
    start = day("2026-01-30")
    assert feedback.refuse_due == add_working_days(start, 2)
    assert feedback.info_request_due == add_working_days(start, 5)
    assert feedback.handle_due == add_working_days(start, 15)
    assert feedback.publish_due is None  # set when answered, and only with the citizen's consent
    assert feedback.status == FeedbackStatus.ROUTED and len(feedback.receipt_code) == 12


def test_deadlines_skip_the_weekend_and_tet(cast, at):
    at("2026-02-13 16:30")  # the Friday before Tết: 14–22/02 are off
    feedback = receive(cast)
    assert feedback.refuse_due == day("2026-02-24")
    assert feedback.info_request_due == day("2026-02-27")
    assert feedback.handle_due == day("2026-03-13")
    at("2026-03-07 09:00")  # received on a Saturday: counting starts on Monday
    saturday = receive(cast)
    assert saturday.refuse_due == day("2026-03-10")
    assert saturday.refuse_due == add_working_days(day("2026-03-07"), 2)


def test_a_changed_rule_applies_to_new_feedback_only(cast, at):
    at("2026-03-02 09:00")
    before = receive(cast)
    assert before.handle_due == day("2026-03-23")
    FeedbackDeadline.objects.filter(step=FeedbackStep.HANDLE).update(working_days=10)
    after = receive(cast)
    assert after.handle_due == add_working_days(day("2026-03-02"), 10) == day("2026-03-16")
    assert fresh(before).handle_due == day("2026-03-23")  # stored when received, not recomputed
    # A rule valid from a later day does not touch what was received before it.
    FeedbackDeadline.objects.create(step=FeedbackStep.REFUSE, working_days=3, valid_from=day("2026-03-03"))
    assert receive(cast).refuse_due == day("2026-03-04")  # still 2 on 02/03
    at("2026-03-03 09:00")
    assert receive(cast).refuse_due == day("2026-03-06")  # 3 from 03/03 on


def test_without_a_rule_nothing_is_received(cast, at):
    at("2026-03-02 09:00")
    FeedbackDeadline.objects.filter(step=FeedbackStep.PUBLISH).delete()
    assert receive(cast).publish_due is None  # the publication rule is only read when answering
    FeedbackDeadline.objects.filter(step=FeedbackStep.HANDLE).delete()
    with pytest.raises(ValidationError, match="No deadline is set"):
        receive(cast)
    assert Feedback.objects.count() == 1


# -- rights ---------------------------------------------------------------------------------------


def test_only_the_reform_office_routes_and_within_its_province(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast, unit=None)
    assert feedback.status == FeedbackStatus.RECEIVED and feedback.unit is None
    for outsider in ("justice_focal", "commune_officer", "leader"):
        with pytest.raises(PermissionDenied):
            services.route_feedback(actor=cast[outsider], feedback=feedback, unit=cast["justice"])
    other_province = unit_services.create_unit(
        actor=None, name="Tỉnh Bên Cạnh", type=UnitType.PROVINCE, code="98", kind="Tỉnh"
    )
    with pytest.raises(ValidationError, match="is not under"):
        services.route_feedback(actor=cast["reform_admin"], feedback=feedback, unit=other_province)
    assert fresh(feedback).unit is None
    routed = services.route_feedback(actor=cast["reform_admin"], feedback=feedback, unit=cast["justice"])
    assert routed.status == FeedbackStatus.ROUTED and routed.unit == cast["justice"]
    # It may be sent on to another unit while nobody has acted on it.
    rerouted = services.route_feedback(actor=cast["reform_admin"], feedback=routed, unit=cast["west_commune"])
    assert rerouted.unit == cast["west_commune"]


def test_staff_enter_feedback_only_for_their_own_unit(cast, at):
    at("2026-03-02 09:00")
    with pytest.raises(PermissionDenied):
        receive(cast, unit="justice", actor=cast["commune_officer"])
    with pytest.raises(PermissionDenied):  # not routed: only who may enter for the province itself
        receive(cast, unit=None, actor=cast["commune_officer"])
    own = receive(cast, unit="west_commune", actor=cast["commune_officer"])
    assert own.created_by == cast["commune_officer"] and own.channel == "staff"
    assert Feedback.objects.count() == 1


def test_the_unit_of_another_feedback_cannot_act(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast, unit="justice", consent=True)
    before = entries(feedback)
    officer = cast["commune_officer"]
    attempts = [
        lambda: services.refuse_feedback(actor=officer, feedback=feedback, reason="Không thuộc thẩm quyền"),
        lambda: services.request_information(actor=officer, feedback=feedback, text="Số hồ sơ?"),
        lambda: services.answer_feedback(actor=officer, feedback=feedback, text="Đã xử lý"),
        lambda: services.close_feedback(actor=officer, feedback=feedback),
        lambda: services.route_feedback(actor=officer, feedback=feedback, unit=cast["west_commune"]),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    services.answer_feedback(actor=cast["justice_focal"], feedback=feedback, text="Đã trả kết quả.")
    answered = entries(feedback)
    with pytest.raises(PermissionDenied):
        services.publish_answer(actor=officer, feedback=feedback)
    with pytest.raises(PermissionDenied):  # the unit answers and publishes; only the office closes
        services.close_feedback(actor=cast["justice_focal"], feedback=feedback)
    unchanged = fresh(feedback)
    assert unchanged.status == FeedbackStatus.ANSWERED and unchanged.published_at is None
    assert len(answered) == len(before) + 1 and entries(feedback) == answered


# -- the steps and their timing -------------------------------------------------------------------


def test_a_refusal_after_two_working_days_is_late(cast, at):
    at("2026-01-30 10:00")
    on_time, late = receive(cast), receive(cast)
    at("2026-02-03 16:00")
    services.refuse_feedback(
        actor=cast["commune_officer"], feedback=on_time, reason="Nặc danh, không rõ nội dung"
    )
    at("2026-02-04 08:00")
    with pytest.raises(ValidationError, match="reason is required"):
        services.refuse_feedback(actor=cast["commune_officer"], feedback=late, reason="  ")
    refused = services.refuse_feedback(actor=cast["commune_officer"], feedback=late, reason="Trùng lặp")
    assert refused.status == FeedbackStatus.REFUSED and refused.refusal_reason == "Trùng lặp"
    assert refused.late_steps == ["refuse"]
    assert fresh(on_time).late_steps == []
    with pytest.raises(ValidationError, match="cannot be done while"):
        services.answer_feedback(actor=cast["reform_admin"], feedback=refused, text="Trả lời")


def test_information_is_asked_once_and_its_arrival_restarts_the_fifteen_days(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast)
    at("2026-03-09 09:00")  # the fifth working day was 09/03: still on time
    asked = services.request_information(actor=cast["commune_officer"], feedback=feedback, text="Số hồ sơ?")
    assert asked.status == FeedbackStatus.INFO_REQUESTED and asked.late_steps == []
    with pytest.raises(ValidationError, match="cannot be done while"):
        services.answer_feedback(actor=cast["commune_officer"], feedback=asked, text="Trả lời")
    at("2026-04-01 10:00")
    with pytest.raises(ValidationError, match="cannot arrive before"):
        services.information_received(
            actor=cast["commune_officer"], feedback=asked, received_at=moment("2026-03-08 10:00")
        )
    back = services.information_received(actor=cast["commune_officer"], feedback=asked)
    assert back.status == FeedbackStatus.ROUTED
    assert back.handle_due == add_working_days(day("2026-04-01"), 15) == day("2026-04-22")
    with pytest.raises(ValidationError, match="already been asked for once"):
        services.request_information(actor=cast["commune_officer"], feedback=back, text="Thêm nữa?")
    at("2026-04-22 16:00")  # within the new deadline, though long after the first one
    answered = services.answer_feedback(actor=cast["commune_officer"], feedback=back, text="Đã có kết quả.")
    assert answered.late_steps == []


def test_asking_for_information_after_five_working_days_is_late(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast)
    at("2026-03-10 09:00")
    asked = services.request_information(actor=cast["commune_officer"], feedback=feedback, text="Số hồ sơ?")
    assert asked.late_steps == ["more_info"]


def test_an_answer_after_fifteen_working_days_is_late(cast, at):
    at("2026-03-02 09:00")
    on_time, late = receive(cast), receive(cast)
    at("2026-03-23 17:00")  # the fifteenth working day
    assert (
        services.answer_feedback(
            actor=cast["commune_officer"], feedback=on_time, text="Đã giải quyết"
        ).late_steps
        == []
    )
    at("2026-03-24 08:00")
    answered = services.answer_feedback(actor=cast["reform_admin"], feedback=late, text="Đã giải quyết")
    assert answered.status == FeedbackStatus.ANSWERED and answered.late_steps == ["handle"]
    assert answered.answered_at == moment("2026-03-24 08:00")


def test_an_answer_needs_a_responsible_unit(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast, unit=None)
    with pytest.raises(ValidationError, match="cannot be done while"):  # still "received"
        services.answer_feedback(actor=cast["reform_admin"], feedback=feedback, text="Trả lời")


def test_publication_needs_consent_and_is_late_after_two_working_days(cast, at):
    at("2026-03-02 09:00")
    private, public, late = receive(cast), receive(cast, consent=True), receive(cast, consent=True)
    at("2026-03-05 10:00")  # a Thursday
    for feedback in (private, public, late):
        services.answer_feedback(actor=cast["commune_officer"], feedback=feedback, text="Đã giải quyết")
    assert fresh(private).publish_due is None
    assert fresh(public).publish_due == day("2026-03-09") == add_working_days(day("2026-03-05"), 2)
    with pytest.raises(ValidationError, match="did not agree"):
        services.publish_answer(actor=cast["commune_officer"], feedback=private)
    assert fresh(private).published_at is None
    at("2026-03-09 17:00")
    assert services.publish_answer(actor=cast["commune_officer"], feedback=public).late_steps == []
    with pytest.raises(ValidationError, match="already published"):
        services.publish_answer(actor=cast["commune_officer"], feedback=public)
    at("2026-03-10 08:00")
    closed = services.close_feedback(actor=cast["reform_admin"], feedback=late)
    published = services.publish_answer(actor=cast["reform_admin"], feedback=closed)
    assert published.late_steps == ["publish"] and published.status == FeedbackStatus.CLOSED


def test_the_citizen_rates_and_reopens_with_the_receipt_code(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast)
    with pytest.raises(ValidationError, match="cannot be done while"):
        services.rate_answer(receipt_code=feedback.receipt_code, rating="satisfied")
    with pytest.raises(ValidationError, match="Only an answered or refused"):
        services.reopen_feedback(receipt_code=feedback.receipt_code, reason="Chưa trả lời")
    at("2026-03-05 10:00")
    services.answer_feedback(actor=cast["commune_officer"], feedback=feedback, text="Đã giải quyết")
    rated = services.rate_answer(receipt_code=f" {feedback.receipt_code.lower()} ", rating="unsatisfied")
    assert rated.rating == "unsatisfied" and rated.rated_at == moment("2026-03-05 10:00")
    with pytest.raises(ValidationError, match="Choose satisfied"):
        services.rate_answer(receipt_code=feedback.receipt_code, rating="so-so")
    with pytest.raises(ValidationError, match="No feedback has this receipt code"):
        services.rate_answer(receipt_code="PA0000000000", rating="satisfied")
    at("2026-03-06 15:00")
    reopened = services.reopen_feedback(receipt_code=feedback.receipt_code, reason="Vẫn chưa nhận được giấy")
    assert reopened.reopened_count == 1 and reopened.status == FeedbackStatus.ROUTED
    assert reopened.reopen_reason == "Vẫn chưa nhận được giấy" and reopened.answered_at is None
    assert reopened.handle_due == add_working_days(day("2026-03-06"), 15) == day("2026-03-27")
    at("2026-03-10 10:00")
    services.answer_feedback(actor=cast["commune_officer"], feedback=reopened, text="Đã trả giấy khai sinh")
    again = services.reopen_feedback(receipt_code=feedback.receipt_code, reason="Sai tên")
    assert again.reopened_count == 2 and again.handle_due == add_working_days(day("2026-03-10"), 15)


def test_every_step_writes_an_audit_entry_with_before_and_after(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast, unit=None, consent=True)
    admin, officer = cast["reform_admin"], cast["commune_officer"]
    at("2026-03-03 09:00")
    services.route_feedback(actor=admin, feedback=feedback, unit=cast["west_commune"])
    services.request_information(actor=officer, feedback=feedback, text="Số hồ sơ?")
    at("2026-03-04 09:00")
    services.information_received(actor=officer, feedback=feedback)
    services.answer_feedback(actor=officer, feedback=feedback, text="Đã giải quyết")
    services.publish_answer(actor=officer, feedback=feedback)
    services.close_feedback(actor=admin, feedback=feedback)
    services.rate_answer(receipt_code=feedback.receipt_code, rating="satisfied")
    services.reopen_feedback(receipt_code=feedback.receipt_code, reason="Chưa rõ")
    services.refuse_feedback(actor=officer, feedback=feedback, reason="Đã trả lời hai lần")
    trail = entries(feedback)
    assert [entry.action for entry in trail] == [
        "feedback.receive",
        "feedback.route",
        "feedback.request_information",
        "feedback.information_received",
        "feedback.answer",
        "feedback.publish",
        "feedback.close",
        "feedback.rate",
        "feedback.reopen",
        "feedback.refuse",
    ]
    assert trail[0].before is None and trail[0].after["status"] == "received"
    for previous, entry in itertools.pairwise(trail):
        assert entry.before == previous.after, entry.action  # nothing changed outside the trail
        assert entry.before != entry.after, entry.action
    route = trail[1]
    assert route.before["unit"] is None and route.after["unit"] == cast["west_commune"].pk
    assert route.actor == admin and route.unit == cast["west_commune"]
    assert trail[0].unit == cast["province"]  # not yet routed: the receiving authority's entry
    assert trail[7].actor is None and trail[7].after["rating"] == "satisfied"  # the citizen
    assert trail[8].reason == "Chưa rõ" and trail[9].reason == "Đã trả lời hai lần"
    assert trail[9].after["status"] == "refused"


# -- the metrics of QĐ 766, 5.2 and 5.3 -----------------------------------------------------------


@pytest.fixture
def march(cast, at):
    """A hand-made month of feedback, looked at on 01/04/2026 (answers due 23/03 for 02/03).

    A on time, rated satisfied; B answered late; C received 30/03, not yet routed, within its deadline;
    D at Sở Tư pháp, never answered, overdue; E on time but rated not satisfied; F answered on time,
    reopened, answered again on time; H received in February (another period), answered late.
    """
    officer, admin = cast["commune_officer"], cast["reform_admin"]
    at("2026-02-27 09:00")
    h = receive(cast, title="H")
    at("2026-03-02 09:00")
    a, b, e, f = (receive(cast, title=name) for name in "ABEF")
    d = receive(cast, unit="justice", title="D")
    at("2026-03-05 10:00")
    for feedback in (a, e, f):
        services.answer_feedback(actor=officer, feedback=feedback, text="Đã giải quyết")
    services.rate_answer(receipt_code=a.receipt_code, rating="satisfied")
    services.rate_answer(receipt_code=e.receipt_code, rating="unsatisfied")
    at("2026-03-09 10:00")
    services.reopen_feedback(receipt_code=f.receipt_code, reason="Chưa đúng")
    at("2026-03-12 10:00")
    services.answer_feedback(actor=officer, feedback=f, text="Đã giải quyết lại")
    at("2026-03-25 10:00")
    services.answer_feedback(actor=admin, feedback=b, text="Đã giải quyết")
    services.answer_feedback(actor=admin, feedback=h, text="Đã giải quyết")
    at("2026-03-30 09:00")
    c = receive(cast, unit=None, title="C")
    at("2026-04-01 09:00")
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "H": h}


def test_each_feedback_is_judged_on_time_or_not_yet(march):
    today = day("2026-04-01")
    verdicts = {name: metrics.handled_on_time(fresh(item), today) for name, item in march.items()}
    assert verdicts == {"A": True, "B": False, "C": None, "D": False, "E": True, "F": True, "H": False}


def test_feedback_on_time_and_satisfied_for_a_period(cast, march):
    on_time = metrics.feedback_on_time(cast["province"], MARCH)
    satisfied = metrics.feedback_satisfied(cast["province"], MARCH)
    # On time: A, E, F of A, B, D, E, F (C is still within its deadline, H was received in February).
    assert on_time == Ratio(Decimal(3), Decimal(5))
    # Satisfied: 6 received (A–F) less B late, D overdue, E not satisfied, F reopened.
    assert satisfied == Ratio(Decimal(2), Decimal(6))
    # Xã Tây: A, B, E, F only (D is Sở Tư pháp's, C is not routed yet).
    assert metrics.feedback_on_time(cast["west_commune"], MARCH) == Ratio(Decimal(3), Decimal(4))
    assert metrics.feedback_satisfied(cast["west_commune"], MARCH) == Ratio(Decimal(1), Decimal(4))
    assert metrics.feedback_on_time(cast["justice"], MARCH) == Ratio(Decimal(0), Decimal(1))
    assert metrics.feedback_on_time(cast["east_ward"], MARCH) is None  # no feedback: no data, not 0
    assert metrics.feedback_on_time(cast["west_commune"], Period.parse("2026-02")) == Ratio(
        Decimal(0), Decimal(1)
    )


def test_the_service_index_shows_the_feedback_indicators(cast, march):
    report = index_report(cast["province"], MARCH)
    rows = {row["code"]: row for group in report["groups"] for row in group["indicators"]}
    assert rows["5.2"]["source"] == "metric:surveys.feedback_on_time"
    assert rows["5.2"].items() >= {"numerator": 3, "denominator": 5, "rate": 60.0, "score": 3.6}.items()
    assert rows["5.3"]["source"] == "metric:surveys.feedback_satisfied"
    assert rows["5.3"].items() >= {"numerator": 2, "denominator": 6, "rate": 33.33, "score": 2.0}.items()
    commune = index_report(cast["west_commune"], MARCH)
    commune_rows = {row["code"]: row for group in commune["groups"] for row in group["indicators"]}
    assert commune_rows["5.2"]["rate"] == 75.0 and commune_rows["5.3"]["rate"] == 25.0


# -- import ---------------------------------------------------------------------------------------

HEADER = "code,received_at,kind,title,content,unit_code,consent_to_publish\n"
GOOD = (
    "CG-001,02/03/2026 08:30,tthc,Chậm trả kết quả,Nộp hồ sơ đã 20 ngày,99002,có\n"
    "CG-002,2026-03-03,khác,Thái độ phục vụ,Nhân viên không hướng dẫn,,\n"
)


def _import(cast, text: str, actor="reform_admin"):
    return import_feedback(
        actor=cast[actor], organiser=cast["province"], content=text.encode(), filename="pakn.csv"
    )


def test_import_is_all_or_nothing(cast, at):
    at("2026-03-10 09:00")
    bad = (
        HEADER
        + GOOD
        + "CG-003,03/03/2026,khiếu nại,Tiêu đề,Nội dung,,\n"
        + "CG-004,31/02/2026,tthc,Tiêu đề,Nội dung,99999,\n"
        + "CG-001,03/03/2026,tthc,Lặp lại,Nội dung,,\n"
        + "CG-005,01/04/2026 08:00,tthc,Ngày tương lai,Nội dung,,\n"
    )
    with pytest.raises(ImportRefused) as refused:
        _import(cast, bad)
    problems = {(row, column) for row, column, _message in refused.value.rows}
    assert {(4, "kind"), (5, "unit_code"), (5, "received_at"), (6, "code")} <= problems
    assert Feedback.objects.count() == 0 and not AuditEntry.objects.filter(action="feedback.receive").exists()
    # Errors found only while saving (a date in the future) also leave nothing behind.
    with pytest.raises(ImportRefused) as late:
        _import(cast, HEADER + GOOD + "CG-005,01/04/2026 08:00,tthc,Ngày tương lai,Nội dung,,\n")
    assert [row for row, _column, _message in late.value.rows] == [4]
    assert Feedback.objects.count() == 0
    with pytest.raises(ImportRefused) as missing:
        _import(cast, "code,title\nX,Y\n")
    assert {column for _row, column, _message in missing.value.rows} == {"received_at", "kind", "content"}


def test_import_is_idempotent_by_code(cast, at):
    at("2026-03-10 09:00")
    assert _import(cast, HEADER + GOOD) == {"created": 2, "unchanged": 0}
    first = Feedback.objects.get(external_code="CG-001")
    assert first.unit == cast["west_commune"] and first.status == FeedbackStatus.ROUTED
    assert first.consent_to_publish and first.channel == "import" and first.kind == "procedure"
    assert first.received_at == moment("2026-03-02 08:30")
    assert first.handle_due == add_working_days(day("2026-03-02"), 15)
    second = Feedback.objects.get(external_code="CG-002")
    assert second.unit is None and second.status == FeedbackStatus.RECEIVED and second.kind == "other"
    assert timezone.localtime(second.received_at).date() == day("2026-03-03")
    assert _import(cast, HEADER + GOOD) == {"created": 0, "unchanged": 2}
    more = HEADER + GOOD + "CG-003,04/03/2026 14:00,official,Cán bộ gây khó,Nội dung,99.STP,\n"
    assert _import(cast, more) == {"created": 1, "unchanged": 2}
    assert Feedback.objects.count() == 3
    assert Feedback.objects.get(external_code="CG-003").unit == cast["justice"]


def test_only_the_reform_office_imports(cast, at):
    at("2026-03-10 09:00")
    for outsider in ("commune_officer", "leader"):
        with pytest.raises(PermissionDenied):
            _import(cast, HEADER + GOOD, actor=outsider)
    assert Feedback.objects.count() == 0


def test_reopening_clears_the_old_rating_and_allows_a_new_request_for_information(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast)
    services.request_information(actor=cast["commune_officer"], feedback=feedback, text="Số hồ sơ?")
    services.information_received(actor=cast["commune_officer"], feedback=feedback)
    services.answer_feedback(actor=cast["commune_officer"], feedback=feedback, text="Đã giải quyết")
    services.rate_answer(receipt_code=feedback.receipt_code, rating="unsatisfied")
    reopened = services.reopen_feedback(receipt_code=feedback.receipt_code, reason="Chưa đúng")
    assert reopened.rating == "" and reopened.rated_at is None
    services.request_information(actor=cast["commune_officer"], feedback=reopened, text="Bản chụp giấy hẹn?")
    assert fresh(feedback).status == FeedbackStatus.INFO_REQUESTED
    assert any(entry.before.get("rating") == "unsatisfied" for entry in entries(feedback) if entry.before)


def test_waiting_for_the_citizen_is_not_judged_and_information_cannot_come_from_the_future(cast, at):
    at("2026-03-02 09:00")
    feedback = receive(cast)
    services.request_information(actor=cast["commune_officer"], feedback=feedback, text="Số hồ sơ?")
    at("2026-04-30 09:00")  # long after the first 15 working days
    assert metrics.handled_on_time(fresh(feedback), day("2026-04-30")) is None
    with pytest.raises(ValidationError):
        services.information_received(
            actor=cast["commune_officer"], feedback=feedback, received_at=moment("2026-05-02 09:00")
        )
    assert fresh(feedback).status == FeedbackStatus.INFO_REQUESTED


def test_feedback_is_not_routed_to_a_unit_that_no_longer_exists(cast, at):
    at("2026-03-02 09:00")
    gone = unit_services.create_unit(
        actor=None,
        name="Xã Cũ",
        type=UnitType.COMMUNE,
        code="99009",
        parent=cast["province"],
        kind="Xã",
        valid_from=datetime.date(2025, 7, 1),
        valid_to=datetime.date(2026, 1, 31),
    )
    feedback = receive(cast, unit=None)
    with pytest.raises(ValidationError):
        services.route_feedback(actor=cast["reform_admin"], feedback=feedback, unit=gone)
    assert fresh(feedback).unit is None
