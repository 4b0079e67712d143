"""What a brief says, as text ready to print: the overview's figures formatted once, here, so that
the DOCX and the PDF show the same words and the same numbers, formatted as the overview page
formats them (the `cchc_format` filters).

The renderers (`docx.py`, `pdf.py`) know nothing of the overview; `from_overview` is the one place
that reads it.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One headline number: "Tỷ lệ hồ sơ đúng hạn" – "97,5 %" (– "chỉ tiêu 95,0 %")."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A short table (the worst targets, the units with most overdue tasks…)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Relative column widths, the first column taking the rest of the line.
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Section:
    title: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    # Said when the section has nothing to show ("Chưa có số liệu…").
    note: str = ""


@dataclass(frozen=True)
class BriefContent:
    title: str
    unit_name: str
    period_label: str
    as_of: str  # dd/mm/yyyy
    sections: tuple[Section, ...] = field(default_factory=tuple)
    footer: str = ""

    def texts(self) -> list[str]:
        """Every string the brief prints, in reading order (for tests and for plain-text e-mail)."""
        out = [self.title, self.unit_name, self.period_label, self.as_of]
        for section in self.sections:
            out.append(section.title)
            for figure in section.figures:
                out += [figure.label, figure.value] + ([figure.note] if figure.note else [])
            for table in section.tables:
                out += list(table.headers)
                for row in table.rows:
                    out += list(row)
            if section.note:
                out.append(section.note)
        if self.footer:
            out.append(self.footer)
        return out
