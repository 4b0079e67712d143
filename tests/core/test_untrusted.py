"""The limits of cchc.core.untrusted and the bounded sheet reading of cchc.core.tables, one by one
(tests/test_hostile_files.py throws whole hostile files at the upload pages)."""

import codecs
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from cchc.core import tables, untrusted
from cchc.core.untrusted import TableLimits


@pytest.mark.parametrize(
    "content",
    [
        "Sở Y tế".encode(),
        codecs.BOM_UTF8 + "Sở Y tế".encode(),
        codecs.BOM_UTF16_LE + "Sở Y tế".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Sở Y tế".encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 with its mark", "utf-16 le with its mark", "utf-16 be with its mark"],
)
def test_the_text_encodings_that_are_read(content):
    assert untrusted.decode_text(content) == "Sở Y tế"


@pytest.mark.parametrize(
    "content",
    [
        "Sơn La".encode("cp1258"),
        "Sở Y tế".encode("utf-16-le"),  # no mark: reads as "UTF-8" full of NUL characters
        codecs.BOM_UTF16_LE + b"\x00\xd8",  # a lone surrogate
    ],
    ids=["windows-1258", "utf-16 without its mark", "broken utf-16"],
)
def test_text_that_does_not_decode_cleanly_is_refused(content):
    with pytest.raises(untrusted.UntrustedFile, match="CSV UTF-8"):
        untrusted.decode_text(content)


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_xml_depth_is_measured_to_the_level(settings):
    settings.CCHC_XML_MAX_DEPTH = 10

    def nested(depth: int) -> bytes:
        return b'<?xml version="1.0"?>' + b"<a x='1'>" * depth + b"<b/>" + b"</a>" * depth

    untrusted.check_zip(_zip(**{"part.xml": nested(9)}), kind="XLSX")  # nine <a> and a <b/>: ten deep
    with pytest.raises(untrusted.UntrustedFile):
        untrusted.check_zip(_zip(**{"part.xml": nested(10)}), kind="XLSX")


def test_xml_depth_carries_across_the_pieces_it_is_read_in(settings):
    settings.CCHC_XML_MAX_DEPTH = 3
    filler = b"<p>" + b"x" * (2**20 - 4)  # the second <p> opens right after the first megabyte
    part = b"<r>" + filler + b"<p><q>deep</q></p></p></r>"
    with pytest.raises(untrusted.UntrustedFile):
        untrusted.check_zip(_zip(**{"part.xml": part}), kind="XLSX")


def test_the_compression_ratio_is_not_judged_on_small_files():
    untrusted.check_zip(_zip(**{"part.xml": b"<a>" + b" " * 500_000 + b"</a>"}), kind="XLSX")


def _sheet(rows) -> object:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).worksheets[0]


def test_sheet_rows_are_as_wide_as_the_header():
    """Cells right of the header are never read: a row is padded to the header's width, not to
    the limit's or to a stray cell's."""
    sheet = _sheet([["code", "name"], ["A", "B"], ["C", None, None, None, "stray"], [], ["D"]])
    limits = TableLimits(rows=None, columns=500, cell_chars=100)
    assert list(tables.sheet_rows(sheet, limits)) == [
        ("code", "name"),
        ("A", "B"),
        ("C", None),
        (None, None),
        ("D", None),
    ]


def test_a_header_wider_than_the_limit_is_refused():
    sheet = _sheet([["c"] * 6])
    with pytest.raises(untrusted.UntrustedFile):
        list(tables.sheet_rows(sheet, TableLimits(rows=None, columns=5, cell_chars=100)))
    assert len(next(tables.sheet_rows(sheet, TableLimits(rows=None, columns=6, cell_chars=100)))) == 6


def test_bounded_rows_number_the_rows_and_stop_at_the_limits():
    limits = TableLimits(rows=2, columns=3, cell_chars=4)
    assert list(tables.bounded_rows([("a", "b"), ("x", None), (None, None)], limits)) == [
        (1, ["a", "b"]),
        (2, ["x", None]),
        (3, []),
    ]
    with pytest.raises(untrusted.UntrustedFile):
        list(tables.bounded_rows([("a",)] * 4, limits))  # a header and three rows
    with pytest.raises(untrusted.UntrustedFile):
        list(tables.bounded_rows([("a", "b", "c", "d")], limits))
    with pytest.raises(untrusted.UntrustedFile) as refused:
        list(tables.bounded_rows([("a", "b"), ("x", "12345")], limits))
    assert (refused.value.row, refused.value.column) == (2, "B")
