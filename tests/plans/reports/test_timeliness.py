"""On time, late, missing: judged on the local date the report reached the reform office (Q1 is due
20/03/2026) and on who is expected to report at all."""

import datetime

import pytest
import time_machine

from cchc.plans.reporting import LATE, MISSING, ON_TIME, PENDING, expected_units, submission_table
from cchc.plans.services import reports
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.plans.reports.helpers import at, send_in


def _table(schedule, today):
    return {row.unit.name: row.timeliness for row in submission_table(schedule, today=today)}


def test_agencies_and_communes_under_the_province_are_expected_but_not_sub_units(q1):
    names = [unit.name for unit in expected_units(q1)]
    assert sorted(names) == ["Phường Đông", "Sở Nội vụ", "Sở Tư pháp", "Xã Tây"]


def test_units_that_did_not_exist_on_the_cut_off_day_are_not_expected(q1, province):
    unit_services.create_unit(
        actor=None,
        name="Sở Mới",
        type=UnitType.AGENCY,
        code="99.SM",
        parent=province,
        kind="Sở",
        valid_from=datetime.date(2026, 3, 15),  # the day after the Q1 cut-off
    )
    assert "Sở Mới" not in [unit.name for unit in expected_units(q1)]


def test_the_local_date_of_arrival_decides(
    q1, justice, justice_focal, justice_leader, west_commune, commune_officer, commune_leader
):
    justice_report = reports.start_report(actor=justice_focal, schedule=q1, unit=justice)
    commune_report = reports.start_report(actor=commune_officer, schedule=q1, unit=west_commune)
    with time_machine.travel(at(2026, 3, 20, 23, 50)):  # 16:50 UTC, still the 20th in Việt Nam
        send_in(justice_report, focal=justice_focal, leader=justice_leader)
    with time_machine.travel(at(2026, 3, 21, 0, 10)):  # 17:10 UTC on the 20th, but the 21st here
        send_in(commune_report, focal=commune_officer, leader=commune_leader)
    table = _table(q1, datetime.date(2026, 3, 25))
    assert table["Sở Tư pháp"] == ON_TIME
    assert table["Xã Tây"] == LATE


def test_no_report_is_pending_until_the_due_date_then_missing(q1, justice, justice_focal):
    reports.start_report(actor=justice_focal, schedule=q1, unit=justice)  # a draft is not a submission
    assert set(_table(q1, datetime.date(2026, 3, 20)).values()) == {PENDING}
    after = _table(q1, datetime.date(2026, 3, 21))
    assert set(after.values()) == {MISSING}
    assert len(after) == 4


def test_a_report_submitted_but_not_approved_in_time_is_missing(q1, justice, justice_focal):
    report = reports.start_report(actor=justice_focal, schedule=q1, unit=justice)
    with time_machine.travel(at(2026, 3, 19)):
        report = reports.save_report(actor=justice_focal, report=report, narrative="Báo cáo", task_lines=[])
        reports.submit_report(actor=justice_focal, report=report)
    assert _table(q1, datetime.date(2026, 3, 21))["Sở Tư pháp"] == MISSING


def test_a_report_returned_and_sent_again_after_the_due_date_keeps_its_first_arrival(
    q1, justice, justice_focal, justice_leader, reform_admin
):
    report = reports.start_report(actor=justice_focal, schedule=q1, unit=justice)
    with time_machine.travel(at(2026, 3, 18)):
        report = send_in(report, focal=justice_focal, leader=justice_leader)
    first_arrival = report.approved_at
    with time_machine.travel(at(2026, 3, 19)):
        report = reports.return_report(actor=reform_admin, report=report, comment="Thiếu số liệu")
    with time_machine.travel(at(2026, 3, 24)):
        report = send_in(report, focal=justice_focal, leader=justice_leader, narrative="Đã bổ sung")
    assert report.approved_at == first_arrival
    assert report.submitted_at.date() == datetime.date(2026, 3, 24)
    assert _table(q1, datetime.date(2026, 3, 25))["Sở Tư pháp"] == ON_TIME


@pytest.mark.parametrize(
    ("today", "expected"), [(datetime.date(2026, 3, 20), PENDING), (datetime.date(2026, 3, 21), MISSING)]
)
def test_today_defaults_to_the_local_date(q1, today, expected):
    with time_machine.travel(
        datetime.datetime.combine(today, datetime.time(1, 0), tzinfo=at(2026, 1, 1).tzinfo)
    ):
        rows = submission_table(q1)
    assert {row.timeliness for row in rows} == {expected}
