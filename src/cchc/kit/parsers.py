"""Values typed by people or read from their spreadsheets: numbers, dates, yes and no.

One vocabulary for yes/no across the product, so the same spreadsheet cell means the same thing in
every import. Errors are `ValidationError`s keyed by the field, in words a person can act on.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Compared after strip() and lower(); unaccented spellings too, since many people type without marks.
YES_WORDS = frozenset({"1", "true", "yes", "y", "t", "x", "có", "co", "đúng", "dung", "đạt", "dat"})
NO_WORDS = frozenset({"0", "false", "no", "n", "f", "không", "khong", "sai", "không đạt", "khong dat"})
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_yes_no(value: Any) -> bool | None:
    """True, False, or None for an empty cell or a word of neither list (the caller decides whether
    that is an error)."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    return None


# Dots between groups of three digits and no comma: "1.234.567" is only ever a grouped whole number.
_GROUPED_BY_DOTS = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3}){2,}")
# One dot before exactly three digits: "12.500" is twelve thousand five hundred to a Vietnamese
# reader and twelve and a half to a spreadsheet set to English. Guessing would be silently wrong by a
# factor of a thousand, so the person is asked.
_AMBIGUOUS = re.compile(r"-?[1-9]\d{0,2}\.\d{3}")


class AmbiguousNumber(ValueError):
    """A text that is a whole number in Vietnamese writing and a decimal one in English."""


def _normalised_number(text: str) -> str:
    """Vietnamese writing to Python's: "1.234,5" -> "1234.5", "98,5" -> "98.5". With both marks the
    last one is the decimal separator; a lone comma is always decimal."""
    text = text.replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:
        thousands, decimal = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
        return text.replace(thousands, "").replace(decimal, ".")
    if text.count(",") == 1:
        return text.replace(",", ".")
    if _GROUPED_BY_DOTS.fullmatch(text):
        return text.replace(".", "")
    if _AMBIGUOUS.fullmatch(text):
        raise AmbiguousNumber(text)
    return text


def parse_number(value: Any, *, field: str = "value", whole_digits: int = 15) -> Decimal:
    """A finite decimal from a number or a text written with a decimal comma or point, with at most
    `whole_digits` digits before the point (what the column holds; no column here holds more than 15,
    and a bound keeps "1e99999" from becoming a number that later arithmetic chokes on)."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(_normalised_number(str(value if value is not None else "").strip()))
        except InvalidOperation:
            raise ValidationError({field: _("“%(value)s” is not a number.") % {"value": value}}) from None
        except AmbiguousNumber as ambiguous:
            whole, decimals = str(ambiguous).split(".")
            raise ValidationError(
                {
                    field: _(
                        "“%(value)s” may mean %(thousands)s or %(decimal)s: write %(thousands)s, "
                        "or %(decimal)s with a decimal comma."
                    )
                    % {"value": value, "thousands": whole + decimals, "decimal": f"{whole},{decimals}"}
                }
            ) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** whole_digits:
        raise ValidationError(
            {field: _("“%(value)s” is not a number this field can hold.") % {"value": value}}
        )
    return number


def parse_date(value: Any, *, field: str = "date") -> datetime.date | None:
    """A date from a date, a datetime, or a text written dd/mm/yyyy or yyyy-mm-dd; None when empty."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        {field: _("“%(value)s” is not a date: write it as dd/mm/yyyy.") % {"value": text[:40]}}
    )
