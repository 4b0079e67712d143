"""Vietnamese wording shared by the documents: names of bodies, dates, numbers and labels.

Documents are official papers in Vietnamese whatever the interface language, so these strings
are written here directly and never translated.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from cchc.plans.models import ReportSchedule, ReportStatus
from cchc.plans.reporting import LATE, MISSING, ON_TIME, PENDING
from cchc.units.models import Unit, UnitType

PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
# Units whose documents are issued by their People's Committee (a collective body: "TM." signs).
COMMITTEE_TYPES = (UnitType.PROVINCE, UnitType.DISTRICT, UnitType.COMMUNE)

STATUS: dict[str | None, str] = {
    None: "Chưa lập báo cáo",
    ReportStatus.DRAFT: "Đang soạn thảo",
    ReportStatus.SUBMITTED: "Chờ lãnh đạo đơn vị duyệt",
    ReportStatus.APPROVED: "Đã gửi, chờ tiếp nhận",
    ReportStatus.ACCEPTED: "Đã tiếp nhận",
    ReportStatus.RETURNED: "Trả lại để chỉnh sửa",
}
TIMELINESS: dict[str, str] = {
    ON_TIME: "Đúng hạn",
    LATE: "Trễ hạn",
    MISSING: "Chưa gửi (quá hạn)",
    PENDING: "Chưa đến hạn",
}
TARGET_UNITS = {"%": "%", "count": "số lượng", "tỷ đồng": "tỷ đồng", "rank": "thứ hạng"}
NO_AREA = "Nhiệm vụ khác"
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


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


def document_number(number: str, unit: Unit) -> str:
    """ "12" -> "Số: 12/BC-UBND"; a full number with its symbol is kept; empty leaves the gap that
    the clerk fills in when registering the document."""
    number = number.strip()
    if "/" in number:
        return f"Số: {number}"
    symbol = "BC-UBND" if is_committee(unit) else "BC"
    return f"Số: {number or ' ' * 6}/{symbol}"


def date_line(place: str, day: datetime.date) -> str:
    """Nghị định 30/2020: days below 10 and the months 1 and 2 are written with a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def period_label(schedule: ReportSchedule) -> str:
    year = schedule.period[:4]
    suffix = schedule.period[5:]
    if suffix.startswith("Q"):
        return f"quý {ROMAN.get(suffix[1:], suffix[1:])} năm {year}"
    return {
        "H1": f"6 tháng đầu năm {year}",
        "H2": f"6 tháng cuối năm {year}",
        "M9": f"9 tháng năm {year}",
    }.get(suffix, f"năm {year}")


def written_unit(unit: str) -> str:
    """What follows a figure in running text: " %" and " tỷ đồng" (joined by a no-break space so the
    figure and its unit stay on one line); counts and ranks need nothing."""
    return f"\u00a0{unit}" if unit in ("%", "tỷ đồng") else ""


def short_date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def number(value: Decimal | int | None, decimals: int = 1) -> str:
    """98.5 -> "98,5"; 100 -> "100"; 12500 -> "12.500"; None -> "—" (no data is not zero)."""
    if value is None:
        return "—"
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text
