"""Reading a plan document (plain text, DOCX, or PDF with a text layer) into plain text.

DOCX paragraphs and tables come out in document order: a table row becomes one line with its cells
separated by " | ", so an appendix's task table can be read row by row. A heading-styled paragraph is
marked with "#" per level ("## " for Heading 2) because Word's automatic numbering ("I.", "1.") is not
part of the paragraph's text; a numbered or bulleted list paragraph gets "- " for the same reason.

A document is bounded before it is parsed (`cchc.core.untrusted`): a DOCX by its ZIP directory (the
inflated size, and the XML python-docx holds as a tree), a PDF by its number of pages.
"""

import io
import os
import unicodedata
from pathlib import Path

import docx
from django.conf import settings
from django.utils.translation import gettext as _
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from cchc.core import untrusted
from cchc.plans.extraction.text import CELL_SEPARATOR, normalise

TEXT_SUFFIXES = {".txt", ".text", ".md"}
SUPPORTED = ".txt, .docx, .pdf"
# A PDF whose pages carry fewer letters than this on average has no real text layer.
MIN_LETTERS_PER_PAGE = 20


class DocumentError(ValueError):
    """A file that cannot be read as a plan document; `filename` says which."""

    def __init__(self, message: str, filename: str = ""):
        super().__init__(message)
        self.filename = filename


class UnsupportedFileType(DocumentError):
    """Neither plain text, DOCX nor PDF (for example an old binary .doc)."""


class ScannedPdf(DocumentError):
    """A PDF made of page images: it has to go through OCR before its text can be read."""


class UnreadableDocument(DocumentError):
    """The file says it is a DOCX or PDF but is damaged, encrypted or something else."""


class RefusedDocument(UnreadableDocument):
    """The file breaks a limit (a compression bomb, too many pages, macros); the message says which,
    in the site's language."""


def read_text(source: str | os.PathLike[str] | bytes, filename: str | None = None) -> str:
    """The text of a plan document given as a path, or as bytes with its file name."""
    if isinstance(source, bytes):
        data, name = source, filename or ""
    else:
        path = Path(source)
        data, name = path.read_bytes(), filename or path.name
    kind = _kind(data, name)
    if kind == "pdf":
        text = _read_pdf(data, name)
    elif kind == "docx":
        text = _read_docx(data, name)
    else:
        text = decode_text(data)
    return normalise(text)


def _kind(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".docx":
        return "docx"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix:
        raise UnsupportedFileType(f"Unsupported file type {suffix!r}; use {SUPPORTED}.", name)
    # No suffix (an upload without a name): recognise the content.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFileType(f"Unrecognised binary file; use {SUPPORTED}.", name)
    return "text"


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258 (Vietnamese).

    Decoded strictly: bytes that are not text in the encoding found refuse the file
    (`RefusedDocument`) rather than turn into U+FFFD in the plan's tasks."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
            return data.decode("utf-16-le")  # UTF-16 saved without a BOM
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        # Windows-1258 writes tone marks as combining characters; NFC folds them into the letters.
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as error:
        raise RefusedDocument(
            _("The text is not in UTF-8, UTF-16 or Windows-1258. Save the file as UTF-8 text and try again.")
        ) from error


def _read_pdf(data: bytes, name: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("This PDF is password-protected.", name)
        limit = settings.CCHC_PDF_MAX_PAGES
        if len(reader.pages) > limit:
            raise RefusedDocument(
                _("The PDF has %(count)s pages; at most %(limit)s can be read.")
                % {"count": len(reader.pages), "limit": limit},
                name,
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableDocument:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on damaged files; all mean the same here
        raise UnreadableDocument(f"Not a readable PDF: {error}", name) from error
    letters = sum(char.isalpha() for page in pages for char in page)
    if letters < MIN_LETTERS_PER_PAGE * max(len(pages), 1):
        raise ScannedPdf(
            "This PDF has no text layer: it is a scanned image. Run it through OCR first "
            "(or upload the DOCX the plan was written in).",
            name,
        )
    return "\n".join(pages)


def _read_docx(data: bytes, name: str) -> str:
    try:
        untrusted.check_zip(data, kind="DOCX", max_xml=settings.CCHC_DOCX_MAX_XML_BYTES)
    except untrusted.UntrustedFile as error:
        raise RefusedDocument(str(error), name) from error
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # zipfile, lxml and python-docx each raise their own kinds
        raise UnreadableDocument(f"Not a readable DOCX file: {error}", name) from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            lines.append("")
        else:
            lines.append(_paragraph_line(block))
    return "\n".join(lines)


def _paragraph_line(paragraph: Paragraph) -> str:
    text = paragraph.text.strip()
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if text and style.startswith(("Heading", "Title")):
        level = style.removeprefix("Heading").strip()
        return "#" * (int(level) if level.isdigit() else 1) + " " + text
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if text and (numbered or style.startswith("List")):
        return "- " + text  # the item's number or bullet is drawn by Word, not written in the text
    return text


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            # A cell merged across columns is returned once per column: keep its text in the first.
            cells.append("" if previous is not None and cell._tc is previous._tc else _cell_text(cell))
            previous = cell
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells))
    return lines


def _cell_text(cell: _Cell) -> str:
    paragraphs = [paragraph.text.strip() for paragraph in cell.paragraphs]
    return "; ".join(text for text in paragraphs if text).replace("|", "/")
