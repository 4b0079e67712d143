"""The Vietnamese of official documents: how bodies name themselves, dates, numbers.

Documents are official papers in Vietnamese whatever the interface language, so these strings are
written here directly and never translated. The layout rules are those of Nghị định 30/2020/NĐ-CP.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from cchc.units.models import Unit, UnitType

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# Units whose documents are issued by their People's Committee (a collective body: "TM." signs).
COMMITTEE_TYPES = (UnitType.PROVINCE, UnitType.DISTRICT, UnitType.COMMUNE)
NO_DATA = "—"


def is_committee(unit: Unit) -> bool:
    return unit.type in COMMITTEE_TYPES


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def body_name(unit: Unit) -> str:
    """How the body names itself in running text: "Ủy ban nhân dân tỉnh Thử Nghiệm", "Sở Nội vụ"."""
    return f"Ủy ban nhân dân {lower_first(unit.name)}" if is_committee(unit) else unit.name


def heading_lines(unit: Unit) -> tuple[str, list[str]]:
    """(the superior body, regular type; the issuing body, bold), both in capitals."""
    if is_committee(unit):
        return "", [PEOPLES_COMMITTEE, unit.name.upper()]
    superior = unit.parent
    above = f"UBND {superior.name.upper()}" if superior is not None and is_committee(superior) else ""
    return above, [unit.name.upper()]


def document_number(number: str, unit: Unit, kind: str = "BC") -> str:
    """ "12" -> "Số: 12/BC-UBND"; a full number with its symbol is kept; empty leaves the gap that the
    clerk fills in when registering the document. `kind` is the document's type symbol (BC: báo cáo)."""
    number = number.strip()
    if "/" in number:
        return f"Số: {number}"
    symbol = f"{kind}-UBND" if is_committee(unit) else kind
    return f"Số: {number or ' ' * 6}/{symbol}"


def date_line(place: str, day: datetime.date) -> str:
    """Nghị định 30/2020: days below 10 and the months 1 and 2 are written with a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def written_unit(unit: str) -> str:
    """What follows a figure in running text: " %" and " tỷ đồng" (joined by a no-break space so the
    figure and its unit stay on one line); counts and ranks need nothing."""
    return f"\u00a0{unit}" if unit in ("%", "tỷ đồng") else ""


def number(value: Decimal | int | None, decimals: int = 1) -> str:
    """98.5 -> "98,5"; 100 -> "100"; 12500 -> "12.500"; None -> "—" (no data is not zero).
    Trailing zeros after the comma are dropped."""
    if value is None:
        return NO_DATA
    text = fixed(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def fixed(value: Decimal | int | None, decimals: int = 2) -> str:
    """Always `decimals` digits after the comma, as published indices are written: 93.3333 -> "93,33"."""
    if value is None:
        return NO_DATA
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
