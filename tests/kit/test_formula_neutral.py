"""Exports never carry a live formula: text that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return is a quote-prefixed string cell in every workbook and starts with an apostrophe in every CSV,
while numbers stay numbers; and no export writes a cell or a CSV row any other way."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cchc.core import cells
from cchc.core.tables import read_table
from cchc.onestop.services.jobs import error_report_csv
from cchc.parindex.services import criteria
from cchc.plans import spreadsheet
from cchc.plans.models import Task
from cchc.units.models import Unit
from cchc.units.services import importing
from tests.plans.conftest import province_plan  # noqa: F401 (a fixture)
from tests.surveys.conftest import at, sipas_campaign  # noqa: F401 (fixtures)
from tests.surveys.test_feedback import receive
from tests.surveys.test_sipas_pages import answered  # noqa: F401 (a fixture)

LINK = '=HYPERLINK("http://example.org","x")'
HOSTILE = [LINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


def _all_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_inert(content: bytes, *texts: str) -> None:
    found = _all_cells(content)
    assert not [cell.coordinate for cell in found if cell.data_type == "f"]
    for text in texts:
        matching = [cell for cell in found if cell.value == text]
        assert matching, text
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in matching)


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_guarded(text):
    assert cells.formula_like(text)
    assert cells.neutral(text) == "'" + text
    assert cells.restore(cells.neutral(text)) == text


@pytest.mark.parametrize("value", [-5, -1.5, 0, "-1.5", "+3", "-12,5", "Xã Tây", "", None, "'quoted"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert cells.neutral(value) == value
    if isinstance(value, str):
        assert cells.restore(value) == value


def test_a_workbook_keeps_numbers_as_numbers():
    from openpyxl import Workbook

    workbook = Workbook()
    cells.write_rows(workbook.active, [[-5, "-5", *HOSTILE]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = next(load_workbook(buffer).active.iter_rows())
    assert (row[0].value, row[0].data_type) == (-5, "n")
    assert (row[1].value, row[1].quotePrefix) == ("-5", False)
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in row[2:]] == [
        (text, "s", True) for text in HOSTILE
    ]


def test_feedback_export_keeps_a_citizens_formula_as_text(client, cast, at):  # noqa: F811
    at("2026-03-02 09:00")
    receive(cast, title=LINK)
    client.force_login(cast["reform_admin"])
    response = client.get(reverse("surveys:feedback-xlsx"))
    assert response.status_code == 200
    _assert_inert(response.getvalue(), LINK)


def test_sipas_results_workbook_keeps_a_unit_name_as_text(client, cast, answered):  # noqa: F811
    Unit.objects.filter(pk=cast["west_commune"].pk).update(name="@SUM(A1:A9)")
    client.force_login(cast["reform_admin"])
    response = client.get(reverse("surveys:results-xlsx", args=[answered.pk]))
    assert response.status_code == 200
    _assert_inert(response.getvalue(), "@SUM(A1:A9)")


def test_plan_workbook_keeps_task_text_as_text(province_plan):  # noqa: F811
    task = province_plan.tasks.order_by("order", "id").first()
    Task.objects.filter(pk=task.pk).update(text="-2+3 bấm vào đây")
    _assert_inert(spreadsheet.export_plan(province_plan), "-2+3 bấm vào đây")


def test_units_export_guards_names_and_imports_them_back_unchanged(cast):
    Unit.objects.filter(pk=cast["east_ward"].pk).update(name=LINK)
    table = importing.export_rows()
    text = importing.csv_bytes(table).decode("utf-8-sig")
    assert "'" + LINK in next(row for row in csv.reader(io.StringIO(text)) if cast["east_ward"].code in row)
    _assert_inert(importing.xlsx_bytes(table), LINK)
    files = ((importing.csv_bytes(table), "units.csv"), (importing.xlsx_bytes(table), "units.xlsx"))
    for content, name in files:
        records, errors = read_table(content, name, importing.COLUMNS, headings=importing.HEADINGS)
        assert not errors
        assert LINK in {record["name"] for record in records}


def test_criteria_csv_guards_text_but_not_negative_points(cast):
    source = criteria.load_default_set(actor=cast["reform_admin"], year=2025, unit_type="commune")
    source.criteria.filter(pk=source.criteria.order_by("pk").first().pk).update(title=LINK)
    text = criteria.export_csv(source).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert "'" + LINK in {cell for row in rows for cell in row}
    assert not [cell for row in rows for cell in row if cell.startswith("'") and cell != "'" + LINK]
    _assert_inert(criteria.export_xlsx(source), LINK)


def test_error_report_csv_guards_messages():
    content = error_report_csv([(2, "title", LINK), (3, "code", "-1")], 2).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1] == ["2", "title", "'" + LINK] and rows[2] == ["3", "code", "-1"]


# Raw writes that would bypass core.cells: a CSV writer, an openpyxl append, a cell given a value.
RAW_WRITES = re.compile(
    r"csv\.(writer|DictWriter)\(|\b(sheet|ws|worksheet)\.append\("
    r"|\.cell\([^)]*value=|\b(sheet|ws|worksheet)\[[^\]]+\]\s*="
)
TOOLS = {"core/cells.py"}  # the helper itself
NOT_EXPORTS = ("demo/", "bench/")  # sample files made from generated data, never from what people typed


def test_every_export_writes_through_the_one_helper():
    root = Path(cells.__file__).resolve().parents[1]
    offenders = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name in TOOLS or name.startswith(NOT_EXPORTS) or "/migrations/" in name:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RAW_WRITES.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []
