"""The brief as a one-page DOCX: the kit's A4 page (Nghị định 30/2020 margins, Times New Roman) at a
small body size, a centred title, each section's figures two to a row in a borderless table and
its tables as bordered grids. Word lays out the page itself; the content is kept short enough
(`from_overview` names at most five rows per table) for one sheet at 10 pt."""

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cchc.kit import docx
from cchc.web.brief.content import BriefContent, Section

BODY_SIZE = 10
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less the left (3 cm) and right (2 cm) margins


def render(content: BriefContent) -> bytes:
    document = docx.new_document(body_size=BODY_SIZE, page_numbers=False)
    docx.line(document, content.title.upper(), bold=True, size=14)
    docx.line(document, f"{content.unit_name} – {content.period_label}", bold=True, size=12)
    docx.line(document, content.as_of, italic=True).paragraph_format.space_after = Pt(6)
    for section in content.sections:
        _section(document, section)
    if content.footer:
        footer = docx.line(document, content.footer, italic=True, size=9, align=docx.LEFT)
        footer.paragraph_format.space_before = Pt(6)
    return docx.as_bytes(document)


def _section(document, section: Section) -> None:
    heading = docx.line(document, section.title, bold=True, align=docx.LEFT)
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(2)
    if section.figures:
        _figures(document, section)
    for table in section.tables:
        docx.grid(document, _columns(table.headers, table.widths), table.rows)
    if section.note:
        docx.line(document, section.note, italic=True, align=docx.LEFT)


def _figures(document, section: Section) -> None:
    """Two figures a row (label, value, label, value), borderless: half the lines of a list."""
    pairs = [section.figures[i : i + 2] for i in range(0, len(section.figures), 2)]
    table = document.add_table(rows=len(pairs), cols=4)
    table.autofit = False
    for row, pair in zip(table.rows, pairs, strict=True):
        for index, figure in enumerate(pair):
            label, value = row.cells[2 * index], row.cells[2 * index + 1]
            label.width, value.width = Cm(5.5), Cm(2.5)
            docx.cell_text(label, figure.label)
            paragraph = docx.cell_text(value, figure.value, bold=True, align=docx.LEFT)
            if figure.note:
                docx.line(value, f" {figure.note}", italic=True, size=8, align=docx.LEFT, paragraph=paragraph)


def _columns(headers, widths):
    """Widths in cm from the relative widths (the first column by default takes half the line)."""
    if not widths:
        rest = len(headers) - 1
        widths = (2.0, *([2.0 / rest] * rest)) if rest else (1.0,)
    total = sum(widths)
    return [
        (header, TEXT_WIDTH_CM * width / total, docx.LEFT if index == 0 else WD_ALIGN_PARAGRAPH.RIGHT)
        for index, (header, width) in enumerate(zip(headers, widths, strict=True))
    ]
