"""Limits for files people upload, checked before any parser sees the file.

A spreadsheet or document from outside is untrusted: a few megabytes of ZIP can inflate to gigabytes,
a header row can hold a million columns, a cell a novel, and bytes in a legacy code page decode to
replacement characters without any error. Every import asks this module first:

- `check_size`: the upload itself (CCHC_UPLOAD_MAX_BYTES for the small imports).
- `check_zip`: an XLSX or DOCX container, from its directory alone, before openpyxl or python-docx
  opens it: members, declared inflated size, compression ratio and, for DOCX, the XML python-docx
  would hold in memory. The declared sizes can be trusted as a bound because Python's zipfile, which
  both libraries read through, never returns more bytes than a member declares (a member that
  inflates further fails its CRC check, and the file is refused as damaged). Then the shape of every
  XML part, read by expat without building anything: its nesting depth (openpyxl's streaming parser
  has no depth limit), and in an XLSX the elements of one row or one shared string, and of the parts
  openpyxl builds whole (workbook, styles): openpyxl keeps a row's elements until the row ends, a
  few hundred bytes each, so one row of a million empty elements costs gigabytes within the
  inflated-size limit. A DTD is refused (office files have none; entities could expand).
- `decode_text`: UTF-8 (with or without BOM) or UTF-16 with a BOM, decoded strictly; anything else is
  refused with a message telling the person how to save the file, never turned into U+FFFD.
- `TableLimits`: rows, columns and cell length of a table.

Each refusal is an `UntrustedFile` whose text is ready to show (gettext, so Vietnamese on the site).
"""

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class UntrustedFile(ValueError):
    """The file breaks a limit or is not what it claims; the message says which, in words, and
    `row` and `column` where, when it is one cell of a table."""

    def __init__(self, message: str, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.row = row
        self.column = column


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def upload_max_bytes() -> int:
    return _setting("CCHC_UPLOAD_MAX_BYTES", 20 * 2**20)


def check_size(size: int, limit: int | None = None) -> None:
    limit = upload_max_bytes() if limit is None else limit
    if size > limit:
        raise UntrustedFile(
            _("The file is %(size)s; at most %(limit)s can be uploaded here. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


# -- ZIP containers (XLSX, DOCX) -------------------------------------------------------------------

# Ratios below this are never suspicious: small members (styles, a short sheet) compress very well.
_RATIO_FREE_BYTES = 2**20


def check_zip(
    data: bytes | io.BufferedIOBase,
    *,
    kind: str,
    max_inflated: int | None = None,
    max_xml: int | None = None,
) -> None:
    """Refuse a ZIP-based file whose directory promises more than the limits allow, or whose XML
    nests deeper than CCHC_XML_MAX_DEPTH.

    `kind` names the format in messages ("XLSX", "DOCX"). `max_inflated` defaults to
    CCHC_ZIP_MAX_INFLATED_BYTES; `max_xml` bounds the XML members alone (parsers that build a tree
    of the whole XML need several times its size in memory). The sizes are judged from the central
    directory alone; only a file within them has its XML parts read (inflated a megabyte at a time,
    never parsed) to measure their depth.
    """
    max_inflated = (
        _setting("CCHC_ZIP_MAX_INFLATED_BYTES", 64 * 2**20) if max_inflated is None else max_inflated
    )
    max_ratio = _setting("CCHC_ZIP_MAX_RATIO", 100)
    max_members = _setting("CCHC_ZIP_MAX_MEMBERS", 10_000)
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UntrustedFile(
            _("The file is not a valid %(kind)s file (it may be damaged or of another type).")
            % {"kind": kind}
        ) from error
    if len(members) > max_members:
        raise UntrustedFile(
            _("The %(kind)s file holds %(count)s parts; at most %(limit)s are accepted.")
            % {"kind": kind, "count": len(members), "limit": max_members}
        )
    inflated = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    xml = sum(member.file_size for member in members if member.filename.endswith((".xml", ".rels")))
    too_big = inflated > max_inflated or (max_xml is not None and xml > max_xml)
    suspicious = inflated > _RATIO_FREE_BYTES and inflated > max_ratio * max(packed, 1)
    if too_big or suspicious:
        raise UntrustedFile(
            _(
                "The %(kind)s file unpacks to %(size)s, more than this system accepts (%(limit)s) or far "
                "more than its own size: it may be a compression bomb. Save only the data needed in a "
                "new file and try again."
            )
            % {
                "kind": kind,
                "size": filesizeformat(inflated),
                "limit": filesizeformat(min(max_inflated, max_xml) if max_xml is not None else max_inflated),
            }
        )
    macros = [member.filename for member in members if member.filename.lower().endswith("vbaproject.bin")]
    if macros:
        raise UntrustedFile(
            _("The %(kind)s file contains macros; save it as a plain workbook or document without macros.")
            % {"kind": kind}
        )
    max_depth = _setting("CCHC_XML_MAX_DEPTH", 256)
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    whole, max_elements = _element_limits(kind, member.filename)
                    with archive.open(member) as part:
                        broken, limit = _xml_breaks_limits(part, max_depth, whole, max_elements)
                    if broken == _DEEP:
                        raise UntrustedFile(
                            _(
                                "The %(kind)s file nests its parts more than %(limit)s levels deep: "
                                "it is damaged or built to harm."
                            )
                            % {"kind": kind, "limit": max_depth}
                        )
                    if broken == _WIDE:
                        raise UntrustedFile(
                            _(
                                "The %(kind)s file has a row or a part of more than %(limit)s elements: "
                                "it is damaged or built to harm."
                            )
                            % {"kind": kind, "limit": limit}
                        )
                    if broken is not None:
                        raise UntrustedFile(
                            _("The file is not a valid %(kind)s file (it may be damaged or of another type).")
                            % {"kind": kind}
                        )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        if isinstance(error, UntrustedFile):
            raise
        raise UntrustedFile(
            _("The file is not a valid %(kind)s file (it may be damaged or of another type).")
            % {"kind": kind}
        ) from error


# What `_xml_breaks_limits` found wrong with a part.
_DEEP, _WIDE, _MALFORMED = "deep", "wide", "malformed"

# Elements one row of a sheet may hold per column of the table limit: a cell is two or three
# (<c><v>, <c><is><t>), a rich-text cell a few more per run.
_ROW_ELEMENTS_PER_COLUMN = 64
# Elements of a part openpyxl builds whole (a workbook's styles: Excel allows 64,000 formats).
_WHOLE_PART_ELEMENTS = 1_000_000
_WHOLE_PARTS = re.compile(
    r"xl/workbook\.xml|xl/styles\.xml|\[Content_Types\]\.xml|docProps/[^/]+\.xml|.*\.rels"
)
# What openpyxl reads one at a time, keeping all of it until it ends: a row of a sheet, a shared
# string. Known by name, wherever it sits: a workbook may name any part as a sheet or the strings.
_UNITS = frozenset({"row", "si"})


def _element_limits(kind: str, name: str) -> tuple[bool, int | None]:
    """For one XML part: whether its elements are counted as a whole (a part openpyxl builds whole) or
    within each row and shared string, and how many there may be; None when only the depth counts."""
    if kind != "XLSX":
        return False, None
    if _WHOLE_PARTS.fullmatch(name):
        return True, _WHOLE_PART_ELEMENTS
    return False, _ROW_ELEMENTS_PER_COLUMN * max(_setting("CCHC_TABLE_MAX_COLUMNS", 500), 16)


class _Broken(Exception):
    def __init__(self, reason: str, limit: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.limit = reason, limit


def _xml_breaks_limits(
    stream: io.BufferedIOBase, max_depth: int, whole: bool, max_elements: int | None
) -> tuple[str | None, int | None]:
    """Why the XML breaks its limits (`_DEEP`, `_WIDE`, `_MALFORMED`, or None) and the limit it
    broke; read a megabyte at a time by expat, which builds nothing and stops at the first element
    over a limit.

    `max_elements` bounds the elements of the whole part (`whole`), or else those inside each row
    or shared string (`_UNITS`, whatever its namespace prefix), while the elements outside them are
    bounded like a whole part: openpyxl keeps every element it does not clear, a row's shell
    included, until the part ends. Expat, not a scan for "<" and "/>",
    tells tags from text: text and attribute values may hold ">" and "/>", which fool a count of
    characters.
    """
    parser = expat.ParserCreate()
    depth = counted = outside = unit_at = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth, counted, outside, unit_at
        depth += 1
        if depth > max_depth:
            raise _Broken(_DEEP, max_depth)
        if max_elements is None:
            return
        if whole or unit_at:
            counted += 1
            if counted > max_elements:
                raise _Broken(_WIDE, max_elements)
        elif name.rpartition(":")[2] in _UNITS:
            unit_at, counted = depth, 0
        else:
            outside += 1
            if outside > _WHOLE_PART_ELEMENTS:
                raise _Broken(_WIDE, _WHOLE_PART_ELEMENTS)

    def end(name: str) -> None:
        nonlocal depth, unit_at
        if depth == unit_at:
            unit_at = 0
        depth -= 1

    def doctype(*args: object) -> None:
        raise _Broken(_MALFORMED)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.ordered_attributes = True
    try:
        while chunk := stream.read(2**20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Broken as broken:
        return broken.reason, broken.limit
    except expat.ExpatError:
        return _MALFORMED, None
    return None, None


# -- text ----------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def not_utf8_message() -> str:
    return _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")


def text_encoding(head: bytes) -> tuple[str, int]:
    """The encoding the file declares by its byte-order mark (UTF-8 without one) and the mark's length."""
    for mark, encoding in _BOMS:
        if head.startswith(mark):
            return encoding, len(mark)
    return "utf-8", 0


def decode_text(data: bytes) -> str:
    """The text of an uploaded text file, decoded strictly; `UntrustedFile` when it is not clean text.

    A NUL character never belongs in a table: UTF-16 saved without its mark decodes as "UTF-8" full
    of them, so it is refused here rather than read as garbage.
    """
    encoding, skip = text_encoding(data[:4])
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        raise UntrustedFile(not_utf8_message()) from error
    if "\x00" in text:
        raise UntrustedFile(not_utf8_message())
    return text


# -- tables --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableLimits:
    """How big a table may be; None means no limit (the one-stop import takes millions of rows)."""

    rows: int | None
    columns: int
    cell_chars: int

    @classmethod
    def from_settings(cls, *, rows: bool = True) -> "TableLimits":
        return cls(
            rows=_setting("CCHC_TABLE_MAX_ROWS", 200_000) if rows else None,
            columns=_setting("CCHC_TABLE_MAX_COLUMNS", 500),
            cell_chars=_setting("CCHC_CELL_MAX_CHARS", 32_767),
        )

    def too_many_rows(self) -> UntrustedFile:
        return UntrustedFile(
            _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": self.rows}
        )

    def too_many_columns(self, count: int | None = None) -> UntrustedFile:
        if count is None:
            return UntrustedFile(_("The file has more than %(limit)s columns.") % {"limit": self.columns})
        return UntrustedFile(
            _("The file has %(count)s columns; at most %(limit)s are accepted.")
            % {"count": count, "limit": self.columns}
        )

    def cell_too_long(self, row: int | None = None, column: str = "") -> UntrustedFile:
        if row is None:
            return UntrustedFile(
                _("A cell holds more than %(limit)s characters.") % {"limit": self.cell_chars}
            )
        return UntrustedFile(
            _("Row %(row)s: the cell “%(column)s” holds more than %(limit)s characters.")
            % {"row": row, "column": column, "limit": self.cell_chars},
            row,
            column,
        )
