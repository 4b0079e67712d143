"""A unit's report: written by its focal point, approved by its leader, accepted or returned by the
reform office, locked once accepted; every step refused to those who may not take it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.models import AuditEntry
from cchc.plans.models import ReportStatus, UnitReport
from cchc.plans.services import plans as plan_services
from cchc.plans.services import reports
from cchc.plans.services import tasks as task_services
from tests.plans.reports.helpers import send_in

# The services' messages are checked in their English source text; pages show them in Vietnamese.
pytestmark = pytest.mark.usefixtures("english")


def _codes(report):
    return [line["code"] for line in report.task_lines]


def test_a_report_starts_with_the_tasks_the_unit_leads(report):
    assert report.status == ReportStatus.DRAFT
    assert _codes(report) == ["T1", "T2", "T3"]
    first = report.task_lines[0]
    assert first["area"] == "Cải cách thể chế"
    assert first["deadline"] == "2026-03-10"
    assert (first["status"], first["progress"]) == ("not_started", 0)


def test_tasks_of_the_units_own_plan_come_too_but_a_cascaded_copy_only_once(plan, q1, justice, justice_focal):
    own = plan_services.cascade_plan(actor=justice_focal, parent=plan, unit=justice)
    task_services.add_task(
        actor=justice_focal,
        plan=own,
        code="R1",
        text="Nhiệm vụ riêng của Sở Tư pháp",
        lead_unit=justice,
        deadline=datetime.date(2026, 5, 1),
    )
    report = reports.start_report(actor=justice_focal, schedule=q1, unit=justice)
    assert _codes(report) == ["T1", "T2", "T3", "R1"]


def test_starting_is_refused_to_other_units_and_to_units_that_do_not_report(
    q1, justice, justice_division, commune_officer, justice_focal
):
    with pytest.raises(PermissionDenied):
        reports.start_report(actor=commune_officer, schedule=q1, unit=justice)
    with pytest.raises(ValidationError, match="not expected to report"):
        reports.start_report(actor=justice_focal, schedule=q1, unit=justice_division)
    assert not UnitReport.objects.exists()


def test_a_unit_starts_its_report_only_once(report, q1, justice, justice_focal):
    with pytest.raises(ValidationError, match="already started"):
        reports.start_report(actor=justice_focal, schedule=q1, unit=justice)


def test_the_full_way_with_a_refusal_at_every_step(
    report, justice_focal, justice_leader, reform_admin, leader
):
    lines = [{"task": report.task_lines[0]["task"], "status": "done", "progress": 100, "note": "Xong"}]
    with pytest.raises(PermissionDenied):  # the leader approves, he does not write
        reports.save_report(actor=justice_leader, report=report, narrative="…", task_lines=[])
    report = reports.save_report(
        actor=justice_focal, report=report, narrative=" Kết quả quý I ", task_lines=lines
    )
    assert report.narrative == "Kết quả quý I"
    assert (report.task_lines[0]["status"], report.task_lines[0]["note"]) == ("done", "Xong")
    assert report.task_lines[1]["status"] == "not_started"  # lines not posted keep their values

    with pytest.raises(PermissionDenied):  # a viewer of the province cannot submit
        reports.submit_report(actor=leader, report=report)
    report = reports.submit_report(actor=justice_focal, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None

    with pytest.raises(PermissionDenied):  # the focal point cannot approve its own report
        reports.approve_report(actor=justice_focal, report=report)
    report = reports.approve_report(actor=justice_leader, report=report)
    assert report.status == ReportStatus.APPROVED and report.approved_at is not None

    with pytest.raises(PermissionDenied):  # the unit's leader cannot accept
        reports.accept_report(actor=justice_leader, report=report)
    report = reports.accept_report(actor=reform_admin, report=report)
    assert report.status == ReportStatus.ACCEPTED and report.accepted_at is not None

    entries = AuditEntry.objects.for_object(report).order_by("at", "id")
    steps = [(e.action, (e.before or {}).get("status"), e.after["status"]) for e in entries]
    assert steps == [
        ("report.start", None, "draft"),
        ("report.save", "draft", "draft"),
        ("report.submit", "draft", "submitted"),
        ("report.approve", "submitted", "approved"),
        ("report.accept", "approved", "accepted"),
    ]


def test_transitions_out_of_order_are_refused(report, justice_focal, justice_leader, reform_admin):
    with pytest.raises(ValidationError, match="cannot be approved"):
        reports.approve_report(actor=justice_leader, report=report)
    with pytest.raises(ValidationError, match="cannot be accepted"):
        reports.accept_report(actor=reform_admin, report=report)
    with pytest.raises(ValidationError, match="narrative"):
        reports.submit_report(actor=justice_focal, report=report)
    report = reports.save_report(actor=justice_focal, report=report, narrative="Nội dung", task_lines=[])
    report = reports.submit_report(actor=justice_focal, report=report)
    with pytest.raises(ValidationError, match="cannot be edited"):
        reports.save_report(actor=justice_focal, report=report, narrative="Sửa", task_lines=[])


def test_returned_edited_and_sent_again(report, justice_focal, justice_leader, reform_admin):
    report = send_in(report, focal=justice_focal, leader=justice_leader)
    with pytest.raises(ValidationError) as error:
        reports.return_report(actor=reform_admin, report=report, comment="  ")
    assert "comment" in error.value.message_dict
    report = reports.return_report(actor=reform_admin, report=report, comment="Bổ sung số liệu T2")
    assert (report.status, report.review_comment) == (ReportStatus.RETURNED, "Bổ sung số liệu T2")

    t2 = report.task_lines[1]["task"]
    report = reports.save_report(
        actor=justice_focal,
        report=report,
        narrative="Đã bổ sung",
        task_lines=[{"task": t2, "status": "in_progress", "progress": "40"}],
    )
    assert report.task_lines[1]["progress"] == 40
    report = reports.submit_report(actor=justice_focal, report=report)
    report = reports.approve_report(actor=justice_leader, report=report)
    report = reports.accept_report(actor=reform_admin, report=report, comment="Đạt yêu cầu")
    assert report.status == ReportStatus.ACCEPTED
    entry = AuditEntry.objects.for_object(report).get(action="report.return")
    assert (entry.before["status"], entry.after["status"], entry.reason) == (
        "approved",
        "returned",
        "Bổ sung số liệu T2",
    )


def test_an_accepted_report_is_locked_for_everyone(report, justice_focal, justice_leader, reform_admin):
    report = reports.accept_report(
        actor=reform_admin, report=send_in(report, focal=justice_focal, leader=justice_leader)
    )
    attempts = [
        lambda: reports.save_report(actor=justice_focal, report=report, narrative="Sửa", task_lines=[]),
        lambda: reports.save_report(actor=reform_admin, report=report, narrative="Sửa", task_lines=[]),
        lambda: reports.submit_report(actor=justice_focal, report=report),
        lambda: reports.approve_report(actor=justice_leader, report=report),
        lambda: reports.return_report(actor=reform_admin, report=report, comment="Xem lại"),
        lambda: reports.accept_report(actor=reform_admin, report=report),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="locked"):
            attempt()
    report.refresh_from_db()
    assert report.narrative == "Đã hoàn thành các nhiệm vụ trọng tâm của quý."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"task": 999999}, "does not belong"),
        ({"status": "finished"}, "Unknown status"),
        ({"progress": 120}, "between 0 and 100"),
        ({"progress": "nhiều"}, "between 0 and 100"),
        ({"status": "done", "progress": 60}, "100"),
    ],
)
def test_bad_task_lines_are_refused(report, justice_focal, change, message):
    line = {"task": report.task_lines[0]["task"], **change}
    with pytest.raises(ValidationError, match=message):
        reports.save_report(actor=justice_focal, report=report, narrative="x", task_lines=[line])
    report.refresh_from_db()
    assert report.narrative == ""


def test_another_units_officer_is_refused_at_every_step(
    report, commune_officer, justice_focal, justice_leader
):
    steps = [
        lambda r: reports.save_report(actor=commune_officer, report=r, narrative="x", task_lines=[]),
        lambda r: reports.submit_report(actor=commune_officer, report=r),
        lambda r: reports.approve_report(actor=commune_officer, report=r),
        lambda r: reports.accept_report(actor=commune_officer, report=r),
        lambda r: reports.return_report(actor=commune_officer, report=r, comment="x"),
    ]
    for step in steps[:2]:
        with pytest.raises(PermissionDenied):
            step(report)
    report = reports.save_report(actor=justice_focal, report=report, narrative="Nội dung", task_lines=[])
    report = reports.submit_report(actor=justice_focal, report=report)
    with pytest.raises(PermissionDenied):
        steps[2](report)
    report = reports.approve_report(actor=justice_leader, report=report)
    for step in steps[3:]:
        with pytest.raises(PermissionDenied):
            step(report)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
