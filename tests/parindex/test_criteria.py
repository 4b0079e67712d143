"""Criteria sets: the shipped defaults, import from CSV/XLSX (all or nothing), export, clone, locking."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from cchc.core.models import AuditEntry
from cchc.parindex.models import CriteriaSet, Criterion, Method
from cchc.parindex.services import criteria
from cchc.parindex.services.common import ImportRefused

HEADER = (
    "code,parent_code,title,max_points,method,threshold,evidence_required,not_applicable_rule,metric,tiers\n"
)
GOOD = HEADER + (
    "1,,Chỉ đạo điều hành,3,,,,,,\n"
    "1.1,1,Kế hoạch CCHC,2,tiered,,1,exclude,,Đúng hạn=100|Chậm=50|Không=0\n"
    "1.2,1,Hồ sơ đúng hạn,1,metric,98.5,0,full,onestop.on_time_rate,\n"
    "1.3,1,Điểm thưởng,1,bonus,,0,exclude,,\n"
)


def test_shipped_sets_have_eight_areas_and_a_hundred_points(cast):
    for unit_type, survey_points in (("agency", Decimal(20)), ("commune", Decimal(30))):
        criteria_set = criteria.load_default_set(actor=cast["reform_admin"], year=2026, unit_type=unit_type)
        areas = criteria_set.criteria.filter(parent__isnull=True)
        assert areas.count() == 8
        assert criteria_set.maximum() == Decimal(100)
        survey = criteria_set.criteria.filter(method=Method.SURVEY)
        assert sum(leaf.max_points for leaf in survey) == survey_points
        assert not criteria_set.verified


def test_import_builds_the_tree(cast):
    criteria_set = criteria.import_criteria(
        actor=cast["reform_admin"], content=GOOD.encode(), filename="bo.csv", year=2026, unit_type="agency"
    )
    leaf = Criterion.objects.get(criteria_set=criteria_set, code="1.2")
    assert leaf.parent.code == "1"
    assert leaf.threshold == Decimal("98.5")
    assert leaf.not_applicable_rule == "full"
    assert Criterion.objects.get(criteria_set=criteria_set, code="1.1").tiers[1] == {
        "label": "Chậm",
        "percent": "50",
    }
    assert criteria_set.maximum() == Decimal(3)  # the bonus is outside the maximum
    assert AuditEntry.objects.filter(action="criteria_set.create").count() == 1


@pytest.mark.parametrize(
    ("rows", "column"),
    [
        ("1,,A,2,,,,,,\n1.1,1,B,1,manual,,,,,\n", "max_points"),  # the parent's points do not add up
        ("1,,A,1,,,,,,\n1.1,9,B,1,manual,,,,,\n", "parent_code"),
        ("1,,A,1,,,,,,\n1.1,1,B,1,guess,,,,,\n", "method"),
        ("1,,A,1,,,,,,\n1.1,1,B,1,metric,,,,no.such_metric,\n", "metric"),
        ("1,,A,1,,,,,,\n1.1,1,B,1,tiered,,,,,\n", "tiers"),
        ("1,,A,1,,,,,,\n1.1,1,B,một,manual,,,,,\n", "max_points"),
        ("1,,A,1,,,,,,\n1.1,1,B,1,manual,,có lẽ,,,\n", "evidence_required"),
        ("1,,A,1,,,,,,\n1.1,1,B,1,manual,,,sometimes,,\n", "not_applicable_rule"),
        ("1,,A,1,,,,,,\n1.1,1,B,1,rate,150,,,,\n", "threshold"),
        ("1,,A,1,,,,,,\n1,,B,1,manual,,,,,\n", "code"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(cast, rows, column):
    with pytest.raises(ImportRefused) as refused:
        criteria.import_criteria(
            actor=cast["reform_admin"],
            content=(HEADER + rows).encode(),
            filename="x.csv",
            year=2026,
            unit_type="agency",
        )
    assert column in [problem[1] for problem in refused.value.rows]
    assert not CriteriaSet.objects.exists()


def test_missing_column_and_wrong_file(cast):
    with pytest.raises(ImportRefused) as refused:
        criteria.import_criteria(
            actor=cast["reform_admin"],
            content=b"code,title\n1,A\n",
            filename="x.csv",
            year=2026,
            unit_type="agency",
        )
    assert {"max_points", "method"} <= {problem[1] for problem in refused.value.rows}
    with pytest.raises(ImportRefused):
        criteria.import_criteria(
            actor=cast["reform_admin"],
            content=b"PK\x03\x04broken",
            filename="x.xlsx",
            year=2026,
            unit_type="agency",
        )
    assert not CriteriaSet.objects.exists()


def test_only_the_reform_office_changes_criteria(cast):
    with pytest.raises(PermissionDenied):
        criteria.import_criteria(
            actor=cast["justice_focal"],
            content=GOOD.encode(),
            filename="bo.csv",
            year=2026,
            unit_type="agency",
        )
    assert not CriteriaSet.objects.exists()


def test_xlsx_round_trip_and_clone(cast):
    source = criteria.load_default_set(actor=cast["reform_admin"], year=2025, unit_type="commune")
    workbook = criteria.export_xlsx(source)
    sheet = load_workbook(io.BytesIO(workbook)).active
    # Headings and choices as people read them; the import below reads them back.
    assert [cell.value for cell in sheet[1]][:5] == [
        "Mã tiêu chí",
        "Mã tiêu chí cấp trên",
        "Tiêu chí",
        "Điểm tối đa",
        "Cách chấm điểm",
    ]
    methods = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True) if row[4]}
    assert methods and methods <= {str(label) for label in Method.labels}
    copy = criteria.import_criteria(
        actor=cast["reform_admin"], content=workbook, filename="bo.xlsx", year=2026, unit_type="commune"
    )
    clone = criteria.clone_set(actor=cast["reform_admin"], source=source, year=2027)
    expected = criteria.rows_of(source)
    for other in (copy, clone):
        assert [
            (row.code, row.parent_code, row.max_points, row.method, row.tiers, row.metric)
            for row in criteria.rows_of(other)
        ] == [
            (row.code, row.parent_code, row.max_points, row.method, row.tiers, row.metric) for row in expected
        ]
    assert clone.cloned_from == source


def test_a_set_in_use_cannot_be_replaced(campaign, cast):
    with pytest.raises(ValidationError):
        criteria.import_criteria(
            actor=cast["reform_admin"],
            content=GOOD.encode(),
            filename="bo.csv",
            year=2026,
            unit_type="agency",
        )
    assert CriteriaSet.objects.get(year=2026, unit_type="agency").criteria.count() > 10


def test_command_line_import_and_refusal(db, tmp_path, capsys):
    good = tmp_path / "bo.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("parindex", "import-criteria", str(good), "--year", "2026", "--unit-type", "commune")
    assert "maximum 3" in capsys.readouterr().out
    bad = tmp_path / "xau.csv"
    bad.write_text(HEADER + "1,,A,1,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("parindex", "import-criteria", str(bad), "--year", "2027", "--unit-type", "commune")
    assert "dòng 2" in str(refused.value)
    assert not CriteriaSet.objects.filter(year=2027).exists()


def test_central_agencies_in_the_province_have_a_set_of_their_own(cast):
    from cchc.parindex.services.campaigns import create_campaign
    from cchc.units.services import units as unit_services

    tax = unit_services.create_unit(
        actor=None, name="Thuế tỉnh", type="central", code="99.THUE", parent=cast["province"], kind="Cơ quan"
    )
    criteria.import_criteria(
        actor=cast["reform_admin"], content=GOOD.encode(), filename="tw.csv", year=2026, unit_type="central"
    )
    campaign = create_campaign(actor=cast["reform_admin"], organiser=cast["province"], year=2026)
    assessment = campaign.assessments.get()
    assert assessment.unit == tax and assessment.criteria_set.unit_type == "central"
