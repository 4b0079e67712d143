"""The scalar engine on the official calendar: the issue's examples, Tết, swaps, cut-off, errors, cache."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.workdays import calendar
from cchc.workdays import services as workday_services
from cchc.workdays.calendar import add_working_days, is_working_day, working_days_between
from cchc.workdays.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_data")]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
CUTOFF = datetime.time(15, 0)


def days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]


def test_five_working_days_after_friday_13_february_2026_skip_tet():
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_three_working_days_after_25_april_2025_count_the_make_up_saturday():
    assert add_working_days(D(2025, 4, 25), 3) == D(2025, 4, 29)


def test_tet_2026_closes_14_to_22_february_and_nothing_around_it():
    assert not any(is_working_day(day) for day in days(D(2026, 2, 14), D(2026, 2, 22)))
    assert is_working_day(D(2026, 2, 13))
    assert is_working_day(D(2026, 2, 23))
    assert working_days_between(D(2026, 2, 1), D(2026, 2, 28)) == 15


@pytest.mark.parametrize("day", [D(2024, 5, 4), D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)])
def test_make_up_saturdays_are_working_days(day):
    assert day.weekday() == 5
    assert is_working_day(day)


@pytest.mark.parametrize("day", [D(2024, 4, 29), D(2025, 5, 2), D(2026, 1, 2), D(2026, 8, 31)])
def test_the_swapped_weekdays_are_days_off(day):
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_national_day_2026_swap_moves_a_working_day_without_losing_one():
    # 17–21/8 (5), Sat 22/8 make-up (1), 24–28/8 (5), 29/8–2/9 closed, 3–4/9 (2).
    assert working_days_between(D(2026, 8, 17), D(2026, 9, 4)) == 13
    assert not any(is_working_day(day) for day in days(D(2026, 8, 29), D(2026, 9, 2)))


def test_new_year_2026_is_a_four_day_break_made_up_on_10_january():
    assert [is_working_day(day) for day in days(D(2026, 1, 1), D(2026, 1, 5))] == [False] * 4 + [True]
    assert add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)


def test_the_start_day_is_not_counted():
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday to Monday


def test_zero_days_gives_the_start_back_even_on_a_weekend():
    assert add_working_days(D(2026, 3, 7), 0) == D(2026, 3, 7)


def test_counting_from_a_weekend_starts_on_monday():
    assert add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 9)


def test_a_negative_count_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 3, 2), -1)


def test_a_count_that_is_not_a_whole_number_is_refused():
    with pytest.raises(TypeError):
        add_working_days(D(2026, 3, 2), 1.5)  # type: ignore[arg-type]


def test_between_counts_both_ends():
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 1
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 6)) == 5
    assert working_days_between(D(2026, 3, 7), D(2026, 3, 8)) == 0


def test_between_refuses_an_end_before_the_start():
    with pytest.raises(ValueError, match="before the start"):
        working_days_between(D(2026, 3, 3), D(2026, 3, 2))


def test_years_outside_the_calendar_are_refused():
    with pytest.raises(ValueError, match="outside"):
        is_working_day(D(1990, 1, 2))
    with pytest.raises(ValueError, match="outside"):
        add_working_days(D(2100, 12, 29), 5)


class TestCutoff:
    def test_before_the_cutoff_counting_starts_the_same_day(self):
        received = datetime.datetime(2026, 3, 2, 14, 59, tzinfo=VN)
        assert add_working_days(received, 1, cutoff=CUTOFF) == D(2026, 3, 3)

    def test_exactly_at_the_cutoff_is_not_after_it(self):
        received = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=VN)
        assert add_working_days(received, 1, cutoff=CUTOFF) == D(2026, 3, 3)

    def test_after_the_cutoff_the_result_is_one_working_day_later(self):
        received = datetime.datetime(2026, 3, 2, 15, 1, tzinfo=VN)
        assert add_working_days(received, 1, cutoff=CUTOFF) == D(2026, 3, 4)

    def test_late_on_the_friday_before_tet_the_next_working_day_is_after_tet(self):
        received = datetime.datetime(2026, 2, 13, 16, 30, tzinfo=VN)
        assert add_working_days(received, 5, cutoff=CUTOFF) == D(2026, 3, 2)
        assert add_working_days(received, 0, cutoff=CUTOFF) == D(2026, 2, 23)

    def test_the_cutoff_is_read_in_vietnamese_time(self):
        # 08:30 UTC is 15:30 in Hà Nội: after the cut-off.
        late = datetime.datetime(2026, 3, 2, 8, 30, tzinfo=datetime.UTC)
        assert add_working_days(late, 1, cutoff=CUTOFF) == D(2026, 3, 4)
        # 20:00 UTC on Sunday is 03:00 on Monday in Hà Nội: Monday, before the cut-off.
        early = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)
        assert add_working_days(early, 1, cutoff=CUTOFF) == D(2026, 3, 3)

    def test_without_a_cutoff_the_time_does_not_matter(self):
        received = datetime.datetime(2026, 3, 2, 23, 0, tzinfo=VN)
        assert add_working_days(received, 1) == D(2026, 3, 3)

    def test_a_plain_date_has_no_time_to_compare(self):
        assert add_working_days(D(2026, 3, 2), 1, cutoff=datetime.time(0, 0)) == D(2026, 3, 3)

    def test_a_naive_datetime_is_refused(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            add_working_days(datetime.datetime(2026, 3, 2, 16, 0), 1, cutoff=CUTOFF)


class TestCache:
    def test_saving_and_deleting_an_override_is_seen_at_once(self, settings):
        settings.CCHC_CALENDAR_CACHE_SECONDS = 3600
        friday = D(2026, 3, 6)
        assert is_working_day(friday)
        override = workday_services.add_override(
            actor=None, date=friday, kind="day_off", name="Nghỉ đột xuất"
        )
        assert not is_working_day(friday)
        workday_services.delete_override(actor=None, override=override)
        assert is_working_day(friday)

    def test_a_change_the_signals_miss_is_picked_up_when_the_cache_expires(self, settings):
        settings.CCHC_CALENDAR_CACHE_SECONDS = 3600
        saturday = D(2026, 8, 22)
        assert is_working_day(saturday)
        # A bulk update sends no signal, as when another process changes the table.
        CalendarOverride.objects.filter(date=saturday).update(kind="day_off")
        assert is_working_day(saturday), "still the cached calendar"
        settings.CCHC_CALENDAR_CACHE_SECONDS = 0
        assert not is_working_day(saturday)

    def test_the_cached_calendar_is_reused_while_fresh(self, settings, django_assert_num_queries):
        settings.CCHC_CALENDAR_CACHE_SECONDS = 3600
        calendar.get_calendar()
        with django_assert_num_queries(0):
            add_working_days(D(2026, 2, 13), 5)
            working_days_between(D(2026, 1, 1), D(2026, 12, 31))


def test_a_calendar_can_be_given_explicitly_without_the_database():
    bare = calendar.WorkCalendar()
    assert not bare.is_working_day(D(2025, 4, 26))  # no make-up Saturday without the override
    assert add_working_days(D(2025, 4, 25), 3, calendar=bare) == D(2025, 5, 5)
    opened = calendar.WorkCalendar({D(2025, 4, 26): "working"})
    assert add_working_days(D(2025, 4, 25), 3, calendar=opened) == D(2025, 4, 29)


def test_unknown_override_kinds_are_refused():
    with pytest.raises(ValueError, match="Unknown override kinds"):
        calendar.WorkCalendar({D(2026, 3, 6): "holiday"})
