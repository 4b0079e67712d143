"""The inspection services: the whole cycle, who may do what, and refusals that leave nothing behind."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.core.models import AuditEntry
from cchc.plans.models import Finding, Inspection, InspectionPlan, ReformArea
from cchc.plans.queries import inspections as inspection_queries
from cchc.plans.services import inspections as services
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.conftest import uploaded

# The services' messages are checked in their English source text; pages show them in Vietnamese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date


def actions(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("at", "id").values_list("action", flat=True))


def state_of_everything():
    """What a refused call must leave untouched."""
    return (
        list(InspectionPlan.objects.order_by("pk").values()),
        list(Inspection.objects.order_by("pk").values()),
        list(Finding.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def test_the_whole_cycle_from_plan_to_verified_remedy(cast, media):
    admin, focal = cast["reform_admin"], cast["justice_focal"]
    plan = services.create_inspection_plan(
        actor=admin, issuing_unit=cast["province"], year=2026, title="  Kiểm tra CCHC 2026 ", number="15/KH"
    )
    assert (plan.title, plan.number, plan.year) == ("Kiểm tra CCHC 2026", "15/KH", 2026)
    inspection = services.add_inspection(
        actor=admin, plan=plan, inspected_unit=cast["justice"], kind="unannounced"
    )
    assert (inspection.kind, inspection.planned_on, inspection.done_on) == ("unannounced", None, None)
    services.record_inspection(
        actor=admin, inspection=inspection, done_on=D(2026, 3, 3), team="Đoàn 1", conclusion="Đạt"
    )
    inspection.refresh_from_db()
    assert (inspection.done_on, inspection.team, inspection.conclusion) == (D(2026, 3, 3), "Đoàn 1", "Đạt")
    area = ReformArea.objects.get(code="tthc")
    finding = services.add_finding(
        actor=admin,
        inspection=inspection,
        description="Thiếu niêm yết",
        responsible_unit=cast["justice_division"],
        remedy_required="Niêm yết đủ",
        deadline=D(2026, 4, 30),
        area=area,
    )
    assert (finding.state, finding.responsible_unit, finding.area) == (
        Finding.OPEN,
        cast["justice_division"],
        area,
    )

    # Sở Tư pháp's focal point covers its division, so it reports for it.
    evidence = uploaded("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.report_remedy(actor=focal, finding=finding, remedy_report="Đã niêm yết", evidence=evidence)
    finding.refresh_from_db()
    assert finding.state == Finding.REMEDIED
    assert finding.remedy_report == "Đã niêm yết"
    assert finding.remedied_at is not None
    assert finding.evidence.read() == b"%PDF-1.4 test"

    services.verify_remedy(actor=admin, finding=finding, accept=True)
    finding.refresh_from_db()
    assert (finding.state, finding.verified_by) == (Finding.VERIFIED, admin)
    assert finding.verified_at is not None

    assert actions(plan) == ["inspection_plan.create"]
    assert actions(inspection) == ["inspection.create", "inspection.record"]
    assert actions(finding) == ["finding.create", "finding.report_remedy", "finding.verify"]


def test_audit_entries_carry_before_and_after_and_the_unit_concerned(cast, finding):
    services.report_remedy(actor=cast["justice_focal"], finding=finding, remedy_report="Đã làm")
    entry = AuditEntry.objects.for_object(finding).get(action="finding.report_remedy")
    assert entry.actor == cast["justice_focal"]
    assert entry.unit == cast["justice"]
    assert entry.before["state"] == "open" and entry.after["state"] == "remedied"
    assert entry.before["remedy_report"] == "" and entry.after["remedy_report"] == "Đã làm"
    record = AuditEntry.objects.for_object(finding.inspection).get(action="inspection.record")
    assert record.before["done_on"] is None and record.after["done_on"] == "2026-03-03"
    assert record.unit == cast["justice"]


def test_a_rejected_remedy_reopens_the_finding_with_the_reason(cast, finding):
    services.report_remedy(actor=cast["justice_focal"], finding=finding, remedy_report="Đã làm")
    services.verify_remedy(actor=cast["reform_admin"], finding=finding, accept=False, reason="Chưa đủ hồ sơ")
    finding.refresh_from_db()
    assert (finding.state, finding.remedied_at, finding.verified_at) == (Finding.OPEN, None, None)
    entry = AuditEntry.objects.for_object(finding).get(action="finding.reopen")
    assert entry.reason == "Chưa đủ hồ sơ"
    assert (entry.before["state"], entry.after["state"]) == ("remedied", "open")
    # Reopened, it can be reported again.
    services.report_remedy(actor=cast["justice_focal"], finding=finding, remedy_report="Bổ sung")
    finding.refresh_from_db()
    assert (finding.state, finding.remedy_report) == (Finding.REMEDIED, "Bổ sung")


# Permissions


@pytest.mark.parametrize("who", ["justice_focal", "commune_officer", "leader"])
def test_only_the_reform_office_plans_inspections(cast, inspection_plan, who):
    before = state_of_everything()
    with pytest.raises(PermissionDenied):
        services.create_inspection_plan(
            actor=cast[who], issuing_unit=cast["province"], year=2026, title="Kế hoạch khác"
        )
    with pytest.raises(PermissionDenied):
        services.add_inspection(actor=cast[who], plan=inspection_plan, inspected_unit=cast["east_ward"])
    assert state_of_everything() == before


def test_a_commune_officer_cannot_record_its_own_inspection_or_add_findings(cast, commune_inspection):
    admin, officer = cast["reform_admin"], cast["commune_officer"]
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            actor=officer, inspection=commune_inspection, done_on=D(2026, 3, 5), team="X"
        )
    services.record_inspection(
        actor=admin, inspection=commune_inspection, done_on=D(2026, 3, 5), team="Đoàn 2"
    )
    before = state_of_everything()
    with pytest.raises(PermissionDenied):
        services.add_finding(
            actor=officer,
            inspection=commune_inspection,
            description="Tự ghi",
            responsible_unit=cast["west_commune"],
            remedy_required="Sửa",
            deadline=D(2026, 5, 1),
        )
    assert state_of_everything() == before


def test_the_responsible_unit_reports_but_cannot_verify(cast, finding):
    services.report_remedy(actor=cast["justice_focal"], finding=finding, remedy_report="Đã làm")
    before = state_of_everything()
    with pytest.raises(PermissionDenied):
        services.verify_remedy(actor=cast["justice_focal"], finding=finding, accept=True)
    assert state_of_everything() == before


@pytest.mark.parametrize("who", ["commune_officer", "leader"])
def test_other_units_cannot_report_a_remedy(cast, finding, who):
    before = state_of_everything()
    with pytest.raises(PermissionDenied):
        services.report_remedy(actor=cast[who], finding=finding, remedy_report="Không phải việc của tôi")
    assert state_of_everything() == before


# Validation: each refusal names the problem and changes nothing.


@pytest.fixture
def refused(cast):
    def check(call, message):
        before = state_of_everything()
        with pytest.raises(ValidationError) as error:
            call()
        assert message in " ".join(error.value.messages)
        assert state_of_everything() == before

    return check


def test_plan_needs_a_title_and_a_plausible_year(cast, refused):
    def create(**fields):
        values = {"title": "Kế hoạch", "year": 2026} | fields
        return lambda: services.create_inspection_plan(
            actor=cast["reform_admin"], issuing_unit=cast["province"], **values
        )

    refused(create(title="   "), "needs a title")
    refused(create(year=26), "not a plausible year")


def test_inspected_unit_must_be_below_the_issuer_existing_and_listed_once(cast, refused, justice_inspection):
    admin = cast["reform_admin"]
    justice_plan = services.create_inspection_plan(
        actor=admin, issuing_unit=cast["justice"], year=2026, title="Tự kiểm tra"
    )
    closed = unit_services.create_unit(
        actor=None,
        name="Xã Cũ",
        type=UnitType.COMMUNE,
        code="99009",
        parent=cast["province"],
        valid_from=D(2020, 1, 1),
        valid_to=D(2025, 6, 30),
    )
    plan = justice_inspection.plan

    def add(plan=plan, **fields):
        return lambda: services.add_inspection(actor=admin, plan=plan, **fields)

    refused(add(plan=justice_plan, inspected_unit=cast["west_commune"]), "is not under Sở Tư pháp")
    refused(add(plan=justice_plan, inspected_unit=cast["justice"]), "is not under Sở Tư pháp")
    refused(add(inspected_unit=closed), "does not exist in 2026")
    refused(add(inspected_unit=cast["justice"]), "already in this inspection plan")
    refused(add(inspected_unit=cast["east_ward"], kind="surprise"), "Unknown kind")
    refused(add(inspected_unit=cast["east_ward"], planned_on=D(2027, 1, 5)), "outside the plan's year")
    # The division of Sở Tư pháp lies below it, so Sở Tư pháp may inspect it.
    assert services.add_inspection(actor=admin, plan=justice_plan, inspected_unit=cast["justice_division"])


def test_recording_refuses_future_dates_no_team_and_dates_past_a_deadline(cast, refused, justice_inspection):
    inspection = justice_inspection
    services.add_finding(
        actor=cast["reform_admin"],
        inspection=inspection,
        description="Hạn ngắn",
        responsible_unit=cast["justice"],
        remedy_required="Sửa ngay",
        deadline=D(2026, 3, 8),
    )

    def record(**fields):
        values = {"done_on": D(2026, 3, 3), "team": "Đoàn 1"} | fields
        return lambda: services.record_inspection(actor=cast["reform_admin"], inspection=inspection, **values)

    refused(record(done_on=D(2026, 3, 11)), "cannot be in the future")
    refused(record(team="  "), "Name the inspection team")
    refused(record(done_on=D(2026, 3, 8)), "due on or before that date")
    record(done_on=D(2026, 3, 7), team="Đoàn 1 (sửa)")()
    inspection.refresh_from_db()
    assert (inspection.done_on, inspection.team) == (D(2026, 3, 7), "Đoàn 1 (sửa)")


def test_findings_need_a_carried_out_inspection_a_remedy_a_unit_below_and_a_later_deadline(
    cast, refused, justice_inspection, commune_inspection
):
    def add(inspection=justice_inspection, **fields):
        values = {
            "description": "Thiếu sót",
            "responsible_unit": cast["justice"],
            "remedy_required": "Khắc phục",
            "deadline": D(2026, 4, 30),
        } | fields
        return lambda: services.add_finding(actor=cast["reform_admin"], inspection=inspection, **values)

    refused(
        add(inspection=commune_inspection, responsible_unit=cast["west_commune"]), "Record the inspection"
    )
    refused(add(description=" "), "Describe what was found")
    refused(add(remedy_required=""), "must be done to remedy")
    refused(add(responsible_unit=cast["province"]), "is not under")
    refused(add(deadline=D(2026, 3, 3)), "must come after the inspection")
    assert add(deadline=D(2026, 3, 4))().deadline == D(2026, 3, 4)


def test_remedies_follow_the_states(cast, refused, finding):
    focal, admin = cast["justice_focal"], cast["reform_admin"]
    refused(lambda: services.verify_remedy(actor=admin, finding=finding, accept=True), "has been reported")
    refused(
        lambda: services.report_remedy(actor=focal, finding=finding, remedy_report=" "), "Say what was done"
    )
    services.report_remedy(actor=focal, finding=finding, remedy_report="Đã làm")
    refused(
        lambda: services.report_remedy(actor=focal, finding=finding, remedy_report="Lần nữa"), "still to be"
    )
    refused(lambda: services.verify_remedy(actor=admin, finding=finding, accept=False), "Say why")
    services.verify_remedy(actor=admin, finding=finding, accept=True)
    refused(
        lambda: services.verify_remedy(actor=admin, finding=finding, accept=False, reason="x"), "reported"
    )


# Overdue


def test_overdue_means_not_verified_and_past_the_deadline(cast, justice_inspection):
    admin, focal = cast["reform_admin"], cast["justice_focal"]

    def add(deadline, description):
        return services.add_finding(
            actor=admin,
            inspection=justice_inspection,
            description=description,
            responsible_unit=cast["justice"],
            remedy_required="Sửa",
            deadline=deadline,
        )

    open_late = add(D(2026, 3, 9), "mở, quá hạn")
    due_today = add(D(2026, 3, 10), "mở, hạn hôm nay")
    reported_late = add(D(2026, 3, 5), "đã báo cáo, quá hạn")
    verified_late = add(D(2026, 3, 6), "đã xác nhận")
    for finding in (reported_late, verified_late):
        services.report_remedy(actor=focal, finding=finding, remedy_report="Đã làm")
    services.verify_remedy(actor=admin, finding=verified_late, accept=True)

    assert set(inspection_queries.overdue()) == {open_late, reported_late}
    assert set(inspection_queries.overdue(today=D(2026, 3, 11))) == {open_late, reported_late, due_today}
    assert list(inspection_queries.overdue(Finding.objects.filter(state=Finding.REMEDIED))) == [reported_late]


# Visibility


def test_visibility_follows_the_issuing_inspected_and_responsible_units(cast, finding, commune_inspection):
    other_finding = services.add_finding(
        actor=cast["reform_admin"],
        inspection=finding.inspection,
        description="Việc của xã",
        responsible_unit=cast["west_commune"],
        remedy_required="Sửa",
        deadline=D(2026, 5, 1),
    )
    focal, officer, leader = cast["justice_focal"], cast["commune_officer"], cast["leader"]
    plan = finding.inspection.plan
    assert list(InspectionPlan.objects.for_user(leader)) == [plan]
    assert list(InspectionPlan.objects.for_user(focal)) == []
    assert list(Inspection.objects.for_user(focal)) == [finding.inspection]
    assert list(Inspection.objects.for_user(officer)) == [commune_inspection]
    assert set(Finding.objects.for_user(leader)) == {finding, other_finding}
    assert list(Finding.objects.for_user(focal)) == [finding]
    # Responsible for a finding of an inspection it cannot open: it still sees the finding.
    assert list(Finding.objects.for_user(officer)) == [other_finding]
