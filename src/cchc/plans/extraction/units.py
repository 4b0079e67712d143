"""The unit written after a number: "%", "% per year", money ("tỷ đồng"), or a counted noun ("lần")."""

import re
from dataclasses import dataclass
from decimal import Decimal

PERCENT = "%"
PERCENT_PER_YEAR = "% per year"
RANK = "rank"

_PERCENT = re.compile(r"\s?(?:%|phần trăm\b)")
_PER_YEAR = re.compile(r"\s*(?:/\s*năm\b|mỗi năm\b|một năm\b|hằng năm\b|hàng năm\b)")
_MONEY = re.compile(
    r"\s?(?P<scale>nghìn tỷ|ngàn tỷ|tỷ|triệu|nghìn|ngàn)?\s?(?P<currency>đồng|VNĐ|VND|USD)(?!\w)"
    # "8.200 tỷ" alone is money too, but "tỷ lệ" (rate) and "tỷ trọng" (share) are not.
    r"|\s?(?P<bare>nghìn tỷ|ngàn tỷ|tỷ)(?!\w)(?!\s+(?:lệ|trọng|lượt|người|USD))",
    re.IGNORECASE,
)
_WORD = re.compile(r"\s+([^\W\d_]+)")
# Words that follow a number without being what it counts.
_NOT_UNIT = re.compile(
    r"và|hoặc|của|trong|trên|dưới|đến|tới|với|là|được|các|những|theo|tại|cho|so|đối|về|trở|thì|mà|để|do|đạt"
)
# Two-word nouns kept whole as the unit of a count: "05 ngày làm việc", "10 hồ sơ".
_COMPOUND_UNIT = re.compile(
    r"(?:ngày làm việc|hồ sơ|thủ tục|văn bản|cơ quan|đơn vị|sáng kiến|mô hình|hội nghị|lớp học|cán bộ"
    r"|công chức|viên chức|tin bài|chuyên đề|cuộc thi|dịch vụ|lượt người|buổi học)(?!\w)"
)
# Counts of the plan's own parts ("09 nhóm nhiệm vụ", "08 chỉ tiêu") and of time are not targets.
_STRUCTURAL = re.compile(
    r"lĩnh vực|nhóm|nhiệm vụ|chỉ tiêu|nội dung|mục tiêu|giải pháp|điều|khoản|chương|mục|phần|tiêu chí|bước"
    r"|năm|tháng|quý"
)


@dataclass(frozen=True)
class Quantity:
    unit: str
    value: Decimal
    end: int  # where the unit ends in the text

    @property
    def is_percentage(self) -> bool:
        return self.unit in (PERCENT, PERCENT_PER_YEAR)

    @property
    def is_money(self) -> bool:
        return self.unit.endswith(("đồng", "USD"))


def is_percent_at(text: str, position: int) -> bool:
    return bool(_PERCENT.match(text, position))


def unit_after(text: str, end: int, value: Decimal) -> Quantity | None:
    """The unit written after the number that ends at `end`, with the value converted to it.

    "nghìn tỷ đồng" becomes "tỷ đồng" (the value times 1,000) so that money is compared in one unit.
    """
    percent = _PERCENT.match(text, end)
    if percent:
        per_year = _PER_YEAR.match(text, percent.end())
        if per_year:
            return Quantity(PERCENT_PER_YEAR, value, per_year.end())
        return Quantity(PERCENT, value, percent.end())
    money = _MONEY.match(text, end)
    if money:
        scale = (money.group("scale") or money.group("bare") or "").lower().replace("ngàn", "nghìn")
        currency = money.group("currency") or "đồng"
        currency = "đồng" if currency.upper() in ("VNĐ", "VND") else currency
        if scale == "nghìn tỷ":
            scale, value = "tỷ", value * 1000
        return Quantity(f"{scale} {currency}".strip(), value, money.end())
    word = _WORD.match(text, end)
    if word is None or not word.group(1).islower() or _NOT_UNIT.fullmatch(word.group(1)):
        return None
    compound = _COMPOUND_UNIT.match(text, word.start(1))
    if compound:
        return Quantity(compound.group(0), value, compound.end())
    if text.startswith("/năm", word.end()):
        return Quantity(word.group(1) + "/năm", value, word.end() + len("/năm"))
    return Quantity(word.group(1), value, word.end())


def is_structural(unit: str) -> bool:
    """A count of the plan's own parts or of time, never a target by itself."""
    return bool(_STRUCTURAL.fullmatch(unit))
