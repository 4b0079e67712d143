"""The period picker: which period a page shows, and the periods it offers.

Pages take the period from `?period=` written as `core.periods` writes it (2026, 2026-Q2, 2026-H1,
2026-M9, 2026-06). A bad value is not an error page: the default period is shown with a message
saying what to write. The template `kit/period_picker.html` draws the picker.
"""

from collections.abc import Iterable, Sequence

from django.http import HttpRequest
from django.utils.translation import gettext as _

from cchc.core.periods import Period


def chosen_period(request: HttpRequest, default: Period, *, param: str = "period") -> tuple[Period, str]:
    """(the period asked for, or `default`; the error text when what was asked is no period)."""
    raw = request.GET.get(param, "").strip()
    if not raw:
        return default, ""
    try:
        return Period.parse(raw), ""
    except ValueError:
        return default, _("“%(value)s” is not a period: write 2026, 2026-Q2, 2026-H1 or 2026-06.") % {
            "value": raw[:40]
        }


QUARTERS = ("Q1", "Q2", "Q3", "Q4")
# The periods a CCHC plan year is reported on: six months, nine months and the quarters.
REPORTING_PARTS = ("H1", "M9", *QUARTERS)
HALVES_AND_QUARTERS = ("H1", "H2", "M9", *QUARTERS)


def period_choices(
    years: Iterable[int],
    current: Period | None = None,
    *,
    parts: Sequence[str] = REPORTING_PARTS,
    months: bool = False,
    detail_year: int | None = None,
) -> list[str]:
    """The keys a picker offers: each year followed by its `parts` (and its months when asked); with
    `detail_year`, the years alone and then the parts and months of that year only. `current` is
    added when it is none of them, so the picker always shows what the page shows."""
    years = list(years)

    def details(year: int) -> list[str]:
        keys = [f"{year}-{part}" for part in parts]
        return keys + ([f"{year}-{month:02d}" for month in range(1, 13)] if months else [])

    if detail_year is None:
        keys = [key for year in years for key in (str(year), *details(year))]
    else:
        keys = [str(year) for year in years] + details(detail_year)
    if current is not None and current.key not in keys:
        keys.append(current.key)
    return keys
