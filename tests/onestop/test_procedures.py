"""Importing the list of procedures (TTHC): online levels, time units, bad rows, idempotence, audit."""

import datetime
from decimal import Decimal

import pytest

from cchc.core.models import AuditEntry
from cchc.onestop.models import OnlineLevel, Procedure, TimeUnit
from cchc.onestop.services import ImportRefused, import_procedures

pytestmark = pytest.mark.django_db


def row(code: str = "P-01", **fields: str) -> dict[str, str]:
    return {
        "code": code,
        "name": "Thủ tục thử",
        "field": "Hộ tịch",
        "time_limit": "5",
        "time_unit": "working_day",
        "online": "full",
        **fields,
    }


def errors(result) -> list[tuple[int, str]]:
    return [(number, column) for number, column, _message in result.errors]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("none", OnlineLevel.NONE),
        ("partial", OnlineLevel.PARTIAL),
        ("full", OnlineLevel.FULL),
        ("Full", OnlineLevel.FULL),
        ("không", OnlineLevel.NONE),
        ("một phần", OnlineLevel.PARTIAL),
        ("toàn trình", OnlineLevel.FULL),
        ("", OnlineLevel.NONE),
        # Levels 1–4 of NĐ 43/2011: 1 and 2 were information only, 3 one part online, 4 the whole process.
        ("1", OnlineLevel.NONE),
        ("2", OnlineLevel.NONE),
        ("3", OnlineLevel.PARTIAL),
        ("4", OnlineLevel.FULL),
    ],
)
def test_online_levels_including_the_legacy_levels_1_to_4(text, level):
    assert import_procedures([row(online=text)], actor=None).applied
    assert Procedure.objects.get().online == level


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("working_day", TimeUnit.WORKING_DAY),
        ("ngày làm việc", TimeUnit.WORKING_DAY),
        ("", TimeUnit.WORKING_DAY),
        ("day", TimeUnit.DAY),
        ("ngày", TimeUnit.DAY),
        ("Hour", TimeUnit.HOUR),
        ("giờ", TimeUnit.HOUR),
    ],
)
def test_time_units(text, unit):
    assert import_procedures([row(time_unit=text)], actor=None).applied
    assert Procedure.objects.get().time_unit == unit


@pytest.mark.parametrize(("text", "limit"), [("5", Decimal("5.00")), ("0,5", Decimal("0.50")), ("", None)])
def test_time_limits(text, limit):
    assert import_procedures([row(time_limit=text)], actor=None).applied
    assert Procedure.objects.get().time_limit == limit


def test_defaults_and_optional_columns():
    assert import_procedures(
        [row(level="cấp xã", valid_from="01/07/2025", valid_to="2026-12-31")], actor=None
    ).applied
    procedure = Procedure.objects.get()
    assert (procedure.has_fee, procedure.written_result) == (False, True)
    assert (procedure.level, procedure.valid_from, procedure.valid_to) == (
        "cấp xã",
        datetime.date(2025, 7, 1),
        datetime.date(2026, 12, 31),
    )


BAD = [
    ("code", {"code": ""}),
    ("code", {"code": "P" * 65}),
    ("name", {"name": "  "}),
    ("field", {"field": ""}),
    ("time_limit", {"time_limit": "năm"}),
    ("time_limit", {"time_limit": "-1"}),
    ("time_unit", {"time_unit": "month"}),  # months are not a unit the engine counts in
    ("online", {"online": "5"}),
    ("online", {"online": "mostly"}),
    ("has_fee", {"has_fee": "maybe"}),
    ("written_result", {"written_result": "?"}),
    ("valid_from", {"valid_from": "July"}),
    ("valid_to", {"valid_from": "2026-01-01", "valid_to": "2025-12-31"}),
]


@pytest.mark.parametrize(("column", "fields"), BAD, ids=[f"{c}-{i}" for i, (c, _f) in enumerate(BAD)])
def test_a_bad_row_is_reported_and_nothing_is_written(column, fields):
    result = import_procedures([row("P-01"), {**row("P-02"), **fields}], actor=None)
    assert not result.applied
    assert errors(result) == [(2, column)]
    assert not Procedure.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="onestop.procedure").exists()


def test_a_code_twice_is_an_error():
    result = import_procedures([row("P-01"), row("P-02"), row("P-01", name="Khác")], actor=None)
    assert errors(result) == [(3, "code")]
    assert not Procedure.objects.exists()


def test_a_missing_column_refuses_the_file():
    with pytest.raises(ImportRefused, match="online"):
        import_procedures(
            [{"code": "P-01", "name": "x", "field": "y", "time_limit": "1", "time_unit": "day"}], actor=None
        )


def test_a_csv_file_of_procedures(tmp_path):
    path = tmp_path / "tthc.csv"
    path.write_text(
        "Code,Name,Field,Level,Time Limit,Time Unit,Online,Has Fee\n"
        "1.001,Đăng ký khai sinh,Hộ tịch,cấp xã,5,ngày làm việc,4,có\n"
        "1.002,Chứng thực,Chứng thực,cấp xã,4,giờ,2,\n",
        encoding="utf-8",
    )
    result = import_procedures(path, actor=None)
    assert (result.created, result.error_count) == (2, 0)
    first = Procedure.objects.get(code="1.001")
    assert (first.online, first.time_unit, first.has_fee) == (OnlineLevel.FULL, TimeUnit.WORKING_DAY, True)


def test_importing_again_is_idempotent_and_every_change_is_audited(reform_admin):
    rows = [row("P-01"), row("P-02", online="partial")]
    first = import_procedures(rows, actor=reform_admin)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert AuditEntry.objects.filter(action="onestop.procedure_create").count() == 2
    assert AuditEntry.objects.filter(action="onestop.import_procedures").count() == 1

    again = import_procedures(rows, actor=reform_admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.filter(action__startswith="onestop.procedure").count() == 2
    assert AuditEntry.objects.filter(action="onestop.import_procedures").count() == 1  # nothing changed

    changed = import_procedures([row("P-01", time_limit="7"), rows[1]], actor=reform_admin)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    entry = AuditEntry.objects.get(action="onestop.procedure_update")
    assert entry.actor == reform_admin
    assert entry.object_id == str(Procedure.objects.get(code="P-01").pk)
    assert (entry.before["time_limit"], entry.after["time_limit"]) == ("5.00", "7.00")
    assert Procedure.objects.get(code="P-01").time_limit == Decimal("7.00")


def test_only_administrators_change_the_list(justice_focal):
    with pytest.raises(ImportRefused):
        import_procedures([row()], actor=justice_focal)
    assert not Procedure.objects.exists()
