"""Reporting rounds come from the national defaults (CV 581/BNV-CCHC), kept as data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.models import AuditEntry
from cchc.plans.models import ReportSchedule
from cchc.plans.services import reports

D = datetime.date


def test_the_four_rounds_of_2026_have_the_national_cut_offs_and_due_dates(rounds):
    dates = {kind: (s.period, s.data_from, s.data_to, s.due_on) for kind, s in rounds.items()}
    assert dates == {
        "quarter": ("2026-Q1", D(2025, 12, 15), D(2026, 3, 14), D(2026, 3, 20)),
        "half_year": ("2026-H1", D(2025, 12, 15), D(2026, 6, 14), D(2026, 6, 20)),
        "nine_months": ("2026-M9", D(2025, 12, 15), D(2026, 9, 14), D(2026, 9, 20)),
        "annual": ("2026", D(2025, 12, 15), D(2026, 12, 14), D(2026, 12, 20)),
    }
    assert rounds["quarter"].title == "Báo cáo công tác cải cách hành chính quý I năm 2026"


def test_the_legal_basis_is_recorded_and_marked_unverified(rounds):
    bases = {schedule.legal_basis for schedule in rounds.values()}
    assert len(bases) == 1
    basis = bases.pop()
    assert (basis.number, basis.issued_on, basis.verified) == ("581/BNV-CCHC", None, False)


def test_each_round_created_is_audited(rounds):
    entries = AuditEntry.objects.filter(action="report_schedule.create")
    assert entries.count() == 4
    entry = AuditEntry.objects.for_object(rounds["annual"]).get()
    assert entry.after["due_on"] == "2026-12-20"


def test_a_province_may_ask_its_units_earlier(plan, reform_admin):
    created = reports.create_schedules_for_year(
        actor=reform_admin, plan=plan, year=2026, kinds=["quarter", "annual"], due_day=15
    )
    assert [(s.kind, s.due_on) for s in created] == [
        ("quarter", D(2026, 3, 15)),
        ("annual", D(2026, 12, 15)),
    ]


@pytest.mark.parametrize("day", [14, 21])
def test_the_due_day_stays_between_the_cut_off_and_the_national_deadline(plan, reform_admin, day):
    with pytest.raises(ValidationError) as error:
        reports.create_schedules_for_year(actor=reform_admin, plan=plan, year=2026, due_day=day)
    assert "due_day" in error.value.message_dict
    assert not ReportSchedule.objects.exists()


def test_creating_again_leaves_existing_rounds_alone(rounds, plan, reform_admin):
    again = reports.create_schedules_for_year(actor=reform_admin, plan=plan, year=2026, due_day=15)
    assert again == []
    assert ReportSchedule.objects.get(plan=plan, period="2026-Q1").due_on == D(2026, 3, 20)


def test_a_year_outside_the_plan_is_refused(plan, reform_admin):
    with pytest.raises(ValidationError) as error:
        reports.create_schedules_for_year(actor=reform_admin, plan=plan, year=2027)
    assert "2027" in error.value.message_dict["year"][0]


def test_an_unknown_kind_is_refused(plan, reform_admin):
    with pytest.raises(ValidationError):
        reports.create_schedules_for_year(actor=reform_admin, plan=plan, year=2026, kinds=["monthly"])


def test_only_the_reform_office_of_the_issuing_unit_creates_rounds(plan, justice_focal, leader):
    for user in (justice_focal, leader):
        with pytest.raises(PermissionDenied):
            reports.create_schedules_for_year(actor=user, plan=plan, year=2026)
    assert not ReportSchedule.objects.exists()
