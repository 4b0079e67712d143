"""Word documents in the layout of Nghị định 30/2020/NĐ-CP: page, fonts, the national heading,
paragraphs and tables.

The page is A4 portrait with margins top 2 cm, bottom 2 cm, left 3 cm, right 2 cm (the decree allows
2–2.5, 2–2.5, 3–3.5 and 1.5–2 cm), Times New Roman throughout; the caller chooses the body size
(the plan report 14 pt, the PAR Index annex and the SIPAS report 13 pt) and whether pages are numbered.
"""

import datetime
import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from cchc.kit import wording
from cchc.units.models import Unit

FONT = "Times New Roman"
LEFT, CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY


def new_document(*, body_size: float = 14, page_numbers: bool = True) -> DocumentObject:
    """An empty A4 document with the decree's margins and font; page numbers centred in the top
    margin from page 2 on, as the decree asks."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(body_size)
    # python-docx fills only the Latin font slots; Vietnamese letters may be drawn from the others.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)
    if page_numbers:
        _page_numbers(section)
    return document


def _page_numbers(section: Section) -> None:
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def as_bytes(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def line(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: Any = CENTER,
    paragraph: Paragraph | None = None,
) -> Paragraph:
    """One run of text in a new paragraph of `container` (a document or a table cell), or in the
    given `paragraph`. Without `size` the text takes the document's body size."""
    paragraph = paragraph or container.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def body_paragraph(document: DocumentObject, text: str, *, bold: bool = False) -> Paragraph:
    """Running text: justified, 1 cm first-line indent, 6 pt after."""
    paragraph = line(document, text, bold=bold, align=JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def first_paragraph(cell: _Cell) -> Paragraph:
    """A new cell holds one empty paragraph: write into it rather than leave a blank line."""
    return cell.paragraphs[0]


def cell_text(cell: _Cell, text: str, *, bold: bool = False, align: Any = LEFT) -> Paragraph:
    return line(cell, text, bold=bold, align=align, paragraph=first_paragraph(cell))


def two_columns(document: DocumentObject, left: float, right: float, rows: int = 1) -> Table:
    """A borderless table (python-docx's default table style has none) of fixed widths in cm."""
    table = document.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(left), Cm(right)
    return table


def grid(
    document: DocumentObject,
    columns: Sequence[tuple[str, float, Any]],
    rows: Sequence[Sequence[str]],
) -> Table:
    """A bordered table: `columns` gives each header, its width in cm and the alignment of its cells;
    headers are bold and centred."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, (header, width, _align) in zip(table.rows[0].cells, columns, strict=True):
        cell.width = Cm(width)
        cell_text(cell, header, bold=True, align=CENTER)
    for values in rows:
        for cell, text, (_header, width, align) in zip(table.add_row().cells, values, columns, strict=True):
            cell.width = Cm(width)
            cell_text(cell, text, align=align)
    return table


def national_heading(
    document: DocumentObject, unit: Unit, *, number: str, place: str, day: datetime.date, kind: str = "BC"
) -> None:
    """The decree's heading: the issuing body (under its superior) on the left, the national title and
    motto on the right, then the document number and the place and date."""
    table = two_columns(document, 6, 10, rows=2)
    left, right = table.rows[0].cells
    superior, body = wording.heading_lines(unit)
    paragraph = first_paragraph(left)
    if superior:
        line(left, superior, size=13, paragraph=paragraph)
        paragraph = left.add_paragraph()
    line(left, "\n".join(body), bold=True, size=13, paragraph=paragraph)
    line(right, wording.NATION, bold=True, size=12, paragraph=first_paragraph(right))
    line(right, wording.MOTTO, bold=True, size=13)
    number_cell, date_cell = table.rows[1].cells
    line(
        number_cell,
        wording.document_number(number, unit, kind),
        size=13,
        paragraph=first_paragraph(number_cell),
    )
    line(date_cell, wording.date_line(place, day), italic=True, size=13, paragraph=first_paragraph(date_cell))
