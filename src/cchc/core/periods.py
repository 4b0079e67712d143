"""Reporting periods written as text: `2026`, `2026-H1`, `2026-Q3`, `2026-M9` (nine months), `2026-06`.

One notation for targets, measurements, reports and statistics, so that a figure can be found by
the period it belongs to and sorted with others.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

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

    def __str__(self) -> str:
        return self.key
