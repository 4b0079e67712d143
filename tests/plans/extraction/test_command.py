"""`cchc plans extract FILE [--json]`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.plans.extraction.documents import plan_docx, scanned_pdf

PLAN = (
    "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2026\n"
    "1. Cải cách thủ tục hành chính\n"
    "- Tỷ lệ hồ sơ trực tuyến đạt trên 55%, tỷ lệ hồ sơ trễ hạn dưới 1,5%.\n"
    "- Công khai quy trình nội bộ (Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp; "
    "hoàn thành trong Quý I/2026).\n"
)


def run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("plans", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_json_has_the_documented_shape(plan_file):
    data = json.loads(run("extract", str(plan_file), "--json"))
    assert set(data) == {"areas", "targets", "tasks"}
    assert [area["title"] for area in data["areas"]] == ["Cải cách thủ tục hành chính"]
    assert [(t["comparator"], t["value"], t["unit"]) for t in data["targets"]] == [
        (">", 55, "%"),
        ("<", 1.5, "%"),
    ]
    for target in data["targets"]:
        assert {"text", "comparator", "value", "unit", "scope"} <= set(target)
    assert data["targets"][0]["text"] == "Tỷ lệ hồ sơ trực tuyến đạt trên 55%"
    [task] = data["tasks"]
    assert {"text", "lead_unit", "coordinating_units", "deadline", "product"} <= set(task)
    assert (task["lead_unit"], task["coordinating_units"], task["deadline"]) == (
        "Sở Nội vụ",
        ["Sở Tư pháp"],
        "Quý I/2026",
    )


def test_the_summary_lists_areas_targets_and_tasks(plan_file):
    output = run("extract", str(plan_file))
    assert "Areas (1):\n  1. Cải cách thủ tục hành chính\n" in output
    assert (
        "  1. > 55%: Tỷ lệ hồ sơ trực tuyến đạt trên 55%\n  2. < 1,5%: tỷ lệ hồ sơ trễ hạn dưới 1,5%\n"
        in output
    )
    assert "lead: Sở Nội vụ; coordinating: Sở Tư pháp; deadline: Quý I/2026" in output


def test_a_docx_file_is_read(tmp_path):
    data = json.loads(run("extract", str(plan_docx(tmp_path / "ke-hoach.docx")), "--json"))
    assert [task["lead_unit"] for task in data["tasks"]] == ["Sở Tư pháp"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path / "missing.docx", "File not found"),
        (lambda path: scanned_pdf(path / "ban-scan.pdf"), "ban-scan.pdf is a scanned PDF with no text layer"),
        (lambda path: _write(path / "bang.xlsx", b"PK"), "bang.xlsx is not a supported file type"),
        (lambda path: _write(path / "hong.docx", b"garbage"), "hong.docx could not be read"),
    ],
)
def test_a_bad_file_is_a_command_error_that_says_what_to_do(tmp_path, make, message):
    with pytest.raises(CommandError, match=message):
        run("extract", str(make(tmp_path)))


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
