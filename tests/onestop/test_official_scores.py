"""Importing the QĐ 766 scores the national portal published (CSV and JSON, long and wide shapes)."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.onestop.models import ImportJob, ImportKind, JobStatus, OfficialIndexScore
from cchc.onestop.queries.index import index_report
from cchc.onestop.services import ImportRefused
from cchc.onestop.services.official import import_official_scores, parse_period, parse_score
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db

LONG_CSV = """unit_code,period,code,score
99,2026-01,TOTAL,"40,5"
99,2026-01,TDGQ,19
99,2026-01,2.1,19
99002,2026-Q1,MDHL,
"""


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def stored():
    return {
        (row.unit.code, row.period, row.code): row.score
        for row in OfficialIndexScore.objects.select_related("unit")
    }


def test_long_csv_is_imported(cast, tmp_path):
    result = import_official_scores(write(tmp_path, "scores.csv", LONG_CSV), actor=None)
    assert result.applied, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (4, 4, 0, 0)
    assert stored() == {
        ("99", "2026-01", "TOTAL"): Decimal("40.50"),
        ("99", "2026-01", "TDGQ"): Decimal("19.00"),
        ("99", "2026-01", "2.1"): Decimal("19.00"),
        ("99002", "2026-Q1", "MDHL"): None,  # an empty score is "no score", not 0
    }
    row = OfficialIndexScore.objects.get(code="TOTAL")
    assert row.raw == {"unit_code": "99", "period": "2026-01", "code": "TOTAL", "score": "40,5"}
    job = ImportJob.objects.get(kind=ImportKind.OFFICIAL_SCORES)
    assert job.status == JobStatus.DONE and job.created == 4 and job.original_name == "scores.csv"


def test_reimport_changes_nothing(cast, tmp_path, reform_admin):
    path = write(tmp_path, "scores.csv", LONG_CSV)
    first = import_official_scores(path, actor=reform_admin)
    audits = AuditEntry.objects.filter(action="onestop.import_official_scores").count()
    assert first.applied and audits == 1
    before = {row.pk: row.imported_at for row in OfficialIndexScore.objects.all()}

    again = import_official_scores(path, actor=reform_admin)
    assert again.applied
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert {row.pk: row.imported_at for row in OfficialIndexScore.objects.all()} == before
    assert AuditEntry.objects.filter(action="onestop.import_official_scores").count() == audits

    corrected = write(
        tmp_path, "corrected.csv", LONG_CSV.replace("99,2026-01,TDGQ,19", "99,2026-01,TDGQ,18.75")
    )
    third = import_official_scores(corrected, actor=reform_admin)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 3)
    assert stored()[("99", "2026-01", "TDGQ")] == Decimal("18.75")


def test_bad_rows_change_nothing(cast, tmp_path):
    import_official_scores(write(tmp_path, "scores.csv", LONG_CSV), actor=None)
    before = stored()
    bad = """unit_code,period,code,score
99,2026-01,TOTAL,55
12345,2026-01,TOTAL,50
99,2026-13,TOTAL,50
99,2026-02,TDGQ,abc
99,2026-02,9.9,3
99,2026-02,CKMB,101
99002,2026-02,TDGQ,10
99002,2026-02,tdgq,11
"""
    with translation.override("en"):
        result = import_official_scores(write(tmp_path, "bad.csv", bad), actor=None)
    assert not result.applied
    assert result.rows == 8 and result.created == 0
    assert result.errors == [
        (3, "unit_code", "No unit has the code 12345."),
        (4, "period", "2026-13 is not a period: write YYYY, YYYY-MM or YYYY-Qn."),
        (5, "score", "abc is not a number."),
        (6, "code", "9.9 is not a code of the QĐ 766 index."),
        (7, "score", "The score 101.00 of CKMB is outside 0–100."),
        (9, "code", "The score of TDGQ for 99002, 2026-02 is also on row 8."),
    ]
    assert stored() == before  # the good row 2 was not written either
    assert ImportJob.objects.filter(status=JobStatus.FAILED).count() == 1


def test_portal_json_with_groups_and_indicators(cast, tmp_path):
    records = {
        "success": True,
        "data": [
            {
                "ROW_STT": 1,
                "TEN": "Xã Tây",
                "maDonVi": "99002",
                "kyDanhGia": "01/2026",
                "CKMB": 12.5,
                "TDGQ": "18,25",
                "MDHL": None,
                "TONG_SCORE": 80.1,
                "chiSo": {"2.1": 18.25, "DOSSIER_SYNC": 5, "ghiChu": "không phải điểm"},
            },
            {"MA_DON_VI": 99, "nam": 2026, "quy": 1, "TDGQ": 17},
        ],
    }
    result = import_official_scores(write(tmp_path, "portal.json", records), actor=None)
    assert result.applied, result.errors
    assert result.rows == 2 and result.created == 7
    assert stored() == {
        ("99002", "2026-01", "CKMB"): Decimal("12.50"),
        ("99002", "2026-01", "TDGQ"): Decimal("18.25"),
        ("99002", "2026-01", "MDHL"): None,
        ("99002", "2026-01", "TOTAL"): Decimal("80.10"),
        ("99002", "2026-01", "2.1"): Decimal("18.25"),
        ("99002", "2026-01", "1.4"): Decimal("5.00"),  # the portal's metric name DOSSIER_SYNC
        ("99", "2026-Q1", "TDGQ"): Decimal("17.00"),
    }
    row = OfficialIndexScore.objects.get(code="1.4")
    assert row.raw == records["data"][0]  # the record as downloaded, nested mapping included

    again = import_official_scores(write(tmp_path, "portal.json", records), actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)


def test_long_json_and_its_errors(cast, tmp_path):
    records = [
        {"unit_code": "99", "period": "2026", "code": "TOTAL", "score": 61.2},
        {"unit_code": "99", "period": "2026", "code": "5.4", "score": True},
        {"unit_code": "99", "code": "5.4", "score": 3},
        {"period": "2026", "KyDanhGia": "x", "code": "5.4", "score": 3},
        {"unit_code": "99", "period": "2026"},
        {"unit_code": "99", "period": "2026", "code": "", "score": 1},
    ]
    with translation.override("en"):
        result = import_official_scores(write(tmp_path, "scores.json", records), actor=None)
    assert not result.applied
    assert [(row, column) for row, column, _message in result.errors] == [
        (2, "score"),
        (3, "period"),
        (4, "unit_code"),
        (5, "code"),
        (6, "code"),
    ]
    assert result.errors[1][2] == "The period is missing."
    assert result.errors[3][2] == "The row holds no score of a group, an indicator or the total."
    assert result.errors[4][2] == "The code is missing."
    assert not OfficialIndexScore.objects.exists()

    result = import_official_scores(write(tmp_path, "scores.json", records[:1]), actor=None)
    assert result.applied and stored() == {("99", "2026", "TOTAL"): Decimal("61.20")}


def test_unreadable_file_is_refused(cast, tmp_path):
    with translation.override("en"), pytest.raises(ValueError, match="JSON file cannot be read"):
        import_official_scores(write(tmp_path, "broken.json", "[{"), actor=None)
    with translation.override("en"), pytest.raises(ValueError, match="Only CSV, XLSX and JSON"):
        import_official_scores(write(tmp_path, "scores.txt.pdf", "x"), actor=None)


def test_a_file_larger_than_an_upload_may_be_is_refused_before_it_is_read(cast, tmp_path, settings):
    """A JSON file is parsed whole: a huge one would hold the worker's memory for nothing."""
    settings.CCHC_UPLOAD_MAX_BYTES = 1024
    record = {"unit_code": "99", "period": "2026", "code": "TOTAL", "score": 61.2, "note": "x" * 1100}
    path = write(tmp_path, "scores.json", [record])
    assert path.stat().st_size > 1024
    with pytest.raises(ValueError, match="chia thành các tệp nhỏ hơn"):
        import_official_scores(path, actor=None)
    assert not OfficialIndexScore.objects.exists()
    settings.CCHC_UPLOAD_MAX_BYTES = 20 * 2**20
    assert import_official_scores(path, actor=None).applied


def test_only_administrators_and_the_reform_office_may_import(cast, tmp_path):
    path = write(tmp_path, "scores.csv", LONG_CSV)
    for person in (cast["commune_officer"], cast["justice_focal"], cast["leader"]):
        with translation.override("en"), pytest.raises(ImportRefused, match="Only administrators"):
            import_official_scores(path, actor=person)
    assert not OfficialIndexScore.objects.exists()
    assert import_official_scores(path, actor=cast["reform_admin"]).applied


def test_loose_period_and_score_forms():
    assert parse_period("03/2026").key == "2026-03"
    assert parse_period("3/2026").key == "2026-03"
    assert parse_period("Q2/2026").key == "2026-Q2"
    assert parse_period("2026-3").key == "2026-03"
    assert parse_period(" 2026 ") == Period.parse("2026")
    assert parse_score("12,345") == Decimal("12.35")
    assert parse_score("N/A") is None
    with pytest.raises(ValueError):
        parse_score("1.234,5")


def test_imported_scores_appear_beside_ours(cast, tmp_path, import_dossiers):
    result = import_dossiers([dossier("A1", finished_at="2026-01-07 10:00", status="10")])
    assert result.applied, result.errors
    import_official_scores(write(tmp_path, "scores.csv", LONG_CSV), actor=None)
    report = index_report(cast["province"], Period.parse("2026-01"))
    tdgq = next(group for group in report["groups"] if group["code"] == "TDGQ")
    assert tdgq["score"] == 20.0 and tdgq["official"] == 19.0 and tdgq["difference"] == 1.0
    assert report["official_total"] == 40.5
    assert report["total_difference"] == pytest.approx(report["total"] - 40.5)


def test_command_imports_scores(cast, tmp_path):
    out = io.StringIO()
    call_command(
        "onestop", "import-scores", str(write(tmp_path, "scores.csv", LONG_CSV)), "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["applied"] is True and data["created"] == 4
    bad = write(tmp_path, "bad.csv", "unit_code,period,code,score\n1,2,3,4\n")
    with pytest.raises(CommandError, match="Chưa nhập gì"):
        call_command("onestop", "import-scores", str(bad), stdout=io.StringIO())
    with translation.override("en"), pytest.raises(CommandError, match="No such file"):
        call_command("onestop", "import-scores", str(tmp_path / "missing.csv"), stdout=io.StringIO())
