"""Reporting periods written as text: `2026`, `2026-H1`, `2026-Q3`, `2026-M9` (nine months), `2026-06`.

One notation for targets, measurements, reports and statistics, so that a figure can be found by
the period it belongs to and sorted with others.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])|H(?P<half>[12])|M(?P<months>9)))?$"
)


@dataclass(frozen=True, order=True)
class Period:
    """A span of whole months within one year, named by its text form."""

    start: datetime.date
    end: datetime.date
    key: str

    @classmethod
    def parse(cls, text: str) -> "Period":
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(
                f"{text!r} is not a period: write YYYY, YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY-M9."
            )
        year = int(match["year"])
        if match["month"]:
            first, last = int(match["month"]), int(match["month"])
        elif match["quarter"]:
            first = 3 * int(match["quarter"]) - 2
            last = first + 2
        elif match["half"]:
            first = 1 if match["half"] == "1" else 7
            last = first + 5
        elif match["months"]:
            first, last = 1, 9
        else:
            first, last = 1, 12
        end = datetime.date(year, last, calendar.monthrange(year, last)[1])
        return cls(datetime.date(year, first, 1), end, text.strip())

    @property
    def year(self) -> int:
        return self.start.year

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        """The period as people write it: "Tháng 9/2026", "Quý III/2026", "6 tháng đầu năm 2026"."""
        return period_label(self.key)

    def __str__(self) -> str:
        return self.key


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label(key: str) -> str:
    """The words for a period key; text that is no period comes back as it is."""
    match = _PATTERN.match(str(key).strip())
    if not match:
        return str(key)
    year = match["year"]
    if match["month"]:
        return gettext("Month %(month)s/%(year)s") % {"month": int(match["month"]), "year": year}
    if match["quarter"]:
        return gettext("Quarter %(quarter)s/%(year)s") % {"quarter": _ROMAN[match["quarter"]], "year": year}
    if match["half"]:
        text = (
            gettext("First half of %(year)s") if match["half"] == "1" else gettext("Second half of %(year)s")
        )
        return text % {"year": year}
    if match["months"]:
        return gettext("First nine months of %(year)s") % {"year": year}
    return gettext("Year %(year)s") % {"year": year}
