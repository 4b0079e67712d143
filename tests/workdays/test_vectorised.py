"""The numpy forms give exactly the answers of the day-by-day reference, override days included."""

import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.workdays import calendar
from cchc.workdays.calendar import (
    WorkCalendar,
    add_working_days,
    add_working_days_array,
    is_working_day,
    is_working_day_array,
    working_days_between,
    working_days_between_array,
)
from cchc.workdays.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_data")]

FIRST, LAST = datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)
ONE_DAY = datetime.timedelta(days=1)

# Days near the shipped overrides and the swapped days, so the examples often land on or next to them.
SPECIAL = [
    datetime.date.fromisoformat(day)
    for day in (
        "2024-04-29", "2024-05-04", "2025-04-26", "2025-05-02",
        "2026-01-02", "2026-01-10", "2026-08-22", "2026-08-31", "2026-02-13",
    )
]  # fmt: skip
NEAR_SPECIAL = st.builds(
    lambda day, shift: day + shift * ONE_DAY, st.sampled_from(SPECIAL), st.integers(-3, 3)
)
DATES = st.one_of(st.dates(min_value=FIRST, max_value=LAST), NEAR_SPECIAL)
COUNTS = st.integers(min_value=0, max_value=400)
# Slow examples are the point here (the reference walks day by day), not a fault.
RELAXED = settings(deadline=None, max_examples=200)


def as_array(dates: list[datetime.date]) -> np.ndarray:
    return np.array(dates, dtype="datetime64[D]")


def as_dates(values: np.ndarray) -> list[datetime.date]:
    return [value.item() for value in values]


def test_the_shipped_overrides_are_in_the_calendar_under_test():
    shipped = set(CalendarOverride.objects.values_list("date", flat=True))
    assert shipped >= {datetime.date(2025, 4, 26), datetime.date(2026, 8, 22), datetime.date(2026, 1, 2)}
    assert set(calendar.get_calendar().overrides) == shipped


@RELAXED
@given(st.lists(DATES, min_size=1, max_size=40))
def test_is_working_day_array_matches_the_reference(days):
    assert is_working_day_array(as_array(days)).tolist() == [is_working_day(day) for day in days]


@RELAXED
@given(st.lists(st.tuples(DATES, COUNTS), min_size=1, max_size=15))
def test_add_working_days_array_matches_the_reference(pairs):
    starts, counts = zip(*pairs, strict=True)
    result = add_working_days_array(as_array(list(starts)), np.array(counts))
    assert result.dtype == np.dtype("datetime64[D]")
    assert as_dates(result) == [add_working_days(start, n) for start, n in pairs]


@RELAXED
@given(st.lists(st.tuples(DATES, DATES), min_size=1, max_size=8))
def test_working_days_between_array_matches_the_reference(pairs):
    ranges = [(min(a, b), max(a, b)) for a, b in pairs]
    starts, ends = zip(*ranges, strict=True)
    result = working_days_between_array(as_array(list(starts)), as_array(list(ends)))
    assert result.tolist() == [working_days_between(start, end) for start, end in ranges]


@RELAXED
@given(
    extra=st.dictionaries(
        st.dates(min_value=FIRST, max_value=LAST), st.sampled_from(["working", "day_off"]), max_size=25
    ),
    pairs=st.lists(st.tuples(DATES, COUNTS), min_size=1, max_size=10),
)
def test_both_forms_agree_on_any_set_of_overrides(extra, pairs):
    """Overrides placed anywhere, even where they change nothing, move both forms alike."""
    overrides = dict(CalendarOverride.objects.values_list("date", "kind"))
    overrides.update(extra)
    # The array form grows its table as it goes; a fresh calendar per form keeps the two independent.
    reference, vectorised = WorkCalendar(overrides), WorkCalendar(overrides)
    starts = [start for start, _ in pairs]
    counts = [n for _, n in pairs]
    expected = [add_working_days(start, n, calendar=reference) for start, n in pairs]
    assert as_dates(vectorised.add_working_days_array(as_array(starts), np.array(counts))) == expected
    ends = expected
    assert vectorised.working_days_between_array(as_array(starts), as_array(ends)).tolist() == [
        working_days_between(start, end, calendar=reference) for start, end in zip(starts, ends, strict=True)
    ]
    override_days = list(extra) or [FIRST]
    assert vectorised.is_working_day_array(as_array(override_days)).tolist() == [
        reference.is_working_day(day) for day in override_days
    ]


def test_arrays_broadcast_a_single_count_over_many_starts():
    starts = as_array([datetime.date(2026, 2, 13), datetime.date(2025, 4, 25)])
    assert as_dates(add_working_days_array(starts, 3)) == [
        datetime.date(2026, 2, 25),
        datetime.date(2025, 4, 29),
    ]


def test_array_results_reaching_into_later_years_extend_the_table():
    fresh = WorkCalendar()
    start = as_array([datetime.date(2026, 12, 30)])
    assert as_dates(fresh.add_working_days_array(start, 1000)) == [
        add_working_days(datetime.date(2026, 12, 30), 1000, calendar=WorkCalendar())
    ]


def test_empty_arrays_give_empty_answers():
    empty = as_array([])
    assert is_working_day_array(empty).shape == (0,)
    assert add_working_days_array(empty, empty.astype(np.int64)).shape == (0,)
    assert working_days_between_array(empty, empty).shape == (0,)


def test_array_forms_refuse_what_the_reference_refuses():
    start = as_array([datetime.date(2026, 3, 2)])
    with pytest.raises(ValueError, match="zero or more"):
        add_working_days_array(start, -1)
    with pytest.raises(ValueError, match="before its start"):
        working_days_between_array(start, as_array([datetime.date(2026, 3, 1)]))
    with pytest.raises(ValueError, match="outside"):
        is_working_day_array(as_array([datetime.date(1990, 1, 2)]))
    with pytest.raises(ValueError, match="after 2100"):
        add_working_days_array(as_array([datetime.date(2100, 12, 29)]), 5)
