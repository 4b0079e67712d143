"""Importing dossiers: formats, column names, values, row errors, all-or-nothing, idempotence, reach."""

import datetime
import io
import json
import tempfile
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from cchc.core.models import AuditEntry
from cchc.onestop import services
from cchc.onestop.ingest import codes
from cchc.onestop.models import (
    Channel,
    Dossier,
    DossierStatus,
    FieldMonthRollup,
    ImportJob,
    JobStatus,
    Rating,
    UnitMonthRollup,
)
from cchc.onestop.services import ImportRefused, UnreadableFile
from tests.onestop.conftest import dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=VN)


def snapshot() -> dict[str, object]:
    """Everything an import may change, to show that a refused one changed none of it."""
    return {
        "dossiers": sorted(Dossier.objects.values_list("code", "status", "finished_at", "due_at")),
        "field_rollups": sorted(
            FieldMonthRollup.objects.values_list("unit_id", "field", "month", "received", "finished")
        ),
        "unit_rollups": sorted(
            UnitMonthRollup.objects.values_list("unit_id", "month", "received", "finished")
        ),
        "audit": AuditEntry.objects.count(),
    }


def imported(import_dossiers, records, **options) -> services.ImportResult:
    result = import_dossiers(records, **options)
    assert result.applied, result.errors
    return result


# -- dates and times -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-01-05T09:00", vn(2026, 1, 5, 9)),  # ISO 8601 without offset: Vietnamese time
        ("2026-01-05 09:00:00", vn(2026, 1, 5, 9)),
        ("2026-01-05T09:00:00.250", vn(2026, 1, 5, 9)),  # fractions of a second are dropped
        ("2026-01-05T02:00:00Z", vn(2026, 1, 5, 9)),
        ("2026-01-05T09:00:00+07:00", vn(2026, 1, 5, 9)),
        ("2026-01-05T09:00+0700", vn(2026, 1, 5, 9)),
        ("2026-01-05T10:00:00+08:00", vn(2026, 1, 5, 9)),
        ("2026-01-04T21:00:00-05:00", vn(2026, 1, 5, 9)),
        ("05/01/2026 09:00", vn(2026, 1, 5, 9)),  # dd/mm/yyyy HH:MM, Vietnamese time
        ("5/1/2026 9:00", vn(2026, 1, 5, 9)),
        ("05/01/2026 09:00:30", vn(2026, 1, 5, 9, 0, 30)),
        ("05/01/2026 09h00", vn(2026, 1, 5, 9)),
        ("  05/01/2026 09:00  ", vn(2026, 1, 5, 9)),
        ("05/01/2026", vn(2026, 1, 5)),  # a date alone is the start of the day
        ("2026-01-05", vn(2026, 1, 5)),
    ],
)
def test_every_date_format_is_read_and_local_time_is_the_default(import_dossiers, text, instant):
    imported(import_dossiers, [dossier("D1", received=text)])
    assert Dossier.objects.get().received_at == instant


def test_the_month_of_a_dossier_is_the_vietnamese_month(import_dossiers):
    # 31/01 23:30 in Vietnam is 31/01 16:30 UTC, and 01/02 00:30 in Vietnam is still 31/01 in UTC.
    imported(
        import_dossiers,
        [dossier("D1", received="2026-01-31T23:30"), dossier("D2", received="2026-01-31T17:30Z")],
    )
    months = dict(Dossier.objects.values_list("code", "received_month"))
    assert months == {"D1": datetime.date(2026, 1, 1), "D2": datetime.date(2026, 2, 1)}


# -- values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("direct", Channel.DIRECT),
        ("online", Channel.ONLINE),
        ("post", Channel.POST),
        ("1", Channel.DIRECT),
        ("2", Channel.ONLINE),
        ("3", Channel.POST),
        ("Online", Channel.ONLINE),
        ("trực tuyến", Channel.ONLINE),
        ("", Channel.DIRECT),
    ],  # an empty channel is in person (KenhThucHien null = 1)
)
def test_channels(import_dossiers, text, channel):
    imported(import_dossiers, [dossier("D1", channel=text)])
    assert Dossier.objects.get().channel == channel


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("satisfied", Rating.SATISFIED),
        ("neutral", Rating.NEUTRAL),
        ("unsatisfied", Rating.UNSATISFIED),
        ("hài lòng", Rating.SATISFIED),
        ("", None),
    ],
)
def test_ratings(import_dossiers, text, rating):
    imported(import_dossiers, [dossier("D1", rating=text, finished_at="2026-01-08 10:00")])
    assert Dossier.objects.get().rating == rating


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", True),
        ("true", True),
        ("yes", True),
        ("x", True),
        ("có", True),
        ("0", False),
        ("false", False),
        ("không", False),
        ("", False),
        (" Có ", True),  # case and surrounding spaces do not matter
        ("KHÔNG", False),
        ("X", True),
        ("   ", False),
    ],
)
def test_yes_no_columns(import_dossiers, text, value):
    imported(import_dossiers, [dossier("D1", digitized=text, e_result=text, paid_online=text)])
    row = Dossier.objects.get()
    assert (row.digitized, row.e_result, row.paid_online) == (value, value, value)


def test_supplements_are_stored_as_pairs_of_local_instants(import_dossiers):
    imported(
        import_dossiers,
        [
            dossier(
                "D1", supplements=[["06/01/2026 09:00", "2026-01-08T02:00:00Z"], ["2026-01-09 09:00", None]]
            )
        ],
    )
    row = Dossier.objects.get()
    assert row.supplement_count == 2
    assert row.supplements == [
        ["2026-01-06T09:00:00+07:00", "2026-01-08T09:00:00+07:00"],
        ["2026-01-09T09:00:00+07:00", None],
    ]


def test_supplement_cells_in_any_json_spelling_of_pairs_are_read_alike(import_dossiers):
    # The usual spelling is read in bulk, others one by one: both must give the same pairs.
    spellings = {
        "usual": '[["2026-01-06 09:00", "2026-01-07 09:00"]]',
        "spaced": ' [ [ "2026-01-06 09:00" ,\n "2026-01-07 09:00" ] ] ',
        "escaped": '[["2026-01-06\\u002009:00", "2026-01-07 09:00"]]',
        "one item": '[["2026-01-06 09:00"]]',
    }
    result = imported(import_dossiers, [dossier(name, supplements=cell) for name, cell in spellings.items()])
    assert result.created == 4
    stored = dict(Dossier.objects.values_list("code", "supplements"))
    assert stored["usual"] == stored["spaced"] == stored["escaped"]
    assert stored["usual"] == [["2026-01-06T09:00:00+07:00", "2026-01-07T09:00:00+07:00"]]
    assert stored["one item"] == [["2026-01-06T09:00:00+07:00", None]]


@pytest.mark.parametrize(
    "cell",
    [
        "[[1, 2]]",
        '[["2026-01-06 09:00", "2026-01-07 09:00", "x"]]',
        '[\u00a0["2026-01-06 09:00"]]',
        "[[null]]",
    ],
)
def test_supplement_cells_of_another_shape_are_row_errors(import_dossiers, cell):
    result = import_dossiers([dossier("OK"), dossier("BAD", supplements=cell)])
    assert [(row, column) for row, column, _m in result.errors] == [(2, "supplements")]
    assert not Dossier.objects.exists()


# -- status and end of processing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "status", "finished", "counted"),
    [
        ({}, DossierStatus.RECEIVED, None, True),  # no status, no end: received
        (
            {"finished_at": "2026-01-08 10:00"},
            DossierStatus.RESOLVED,
            vn(2026, 1, 8, 10),
            True,
        ),  # no status: 9
        ({"status": "4"}, DossierStatus.PROCESSING, None, True),
        ({"status": "5"}, DossierStatus.SUPPLEMENT, None, True),
        (
            {"status": "7", "finished_at": "2026-01-08 10:00"},
            DossierStatus.WITHDRAWN,
            vn(2026, 1, 8, 10),
            True,
        ),
        (
            {"status": "10.0", "finished_at": "2026-01-08 10:00"},
            DossierStatus.RETURNED,
            vn(2026, 1, 8, 10),
            True,
        ),
        # Returned without an end of processing: the return is the end.
        (
            {"status": "10", "returned_at": "2026-01-09 10:00"},
            DossierStatus.RETURNED,
            vn(2026, 1, 9, 10),
            True,
        ),
        # Awaiting receipt, or refused at it: stored but outside every statistic.
        ({"status": "1"}, DossierStatus.REGISTERED, None, False),
        ({"status": "3"}, DossierStatus.REFUSED, None, False),
    ],
)
def test_status_and_end_of_processing(import_dossiers, fields, status, finished, counted):
    imported(import_dossiers, [dossier("D1", **fields)])
    row = Dossier.objects.get()
    assert (row.status, row.finished_at, row.counted) == (status, finished, counted)


# -- row errors ------------------------------------------------------------------------------------


BAD_CELLS = [
    ("dossier_code", {"dossier_code": ""}),
    ("dossier_code", {"dossier_code": "X" * 65}),
    ("procedure_code", {"procedure_code": ""}),
    ("procedure_code", {"procedure_code": "ZZ-99"}),
    ("unit_code", {"unit_code": ""}),
    ("unit_code", {"unit_code": "88888"}),
    ("unit_code", {"received_at": "2025-06-30 09:00"}),  # the unit's code is valid from 01/07/2025
    ("received_at", {"received_at": ""}),
    ("received_at", {"received_at": "hôm qua"}),
    ("received_at", {"received_at": "31/02/2026 09:00"}),
    ("received_at", {"received_at": "2026-01-05 25:00"}),
    ("received_at", {"received_at": "2026-12-01 09:00"}),  # after `now`
    ("due_at", {"due_at": "soon"}),
    ("due_at", {"due_at": "2026-01-04"}),  # before receipt
    ("finished_at", {"finished_at": "2026-13-01", "status": "9"}),
    ("finished_at", {"finished_at": "2026-01-04 10:00"}),  # before receipt
    ("finished_at", {"finished_at": "2026-11-30 10:00"}),  # after `now`
    ("finished_at", {"status": "9"}),  # a final status needs an end
    ("status", {"status": "4", "finished_at": "2026-01-08 10:00"}),  # an end needs a final status
    ("status", {"status": "11"}),
    ("status", {"status": "two"}),
    ("returned_at", {"returned_at": "later"}),
    ("returned_at", {"returned_at": "2026-01-04 10:00"}),
    ("apology_at", {"apology_at": "08/01"}),
    ("rescheduled_due_at", {"rescheduled_due_at": "next week"}),
    ("channel", {"channel": "fax"}),
    ("rating", {"rating": "great"}),
    ("digitized", {"digitized": "maybe"}),
    ("e_result", {"e_result": "2"}),
    ("paid_online", {"paid_online": "?"}),
    ("supplements", {"supplements": "not json"}),
    ("supplements", {"supplements": '{"a": 1}'}),
    ("supplements", {"supplements": '[["someday", null]]'}),
    ("supplements", {"supplements": '[["2026-01-06 09:00", "soon"]]'}),
    ("supplements", {"supplements": '[["2026-01-08 09:00", "2026-01-06 09:00"]]'}),  # completed first
    ("supplements", {"supplements": '[["2026-01-04 09:00", "2026-01-06 09:00"]]'}),  # before receipt
    ("supplements", {"supplements": '[["2026-01-06 09:00", null], ["2026-01-07 09:00", null]]'}),  # two open
]


@pytest.mark.parametrize(
    ("column", "fields"), BAD_CELLS, ids=[f"{c}-{i}" for i, (c, _f) in enumerate(BAD_CELLS)]
)
def test_a_bad_cell_is_a_row_error_and_the_file_writes_nothing(import_dossiers, column, fields):
    imported(import_dossiers, [dossier("OLD", finished_at="2026-01-08 10:00")])
    before = snapshot()
    records = [
        dossier("OLD", finished_at="2026-01-09 10:00"),  # would update the dossier already there
        dossier("NEW", received="2026-01-06 09:00"),
        {**dossier("BAD"), **fields},
    ]
    result = import_dossiers(records, now=vn(2026, 11, 21, 12))
    assert not result.applied
    assert [(row, col) for row, col, _message in result.errors] == [(3, column)]
    assert result.errors[0][2]  # a message for the person who fixes the file
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert snapshot() == before
    assert ImportJob.objects.latest("pk").status == JobStatus.FAILED


def test_every_bad_row_is_reported_with_its_number(import_dossiers):
    records = [dossier("A"), dossier("B", channel="fax"), dossier("C"), dossier("D", status="99", rating="?")]
    result = import_dossiers(records)
    assert sorted((row, column) for row, column, _m in result.errors) == [
        (2, "channel"),
        (4, "rating"),
        (4, "status"),
    ]
    assert result.error_count == 3
    assert not Dossier.objects.exists()


def test_a_bad_row_in_a_later_batch_undoes_the_earlier_batches(import_dossiers):
    records = [dossier(f"D{n}") for n in range(1, 6)] + [dossier("D6", received="garbage")]
    result = import_dossiers(records, batch_rows=2)
    assert [(row, column) for row, column, _m in result.errors] == [(6, "received_at")]
    assert result.rows == 6
    assert not Dossier.objects.exists()
    assert not UnitMonthRollup.objects.exists()


def test_a_code_twice_in_one_file_is_an_error_on_the_later_row(import_dossiers):
    result = import_dossiers([dossier("D1"), dossier("D2"), dossier("D1", channel="2")], batch_rows=2)
    assert [(row, column) for row, column, _m in result.errors] == [(3, "dossier_code")]
    assert "1, 3" in result.errors[0][2]
    assert not Dossier.objects.exists()


def test_codes_sent_twice_are_found_when_their_hashes_wait_on_disk(import_dossiers, monkeypatch):
    monkeypatch.setattr(codes, "SPILL_ROWS", 2)
    made = []
    real = tempfile.TemporaryDirectory

    def recording(*args, **kwargs):
        directory = real(*args, **kwargs)
        made.append(Path(directory.name))
        return directory

    monkeypatch.setattr(tempfile, "TemporaryDirectory", recording)
    records = [dossier(f"D{n}") for n in range(1, 8)] + [dossier("D2"), dossier("D9"), dossier("D6")]
    result = import_dossiers(records, batch_rows=3)
    assert [(row, column) for row, column, _m in result.errors] == [(8, "dossier_code"), (10, "dossier_code")]
    assert "2, 8" in result.errors[0][2] and "6, 10" in result.errors[1][2]
    assert not Dossier.objects.exists()
    assert len(made) == 1 and not made[0].exists()  # the hashes went to disk, and were removed


def test_a_missing_required_column_refuses_the_file(import_dossiers):
    with pytest.raises(ImportRefused, match="unit_code"):
        import_dossiers(
            [{"dossier_code": "D1", "procedure_code": "HT-01", "received_at": "2026-01-05 09:00"}]
        )
    assert not Dossier.objects.exists()


def test_a_csv_file_with_only_a_header_is_still_checked_for_its_columns(import_dossiers, tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("ma,ten\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(ImportRefused, match="dossier_code"):
        import_dossiers(wrong)
    empty = tmp_path / "empty.csv"
    empty.write_text("dossier_code,procedure_code,unit_code,received_at\n", encoding="utf-8")
    result = import_dossiers(empty)
    assert (result.rows, result.applied) == (0, True)


# -- files and column names ------------------------------------------------------------------------

PORTAL_HEADER = [
    "MaHoSo",
    "MaTTHC",
    "MaDonVi",
    "KenhThucHien",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "TrangThaiHoSo",
]


def test_a_csv_file_with_the_national_portals_column_names(import_dossiers, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_text(
        "\ufeff" + ",".join(PORTAL_HEADER) + "\n"
        "H1,HT-01,99002,2,05/01/2026 09:00,,08/01/2026 10:00,10\n"
        "H2,DD-01,99001,1,2026-01-06T08:00:00+07:00,20/01/2026,,4\n",
        encoding="utf-8",
    )
    result = imported(import_dossiers, path)
    assert (result.rows, result.created) == (2, 2)
    h1, h2 = Dossier.objects.order_by("code")
    assert (h1.channel, h1.status, h1.received_at, h1.due_at) == (
        2,
        10,
        vn(2026, 1, 5, 9),
        vn(2026, 1, 10, 17),
    )
    assert h1.finished_at == vn(2026, 1, 8, 10)
    assert (h2.unit.code, h2.due_at, h2.due_computed) == ("99001", vn(2026, 1, 20, 23, 59, 59), False)


def test_csv_rows_are_numbered_as_in_a_spreadsheet(import_dossiers, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_text(
        "dossier_code,procedure_code,unit_code,received_at\nA,HT-01,99002,2026-01-05 09:00\nB,HT-01,99002,x\n"
    )
    result = import_dossiers(path)
    assert [(row, column) for row, column, _m in result.errors] == [(3, "received_at")]  # header is row 1


def test_an_xlsx_file_with_real_dates_and_numbers(import_dossiers, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*PORTAL_HEADER, "supplements", "digitized"])
    supplements = '[["2026-01-06 09:00", "2026-01-07 09:00"]]'
    received, finished = datetime.datetime(2026, 1, 5, 9), datetime.datetime(2026, 1, 9, 16)
    sheet.append(["X1", "HT-01", 99002, 2, received, None, finished, 10, supplements, True])
    sheet.append([None] * 10)  # a blank line is skipped but keeps its number
    # A date cell as due date: it lasts the whole day, as "12/01/2026" written as text does.
    due = datetime.date(2026, 1, 12)
    sheet.append(["X2", "HT-02", "99001", "online", "06/01/2026 08:30", due, None, 4.0, None, "x"])
    path = tmp_path / "hoso.xlsx"
    workbook.save(path)
    result = imported(import_dossiers, path)
    assert (result.rows, result.created) == (2, 2)
    x1, x2 = Dossier.objects.order_by("code")
    assert (x1.received_at, x1.finished_at, x1.status, x1.channel) == (
        vn(2026, 1, 5, 9),
        vn(2026, 1, 9, 16),
        10,
        2,
    )
    assert (x1.supplement_count, x1.digitized) == (1, True)
    assert (x2.received_at, x2.status, x2.digitized) == (vn(2026, 1, 6, 8, 30), 4, True)
    assert x2.due_at == vn(2026, 1, 12, 23, 59, 59)


def test_xlsx_errors_carry_the_spreadsheet_row(import_dossiers, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["dossier_code", "procedure_code", "unit_code", "received_at"])
    sheet.append(["A", "HT-01", "99002", "05/01/2026 09:00"])
    sheet.append([None, None, None, None])
    sheet.append(["B", "HT-01", "99002", "not a date"])
    path = tmp_path / "hoso.xlsx"
    workbook.save(path)
    result = import_dossiers(path)
    assert [(row, column) for row, column, _m in result.errors] == [(4, "received_at")]


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_json_file_of_records_or_an_object_holding_them(import_dossiers, tmp_path, wrapped):
    records = [
        {
            "MaHoSo": "J1",
            "MaTTHC": "HT-01",
            "unit_code": "99002",
            "NgayTiepNhan": "2026-01-05T09:00:00+07:00",
            "KenhThucHien": 2,
            "supplements": [["2026-01-06 09:00", "2026-01-07 09:00"]],
            "paid_online": True,
        },
        {"MaHoSo": "J2", "MaTTHC": "HT-01", "unit_code": "99002", "NgayTiepNhan": "bad"},
    ]
    path = tmp_path / "hoso.json"
    path.write_text(json.dumps({"dossiers": records} if wrapped else records), encoding="utf-8")
    result = import_dossiers(path)
    assert [(row, column) for row, column, _m in result.errors] == [
        (2, "received_at")
    ]  # first record is row 1
    records.pop()
    path.write_text(json.dumps({"dossiers": records} if wrapped else records), encoding="utf-8")
    imported(import_dossiers, path)
    row = Dossier.objects.get()
    assert (row.code, row.channel, row.supplement_count, row.paid_online) == ("J1", 2, 1, True)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("hoso.doc", b"whatever"),
        ("hoso.json", b"[{"),
        ("hoso.json", b'{"a": 1}'),
        ("hoso.xlsx", b"not a zip"),
    ],
)
def test_an_unreadable_file_is_refused_as_a_whole(import_dossiers, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        import_dossiers(path)
    assert not Dossier.objects.exists()


def _zip_without_a_workbook() -> bytes:
    """A zip that passes the size checks but that openpyxl cannot open as a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("hoso.xlsx", _zip_without_a_workbook(), "Không đọc được tệp XLSX"),
        ("hoso.csv", b"MaHoSo,MaTTHC\nA,HT-01,extra,more\n", "có dòng nhiều ô hơn"),
    ],
)
def test_a_library_s_complaint_reaches_the_official_in_vietnamese(
    import_dossiers, tmp_path, name, content, said
):
    """openpyxl says "File is not a zip file" and polars names its schema: neither is shown."""
    path = tmp_path / name
    path.write_bytes(content)
    with translation.override("vi"), pytest.raises(UnreadableFile) as refused:
        import_dossiers(path)
    message = str(refused.value)
    assert said in message
    assert "zip" not in message.lower() and "schema" not in message.lower()


def test_the_same_column_twice_is_refused(import_dossiers):
    with pytest.raises(UnreadableFile):
        import_dossiers([{**dossier("D1"), "MaHoSo": "D1"}])


# -- idempotence -----------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(import_dossiers, tmp_path):
    path = tmp_path / "hoso.csv"
    path.write_text(
        "MaHoSo,MaTTHC,unit_code,NgayTiepNhan,NgayKetThucXuLy,TrangThaiHoSo,supplements\n"
        "A,HT-01,99002,05/01/2026 09:00,08/01/2026 10:00,10,\n"
        'B,HT-01,99002,05/01/2026 09:00,,5,"[[""2026-01-06 09:00"", null]]"\n'
        "C,DD-01,99001,2026-01-20T09:00,,,\n"
    )
    first = imported(import_dossiers, path)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    audit_rows = AuditEntry.objects.filter(action="onestop.import_dossiers").count()
    before = snapshot()
    stamps = dict(Dossier.objects.values_list("code", "updated_at"))
    second = imported(import_dossiers, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert snapshot() == before
    assert dict(Dossier.objects.values_list("code", "updated_at")) == stamps  # not even rewritten
    assert (
        AuditEntry.objects.filter(action="onestop.import_dossiers").count() == audit_rows
    )  # nothing to record
    assert ImportJob.objects.latest("pk").status == JobStatus.DONE


def test_sending_a_dossier_again_updates_it(import_dossiers):
    imported(import_dossiers, [dossier("A"), dossier("B")])
    result = imported(
        import_dossiers,
        [dossier("A", finished_at="2026-01-08 10:00", status="10"), dossier("B"), dossier("C")],
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert Dossier.objects.count() == 3
    assert Dossier.objects.get(code="A").status == DossierStatus.RETURNED
    entry = AuditEntry.objects.filter(action="onestop.import_dossiers").latest("pk")
    assert entry.after["created"] == 1 and entry.after["updated"] == 1 and entry.after["unchanged"] == 1


# -- who may import what ---------------------------------------------------------------------------


def test_a_user_may_import_only_dossiers_of_units_within_reach(import_dossiers, cast):
    records = [dossier("W1", unit="99002"), dossier("E1", unit="99001")]
    result = import_dossiers(records, actor=cast["commune_officer"])
    assert [(row, column) for row, column, _m in result.errors] == [(2, "unit_code")]
    assert not Dossier.objects.exists()
    imported(import_dossiers, records[:1], actor=cast["commune_officer"])
    assert (
        AuditEntry.objects.filter(action="onestop.import_dossiers").latest("pk").actor
        == cast["commune_officer"]
    )


def test_reach_includes_the_units_below(import_dossiers, cast):
    imported(import_dossiers, [dossier("S1", unit="99.STP.HCTP")], actor=cast["justice_focal"])
    result = import_dossiers(
        [dossier("S2", unit="99.STP.HCTP"), dossier("S3", unit="99002")], actor=cast["justice_focal"]
    )
    assert [(row, column) for row, column, _m in result.errors] == [(2, "unit_code")]


def test_a_viewer_may_not_import_at_all(import_dossiers, cast):
    with pytest.raises(ImportRefused):
        import_dossiers([dossier("D1")], actor=cast["leader"])


def test_the_provinces_administrator_may_import_for_every_unit(import_dossiers, cast):
    imported(
        import_dossiers,
        [dossier("W1", unit="99002"), dossier("E1", unit="99001")],
        actor=cast["reform_admin"],
    )
    assert Dossier.objects.count() == 2


def test_api_records_may_carry_python_values(import_dossiers):
    utc = datetime.UTC
    imported(
        import_dossiers,
        [
            dossier(
                "P1",
                received=datetime.datetime(2026, 1, 5, 2, 0, tzinfo=utc),
                status=10,
                channel=2,
                finished_at=datetime.datetime(2026, 1, 8, 10, 0, 0, 250000),
                due_at=datetime.date(2026, 1, 9),
                digitized=True,
                e_result=False,
            ),
        ],
    )
    row = Dossier.objects.get()
    assert (row.received_at, row.finished_at, row.due_at) == (
        vn(2026, 1, 5, 9),
        vn(2026, 1, 8, 10),
        vn(2026, 1, 9, 23, 59, 59),
    )  # a naive datetime is Vietnamese time
    assert (row.status, row.channel, row.digitized, row.e_result) == (10, 2, True, False)


def test_the_stats_command_names_each_figure_in_vietnamese(import_dossiers, cast):
    ended = {"status": "10", "due_at": "2026-01-20"}
    assert import_dossiers(
        [
            dossier("S1", finished_at="2026-01-06 10:00", channel="2", **ended),
            dossier("S2", finished_at="2026-01-23 10:00", **ended),
            dossier("S3"),
        ]
    ).applied
    out = io.StringIO()
    call_command("onestop", "stats", "--unit", "99002", "--period", "2026-01", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Xã Tây (99002), Tháng 1/2026"
    assert "  Tiếp nhận: 3" in lines and "  Kết thúc xử lý: 2" in lines
    assert "  Đang giải quyết cuối kỳ: 1" in lines
    assert "  Tỷ lệ tiếp nhận trực tuyến: 33,3\u00a0%" in lines  # one of three
    assert "  Tỷ lệ đúng hạn: 33,3\u00a0%" in lines  # S2 late, S3 past its deadline
    assert "  Hài lòng khi nhận kết quả: —" in lines  # no rating given: no rate, not 0 %
    assert not any("_" in line for line in lines)  # no field names


def test_the_import_command_speaks_vietnamese_and_writes_the_errors_file(import_dossiers, tmp_path):
    path, errors = tmp_path / "dossiers.csv", tmp_path / "errors.csv"
    header = "dossier_code,procedure_code,unit_code,received_at\n"
    path.write_text(header + "D1,HT-01,99002,2026-01-05 09:00\nD2,HT-01,99002,garbage\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Chưa nhập gì: hãy sửa các dòng trên rồi nhập lại tệp"):
        call_command("onestop", "import", str(path), "--errors", str(errors), stdout=out, stderr=out)
    assert "Hồ sơ: 2 dòng; tạo mới 0, cập nhật 0, không đổi 0; 1 dòng có lỗi" in out.getvalue()
    assert "\n  dòng 3, " in out.getvalue() and "… đã đọc 2 dòng" in out.getvalue()
    assert errors.read_text(encoding="utf-8-sig").splitlines()[0] == "Dòng,Cột,Lỗi"
    assert not Dossier.objects.exists()

    path.write_text(header + "D1,HT-01,99002,2026-01-05 09:00\n", encoding="utf-8")
    out = io.StringIO()
    call_command("onestop", "import", str(path), stdout=out)
    assert "Hồ sơ: 1 dòng; tạo mới 1, cập nhật 0, không đổi 0; 0 dòng có lỗi" in out.getvalue()
