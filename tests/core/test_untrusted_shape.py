"""The shape of an XLSX's XML is judged by an XML parser, not by counting "<" and "/>": text and
attribute values may hold ">" and "/>", and one row of a sheet may not hold millions of elements
(openpyxl keeps a row's elements until it ends, a few hundred bytes each)."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from cchc.core import tables, untrusted


def _zip(members: dict[str, bytes], pad: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if pad:  # incompressible bytes keep the file under the compression-ratio limit
            archive.writestr("xl/media/pad.bin", bytes(range(256)) * (pad // 256), zipfile.ZIP_STORED)
    return buffer.getvalue()


def _sheet(row: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a'
        b"</t></is></c></row>" + row + b"</sheetData></worksheet>"
    )


def test_a_row_of_a_million_empty_elements_is_refused_before_openpyxl_reads_it(settings):
    settings.CCHC_TABLE_MAX_COLUMNS = 500
    row = b'<row r="2">' + b"<x/>" * 1_000_000 + b"</row>"
    content = _zip({"xl/worksheets/sheet1.xml": _sheet(row)}, pad=60_000)
    with pytest.raises(untrusted.UntrustedFile, match="32000"):
        untrusted.check_zip(content, kind="XLSX")


def test_a_shared_string_of_a_million_runs_is_refused(settings):
    settings.CCHC_TABLE_MAX_COLUMNS = 500
    strings = b"<sst><si>" + b"<r><t>a</t></r>" * 300_000 + b"</si></sst>"
    with pytest.raises(untrusted.UntrustedFile):
        untrusted.check_zip(_zip({"xl/sharedStrings.xml": strings}, pad=60_000), kind="XLSX")


@pytest.mark.parametrize(
    "part",
    [
        b"<r>" + b"<a>/>" * 50 + b"</r>",  # "/>" in text is no end of an element
        b"<r>" + b'<a x="/>">' * 50 + b"</r>",  # nor in an attribute value
    ],
    ids=["text", "attribute"],
)
def test_markup_like_text_does_not_hide_the_depth(settings, part):
    settings.CCHC_XML_MAX_DEPTH = 20
    with pytest.raises(untrusted.UntrustedFile):
        untrusted.check_zip(_zip({"xl/worksheets/sheet1.xml": part}), kind="XLSX")


def test_a_part_with_a_dtd_is_refused():
    part = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>'
    with pytest.raises(untrusted.UntrustedFile):
        untrusted.check_zip(_zip({"xl/workbook.xml": part}), kind="XLSX")


def test_an_ordinary_wide_workbook_still_reads(settings):
    settings.CCHC_TABLE_MAX_COLUMNS = 500
    book = Workbook()
    book.active.append([f"cot_{number}" for number in range(500)])
    book.active.append([f"Giá trị {number} =1+1 /> <b>" for number in range(500)])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, errors = tables.read_table(buffer.getvalue(), "rong.xlsx", ["cot_0"], ("cot_499",))
    assert errors == [] and rows[0]["cot_499"] == "Giá trị 499 =1+1 /> <b>"


@pytest.mark.parametrize(
    ("name", "part"),
    [
        (
            "xl/elsewhere.xml",
            b"<worksheet><sheetData><row>" + b"<x/>" * 40_000 + b"</row></sheetData></worksheet>",
        ),
        (
            "xl/worksheets/sheet1.xml",
            b"<worksheet><x:row xmlns:x='urn:x'>" + b"<x/>" * 40_000 + b"</x:row></worksheet>",
        ),
        ("xl/strings.xml", b"<sst><si>" + b"<t>a</t>" * 40_000 + b"</si></sst>"),
    ],
    ids=["sheet-at-another-path", "shallow-prefixed-row", "strings-at-another-path"],
)
def test_a_row_is_known_by_its_name_wherever_the_workbook_puts_it(settings, name, part):
    settings.CCHC_TABLE_MAX_COLUMNS = 500
    with pytest.raises(untrusted.UntrustedFile, match="32000"):
        untrusted.check_zip(_zip({name: part}, pad=4_000), kind="XLSX")


def test_elements_outside_the_rows_are_bounded_too():
    """openpyxl keeps every element of a sheet it does not clear until the sheet ends: four million
    empty elements after the rows took 9 seconds and 370 MB to read."""
    part = b"<worksheet><sheetData><row/></sheetData>" + b"<x/>" * 1_000_001 + b"</worksheet>"
    with pytest.raises(untrusted.UntrustedFile, match="1000000"):
        untrusted.check_zip(_zip({"xl/worksheets/sheet1.xml": part}, pad=50_000), kind="XLSX")
