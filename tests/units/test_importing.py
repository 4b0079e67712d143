"""Importing units from CSV/XLSX and exporting them again: all rows checked first, nothing half-written."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cchc.core.models import AuditEntry
from cchc.core.tables import headings_row
from cchc.units.models import Unit, UnitCode, UnitType
from cchc.units.services import importing, official
from cchc.units.services import units as unit_services
from tests.units.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 7, 1)


def run(content: bytes, filename: str = "units.csv", **options) -> importing.ImportResult:
    return importing.import_file(content, filename, **options)


def where(result) -> list[tuple]:
    return [(error.row, error.column) for error in result.errors]


# Good files ------------------------------------------------------------------------------------


def test_good_csv_creates_every_row_with_parents_from_the_database_and_the_file(province):
    content = csv_bytes(
        # The sub-unit comes before its agency: parents may be later in the file.
        "99.SYT.KHTC,Phòng Kế hoạch - Tài chính,subunit,99.SYT,2025-07-01,",
        "99.SYT,Sở Y tế,agency,99,2025-07-01,",
        "99003,Xã Bắc,commune,99,2025-07-01,2030-12-31",
    )
    result = run(content)
    assert result.ok and result.applied
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    health = Unit.objects.get(code="99.SYT")
    division = Unit.objects.get(code="99.SYT.KHTC")
    commune = Unit.objects.get(code="99003")
    assert health.parent == province and division.parent == health and commune.parent == province
    assert division.path.startswith(health.path) and health.path.startswith(province.path)
    assert (commune.type, commune.valid_from, commune.valid_to) == (
        "commune",
        START,
        datetime.date(2030, 12, 31),
    )
    assert UnitCode.objects.get(unit=commune).valid_to == datetime.date(2030, 12, 31)
    created = AuditEntry.objects.filter(
        action="unit.create", object_id__in=[health.pk, division.pk, commune.pk]
    )
    assert created.count() == 3 and not created.filter(actor__isnull=False).exists()


def test_semicolon_separated_csv_without_bom(province):
    content = csv_bytes("99.SYT;Sở Y tế;agency;99;2025-07-01;", header=";".join(importing.COLUMNS), bom=False)
    result = run(content)
    assert result.ok and result.created == 1
    assert Unit.objects.get(code="99.SYT").name == "Sở Y tế"


def test_header_may_be_in_any_order_and_case(province):
    content = csv_bytes(
        "2025-07-01,Sở Y tế,99.SYT,AGENCY,99,", header="Valid_From,NAME,code,type,parent_code,valid_to"
    )
    result = run(content)
    assert result.ok and Unit.objects.get(code="99.SYT").type == UnitType.AGENCY


def test_good_xlsx_with_date_cells_and_numeric_codes(province):
    content = xlsx_bytes(
        [99004, "Xã Nam", "commune", 99, datetime.date(2025, 7, 1), None],
        ["99.SXD", "Sở Xây dựng", "agency", "99", "2025-07-01", datetime.datetime(2031, 1, 31)],
        [None, None, None, None, None, None],  # blank rows are skipped
    )
    result = run(content, "units.xlsx")
    assert result.ok and result.created == 2
    commune = Unit.objects.get(code="99004")
    assert (commune.parent, commune.valid_from) == (province, START)
    assert Unit.objects.get(code="99.SXD").valid_to == datetime.date(2031, 1, 31)


def test_dry_run_checks_but_writes_nothing(province):
    result = run(csv_bytes("99.SYT,Sở Y tế,agency,99,2025-07-01,"), dry_run=True)
    assert result.ok and not result.applied and result.created == 1
    assert not Unit.objects.filter(code="99.SYT").exists()


# Bad rows: each reported, nothing written ------------------------------------------------------

GOOD_ROW = "99.OK,Sở Tốt,agency,99,2025-07-01,"

BAD_FILES = {
    "unknown type": (["99.X,Sở X,department,99,2025-07-01,"], [(2, "type")]),
    "malformed date": (["99.X,Sở X,agency,99,1.7.2025,"], [(2, "valid_from")]),
    "impossible date": (["99.X,Sở X,agency,99,2025-07-01,2025-02-30"], [(2, "valid_to")]),
    "empty name": (["99.X,,agency,99,2025-07-01,"], [(2, "name")]),
    "empty code": ([",Sở X,agency,99,2025-07-01,"], [(2, "code")]),
    "missing parent": (["99.X,Sở X,agency,77,2025-07-01,"], [(2, "parent_code")]),
    "duplicate code in the file": (
        ["99.X,Sở X,agency,99,2025-07-01,", "99.X,Sở X bis,agency,99,2026-01-01,"],
        [(3, "code")],
    ),
    "overlaps an existing unit's code": (["99001,Phường Khác,commune,99,2025-08-01,"], [(2, "code")]),
    "end before start": (["99.X,Sở X,agency,99,2025-07-01,2025-06-01"], [(2, "valid_to")]),
    "cycle": (
        ["99.A,Phòng A,subunit,99.B,2025-07-01,", "99.B,Phòng B,subunit,99.A,2025-07-01,"],
        [(2, "parent_code"), (3, "parent_code")],
    ),
    "own parent": (["99.A,Phòng A,subunit,99.A,2025-07-01,"], [(2, "parent_code")]),
    "province under a province": (["98,Tỉnh Khác,province,99,2025-07-01,"], [(2, "parent_code")]),
    "commune without a parent": (["98001,Xã Lẻ,commune,,2025-07-01,"], [(2, "parent_code")]),
    "existing unit with another type": (["99001,Phường Đông,agency,99,2025-07-01,"], [(2, "type")]),
}


@pytest.mark.parametrize("lines, expected", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_row_stops_the_import(province, east_ward, lines, expected):
    units_before, audit_before = Unit.objects.count(), AuditEntry.objects.count()
    result = run(csv_bytes(*lines, GOOD_ROW))
    assert where(result) == expected
    assert all(error.message for error in result.errors)
    assert not result.applied and (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert (Unit.objects.count(), AuditEntry.objects.count()) == (units_before, audit_before)


def test_a_parent_is_found_even_when_its_dates_do_not_cover_the_child(province):
    # Province 99 starts on 1/7/2025; a unit dated earlier still finds it, as 99 was never reused.
    result = run(csv_bytes("99.X,Sở X,agency,99,2024-01-01,"))
    assert result.ok and Unit.objects.get(code="99.X").parent == province


def test_a_reused_parent_code_is_resolved_on_the_childs_start_date(db):
    old = unit_services.create_unit(
        actor=None, name="Tỉnh Cũ", type="province", code="77", valid_to=datetime.date(2025, 6, 30)
    )
    new = unit_services.create_unit(actor=None, name="Tỉnh Mới", type="province", code="77", valid_from=START)
    result = run(
        csv_bytes(
            "77.A,Sở Cũ,agency,77,2020-01-01,2025-06-30",
            "77.B,Sở Mới,agency,77,2025-07-01,",
            "77.C,Sở Không Rõ Ngày,agency,77,,",  # open-ended: the province in force today
        )
    )
    assert result.ok
    assert Unit.objects.get(code="77.A").parent == old
    assert Unit.objects.get(code="77.B").parent == new
    assert Unit.objects.get(code="77.C").parent == new


def test_every_bad_row_is_listed_with_its_row_number(province):
    result = run(
        csv_bytes(
            GOOD_ROW,
            "99.X,Sở X,department,99,2025-07-01,",
            GOOD_ROW.replace("99.OK", "99.OK2"),
            "99.Y,Sở Y,agency,99,31/02/2025,",
            "99.Z,,agency,88,2025-07-01,",
        )
    )
    assert where(result) == [(3, "type"), (5, "valid_from"), (6, "name"), (6, "parent_code")]
    assert "department" in result.errors[0].message and "31/02/2025" in result.errors[1].message
    assert not Unit.objects.filter(code__startswith="99.OK").exists()


@pytest.mark.parametrize(
    "content, filename, expected",
    [
        (b"code,name\n1,A\n", "units.txt", [(None, "")]),
        (csv_bytes(header="code,name,type,valid_from,valid_to"), "units.csv", [(1, "parent_code")]),
        (
            # Windows-1258: refused, never read with replacement characters (UTF-16 with its mark is read).
            "code,name,type,parent_code,valid_from,valid_to\n1,Đà Sơn,commune,,,\n".encode("cp1258"),
            "units.csv",
            [(None, "")],
        ),
        (b"not a workbook", "units.xlsx", [(None, "")]),
        (b"", "units.csv", [(None, "")]),
        (csv_bytes(), "units.csv", [(None, "")]),
    ],
    ids=["not csv or xlsx", "missing column", "not utf-8", "broken xlsx", "empty", "header only"],
)
def test_unreadable_files_are_refused_whole(db, content, filename, expected):
    result = run(content, filename)
    assert where(result) == expected and not result.applied


# Importing again -------------------------------------------------------------------------------

FILE = csv_bytes(
    "99.SYT,Sở Y tế,agency,99,2025-07-01,",
    "99.SYT.KHTC,Phòng Kế hoạch - Tài chính,subunit,99.SYT,2025-07-01,",
    "99003,Xã Bắc,commune,99,2025-07-01,",
)


def test_importing_the_same_file_again_changes_nothing(province):
    run(FILE)
    counts = (Unit.objects.count(), UnitCode.objects.count(), AuditEntry.objects.count())
    again = run(FILE)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (Unit.objects.count(), UnitCode.objects.count(), AuditEntry.objects.count()) == counts


def test_a_changed_name_or_end_date_updates_the_unit(province):
    run(FILE)
    changed = csv_bytes(
        "99.SYT,Sở Y tế tỉnh,agency,99,2025-07-01,",
        "99.SYT.KHTC,Phòng Kế hoạch - Tài chính,subunit,99.SYT,2025-07-01,",
        "99003,Xã Bắc,commune,99,2025-07-01,2026-06-30",
    )
    result = run(changed, "thay-doi.csv")
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Unit.objects.get(code="99.SYT").name == "Sở Y tế tỉnh"
    commune = Unit.objects.get(code="99003")
    assert commune.valid_to == datetime.date(2026, 6, 30)
    assert commune.codes.get().valid_to == datetime.date(2026, 6, 30)  # the code follows the unit
    entry = AuditEntry.objects.filter(action="unit.update").for_object(commune).get()
    assert entry.reason == "Nhập từ tệp thay-doi.csv"  # "Imported from thay-doi.csv"
    assert entry.before["valid_to"] is None and entry.after["valid_to"] == "2026-06-30"


def test_ending_a_unit_frees_its_code_for_a_successor_in_the_same_file(province):
    run(csv_bytes("99003,Xã Bắc,commune,99,2025-07-01,"))
    result = run(
        csv_bytes("99003,Xã Bắc,commune,99,2025-07-01,2026-06-30", "99003,Phường Bắc,commune,99,2026-07-01,")
    )
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert Unit.objects.by_code("99003", datetime.date(2026, 7, 1)).get().name == "Phường Bắc"


def test_a_unit_cannot_move_to_another_parent_by_import(province, home_affairs):
    run(FILE)
    moved = csv_bytes("99.SYT.KHTC,Phòng Kế hoạch - Tài chính,subunit,99.SNV,2025-07-01,")
    result = run(moved)
    assert where(result) == [(2, "parent_code")]
    assert Unit.objects.get(code="99.SYT.KHTC").parent.code == "99.SYT"


# Exporting and importing back ------------------------------------------------------------------


def _local(iso_day: str) -> str:
    return datetime.date.fromisoformat(iso_day).strftime("%d/%m/%Y") if iso_day else ""


def test_machine_and_readable_headers_and_values_import_alike(province):
    """A file made by hand before the headings were Vietnamese still imports, and so does one with
    the headings and type names as we export them, typed without diacritics."""
    readable = csv_bytes(
        "99.SYT,Sở Y tế,CO QUAN CAP TINH,99,01/07/2025,",
        header="MA DON VI,Tên đơn vị,loai don vi,Mã đơn vị cấp trên,Hiệu lực từ ngày,hieu luc den ngay",
    )
    result = run(readable, dry_run=True)
    assert result.ok, result.errors
    assert [(row.code, row.type, row.valid_from) for row in result.rows] == [
        ("99.SYT", "agency", datetime.date(2025, 7, 1))
    ]
    machine = run(csv_bytes("99.SYT,Sở Y tế,agency,99,2025-07-01,"), dry_run=True)
    assert machine.ok and [(row.code, row.type) for row in machine.rows] == [("99.SYT", "agency")]


def _round_trip_data(cast):
    official.load_province("12")  # old and new Lai Châu share the code 12
    # Sở Tư pháp changes code after its division was created: the division's parent_code must be
    # the code Sở Tư pháp carried on the division's start date.
    unit_services.change_code(
        actor=None, unit=cast["justice"], new_code="99.TP", effective=datetime.date(2025, 9, 1)
    )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(cast, tmp_path, suffix):
    _round_trip_data(cast)
    path = tmp_path / f"units.{suffix}"
    written = importing.export_file(path, None)
    assert written == Unit.objects.count()
    table = importing.export_rows()
    # What a person reads: Vietnamese headings, the type's name and dd/mm/yyyy dates.
    assert table[0] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại đơn vị",
        "Mã đơn vị cấp trên",
        "Hiệu lực từ ngày",
        "Hiệu lực đến ngày",
    ]
    assert [
        "99.STP.HCTP",
        "Phòng Hành chính tư pháp",
        str(UnitType.SUBUNIT.label),
        "99.STP",
        "01/07/2025",
        "",
    ] in table
    counts = (Unit.objects.count(), UnitCode.objects.count(), AuditEntry.objects.count())
    result = run(path.read_bytes(), path.name)
    assert result.ok, result.errors[:3]
    assert (result.created, result.updated, result.unchanged) == (0, 0, written)
    assert (Unit.objects.count(), UnitCode.objects.count(), AuditEntry.objects.count()) == counts


def test_export_writes_back_the_rows_that_were_imported(province):
    run(FILE)
    table = importing.export_rows("99")
    assert table[0] == headings_row(importing.COLUMNS, importing.HEADINGS)
    assert table[1] == ["99", "Tỉnh Thử Nghiệm", str(UnitType.PROVINCE.label), "", "01/07/2025", ""]
    imported = [line.split(",") for line in FILE.decode("utf-8-sig").splitlines()[1:]]
    readable = [
        [code, name, str(UnitType(kind).label), parent, *(_local(day) for day in days)]
        for code, name, kind, parent, *days in imported
    ]
    assert sorted(table[2:]) == sorted(readable)


def test_export_of_one_province_covers_its_old_and_new_units_only(cast, tmp_path):
    _round_trip_data(cast)
    path = tmp_path / "lai-chau.xlsx"
    call_command("units", "export", str(path), "--province", "12")
    sheet = load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headings_row(importing.COLUMNS, importing.HEADINGS)
    assert len(rows) - 1 == 154
    assert {row[0] for row in rows[1:] if row[2] == UnitType.PROVINCE.label} == {"12"}
    assert not any(str(row[0]).startswith("99") for row in rows[1:])
    assert all(isinstance(row[0], str) for row in rows[1:])  # codes stay text


# The command -----------------------------------------------------------------------------------


def test_command_imports_and_reports(province, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes(FILE)
    call_command("units", "import", str(path), "--dry-run")
    assert "Chạy thử, chưa ghi gì: sẽ tạo 3, cập nhật 0; 0 không đổi." in capsys.readouterr().out
    assert not Unit.objects.filter(code="99.SYT").exists()
    call_command("units", "import", str(path))
    assert "Đã tạo 3, cập nhật 0; 0 không đổi." in capsys.readouterr().out
    call_command("units", "import", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["applied"] and report["unchanged"] == 3 and report["created"] == 0
    call_command("units", "export", str(tmp_path / "out.csv"), "--province", "99")
    assert f"Đã xuất 4 đơn vị ra {tmp_path / 'out.csv'}." in capsys.readouterr().out  # the province and 3


def test_command_fails_and_lists_errors(province, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes("99.X,Sở X,department,99,2025-07-01,", "99.Y,Sở Y,agency,88,2025-07-01,"))
    with pytest.raises(CommandError, match="2 lỗi; chưa nhập gì"):
        call_command("units", "import", str(path))
    err = capsys.readouterr().err
    assert "dòng 2 [type]: Loại “department” không hợp lệ" in err  # Unknown type
    assert "dòng 3 [parent_code]: Không có đơn vị nào mang mã 88" in err  # No unit with code 88
    with pytest.raises(CommandError):
        call_command("units", "import", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and [error["row"] for error in report["errors"]] == [2, 3]
    assert not Unit.objects.filter(code__in=["99.X", "99.Y"]).exists()


def test_command_refuses_a_missing_file_and_an_unknown_export_province(db, tmp_path):
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("units", "import", str(tmp_path / "none.csv"))
    with pytest.raises(CommandError, match="Chưa từng có tỉnh nào mang mã 42"):
        call_command("units", "export", str(tmp_path / "out.csv"), "--province", "42")
    with pytest.raises(CommandError, match=r"\.csv hoặc \.xlsx"):
        call_command("units", "export", str(tmp_path / "out.ods"))
