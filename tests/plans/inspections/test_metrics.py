"""Coverage and "% of findings remedied", with exact numbers on a small cast.

Under the province: three agencies (Sở Nội vụ, Sở Tư pháp, Sở Xây dựng), two communes (Phường Đông,
Xã Tây) and a division (Phòng Hành chính tư pháp), which no coverage counts.
"""

import datetime
from decimal import Decimal

import pytest

from cchc.core import metrics
from cchc.core.metrics import Ratio
from cchc.core.periods import Period
from cchc.plans import metrics as plans_metrics
from cchc.plans.services import inspections as services
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period.parse("2026")


@pytest.fixture
def construction(cast):
    return unit_services.create_unit(
        actor=None,
        name="Sở Xây dựng",
        type=UnitType.AGENCY,
        code="99.SXD",
        parent=cast["province"],
        valid_from=D(2025, 7, 1),
    )


@pytest.fixture
def inspect(cast, inspection_plan):
    def carry_out(unit, done_on=None, plan=inspection_plan):
        inspection = services.add_inspection(actor=cast["reform_admin"], plan=plan, inspected_unit=unit)
        if done_on:
            services.record_inspection(
                actor=cast["reform_admin"], inspection=inspection, done_on=done_on, team="Đoàn"
            )
        return inspection

    return carry_out


def value(key, unit, period="2026"):
    return metrics.get(key).compute(unit, Period.parse(period))


def test_the_metrics_are_registered_under_their_keys():
    registered = {metric.key: metric for metric in metrics.available()}
    assert registered["inspections.coverage"].compute_many is plans_metrics.coverage_all
    assert registered["inspections.coverage_agencies"].compute_many is plans_metrics.coverage_agencies
    assert registered["inspections.coverage_communes"].compute_many is plans_metrics.coverage_communes
    assert registered["inspections.findings_remedied"].compute_many is plans_metrics.findings_remedied
    assert {registered[key].unit for key in registered if key.startswith("inspections.")} == {"%"}


def test_two_of_three_agencies_inspected(cast, construction, inspect):
    inspect(cast["justice"], D(2026, 3, 3))
    inspect(cast["home_affairs"], D(2026, 2, 10))
    inspect(construction)  # listed, not carried out yet
    inspect(cast["justice_division"], D(2026, 3, 1))  # a division: not an agency
    ratio = value("inspections.coverage_agencies", cast["province"])
    assert ratio == Ratio(Decimal(2), Decimal(3))
    assert round(ratio.value, 2) == Decimal("66.67")
    assert value("inspections.coverage_communes", cast["province"]) == Ratio(Decimal(0), Decimal(2))
    assert value("inspections.coverage", cast["province"]) == Ratio(Decimal(2), Decimal(5))


def test_nobody_inspected_is_zero_but_no_units_is_no_data(cast, construction):
    assert value("inspections.coverage_agencies", cast["province"]) == Ratio(Decimal(0), Decimal(3))
    # Sở Tư pháp has no commune under it: there is nothing to measure.
    assert value("inspections.coverage_communes", cast["justice"]) is None
    assert value("inspections.findings_remedied", cast["province"]) is None


def test_only_inspections_carried_out_within_the_period_count(cast, inspect, inspection_plan):
    inspect(cast["east_ward"], D(2026, 3, 3))
    old_plan = services.create_inspection_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], year=2025, title="2025"
    )
    inspect(cast["west_commune"], D(2025, 12, 31), plan=old_plan)
    assert value("inspections.coverage_communes", cast["province"]) == Ratio(Decimal(1), Decimal(2))
    assert value("inspections.coverage_communes", cast["province"], "2026-Q2") == Ratio(
        Decimal(0), Decimal(2)
    )
    assert value("inspections.coverage_communes", cast["province"], "2025-H2") == Ratio(
        Decimal(1), Decimal(2)
    )


def test_units_not_existing_at_the_period_end_are_left_out(cast, inspect):
    closed = unit_services.create_unit(
        actor=None,
        name="Xã Giải Thể",
        type=UnitType.COMMUNE,
        code="99003",
        parent=cast["province"],
        valid_from=D(2025, 7, 1),
        valid_to=D(2026, 5, 31),
    )
    inspect(closed, D(2026, 3, 3))
    assert value("inspections.coverage_communes", cast["province"], "2026-Q1") == Ratio(
        Decimal(1), Decimal(3)
    )
    assert value("inspections.coverage_communes", cast["province"]) == Ratio(Decimal(0), Decimal(2))


def test_coverage_of_a_subtree_counts_the_unit_itself(cast, inspect):
    inspect(cast["justice"], D(2026, 3, 3))
    assert value("inspections.coverage_agencies", cast["justice"]) == Ratio(Decimal(1), Decimal(1))
    assert value("inspections.coverage_agencies", cast["home_affairs"]) == Ratio(Decimal(0), Decimal(1))


def test_coverage_restricted_to_one_plan(cast, inspect, inspection_plan):
    other = services.create_inspection_plan(
        actor=cast["reform_admin"], issuing_unit=cast["province"], year=2026, title="Kiểm tra đột xuất"
    )
    inspect(cast["justice"], D(2026, 3, 3))
    inspect(cast["home_affairs"], D(2026, 3, 4), plan=other)
    agencies = [UnitType.AGENCY]
    assert plans_metrics.coverage(cast["province"], YEAR, agencies) == Ratio(Decimal(2), Decimal(2))
    assert plans_metrics.coverage(cast["province"], YEAR, agencies, plan=other) == Ratio(
        Decimal(1), Decimal(2)
    )


def test_findings_remedied_counts_findings_due_by_the_period_end_that_are_verified(
    cast, inspect, justice_inspection
):
    admin, focal = cast["reform_admin"], cast["justice_focal"]
    commune = inspect(cast["west_commune"], D(2026, 3, 2))

    def finding(inspection, unit, deadline):
        return services.add_finding(
            actor=admin,
            inspection=inspection,
            description="Thiếu sót",
            responsible_unit=unit,
            remedy_required="Khắc phục",
            deadline=deadline,
        )

    verified = finding(justice_inspection, cast["justice_division"], D(2026, 3, 31))
    reported = finding(justice_inspection, cast["justice"], D(2026, 6, 30))
    finding(justice_inspection, cast["justice"], D(2026, 6, 15))  # still open
    finding(justice_inspection, cast["justice"], D(2026, 8, 1))  # due after H1
    finding(commune, cast["west_commune"], D(2026, 4, 15))  # another unit, open
    for item in (verified, reported):
        services.report_remedy(actor=focal, finding=item, remedy_report="Đã làm")
    services.verify_remedy(actor=admin, finding=verified, accept=True)

    assert value("inspections.findings_remedied", cast["province"], "2026-H1") == Ratio(
        Decimal(1), Decimal(4)
    )
    assert value("inspections.findings_remedied", cast["justice"], "2026-H1") == Ratio(Decimal(1), Decimal(3))
    # A later period still counts what fell due earlier.
    assert value("inspections.findings_remedied", cast["justice"], "2026-Q4") == Ratio(Decimal(1), Decimal(4))
    assert value("inspections.findings_remedied", cast["justice"], "2026-Q1") == Ratio(Decimal(1), Decimal(1))
    assert value("inspections.findings_remedied", cast["west_commune"], "2026-Q1") is None
    assert value("inspections.findings_remedied", cast["west_commune"], "2026-04").value == Decimal(0)
