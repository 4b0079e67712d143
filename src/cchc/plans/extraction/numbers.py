"""Numbers written the Vietnamese way: "97,5" is 97.5 and "8.200" is eight thousand two hundred.

Official documents use a comma for decimals and a dot between groups of three digits. A dot that is not
followed by exactly three digits ("98.5", "4.0") can only be a decimal point, so it is read as one;
"1.500" stays one thousand five hundred, as a Vietnamese reader would take it.
"""

import re
from decimal import Decimal

# Grouped thousands first ("8.200", "1.234.567,5"), then plain digits with an optional decimal part.
# The look-arounds keep the match off the middle of a longer token such as "9001:2015" or "68/GP".
NUMBER_RE = re.compile(
    r"(?<![\w.,])"
    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![\w]|[.,]\d)"
)

_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")


def parse_number(token: str) -> Decimal:
    """The value of one number token; raises ValueError when the token is not a number."""
    token = token.strip()
    if _GROUPED.fullmatch(token):
        return Decimal(token.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", token):
        return Decimal(token.replace(",", "."))
    raise ValueError(f"{token!r} is not a number")


def json_number(value: Decimal) -> int | float:
    """An int when the value is whole (100, not 100.0), else a float, for JSON output."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
