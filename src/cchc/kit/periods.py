"""The period picker: which period a page shows, and the periods it offers.

Pages take the period from `?period=` written as `core.periods` writes it (2026, 2026-Q2, 2026-H1,
2026-M9, 2026-06). A bad value is not an error page: the default period is shown with a message
saying what to write. The template `kit/period_picker.html` draws the picker.
"""

from collections.abc import Iterable

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


def period_choices(years: Iterable[int], current: Period | None = None, *, months: bool = False) -> list[str]:
    """Each year, its halves, nine months and quarters (and months when asked), plus `current` when it
    is none of them, so the picker always shows what the page shows."""
    keys: list[str] = []
    for year in years:
        keys += [f"{year}", f"{year}-H1", f"{year}-M9"] + [f"{year}-Q{quarter}" for quarter in range(1, 5)]
        if months:
            keys += [f"{year}-{month:02d}" for month in range(1, 13)]
    if current is not None and current.key not in keys:
        keys.append(current.key)
    return keys
