"""Statistics of a unit for a period, checked against a small set of dossiers counted by hand.

The set (HT-01: 5 working days; the make-up Saturday 10/01/2026 is a working day; 01–04/01 are off):

| code | unit    | received          | due               | finished | outcome / state                    |
| ---- | ------- | ----------------- | ----------------- | -------- | ---------------------------------- |
| W8   | Xã Tây  | Sun 28/12/2025    | Tue 06/01 17:00   | 07/01    | late                               |
| W1   | Xã Tây  | Mon 05/01, online | Sat 10/01 17:00   | 08/01    | early                              |
| W2   | Xã Tây  | Mon 05/01         | Sat 10/01 17:00   | 10/01 9h | on time                            |
| W3   | Xã Tây  | Mon 05/01         | Sat 10/01 17:00   | 13/01    | late; apology 09/01, new 14/01     |
| W4   | Xã Tây  | Tue 06/01         | Mon 12/01 17:00   | 14/01    | late, no apology                   |
| W6   | Xã Tây  | Mon 12/01         | Mon 19/01 17:00   | –        | pending, overdue from 19/01        |
| W5   | Xã Tây  | Mon 26/01         | Mon 02/02 17:00   | –        | pending, overdue from 02/02        |
| W7   | Xã Tây  | Tue 20/01         | –                 | –        | refused at receipt: not counted    |
| E1   | P. Đông | Thu 15/01, online | Thu 05/02 (DD-01) | 29/01    | early                              |
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.core.periods import Period
from cchc.onestop.models import Dossier
from cchc.onestop.queries import MEASURES, children_of, dossiers_behind, rate, stats_for_units, unit_stats
from tests.onestop.conftest import dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIGURES = (
    "received",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "pending",
    "pending_overdue",
)


def vn(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=VN)


SET = [
    dossier("W8", received="2025-12-28 09:00", finished_at="2026-01-07 10:00", status="10"),
    dossier("W1", received="2026-01-05 09:00", channel="online", finished_at="2026-01-08 10:00", status="10"),
    dossier("W2", received="2026-01-05 09:00", finished_at="2026-01-10 09:00", status="9"),
    dossier(
        "W3",
        received="2026-01-05 09:00",
        finished_at="2026-01-13 09:00",
        status="10",
        apology_at="2026-01-09 10:00",
        rescheduled_due_at="2026-01-14",
    ),
    dossier("W4", received="2026-01-06 09:00", finished_at="2026-01-14 09:00", status="10"),
    dossier("W6", received="2026-01-12 09:00", status="4"),
    dossier("W5", received="2026-01-26 09:00", status="4"),
    dossier("W7", received="2026-01-20 09:00", status="3"),
    dossier(
        "E1",
        unit="99001",
        procedure="DD-01",
        received="2026-01-15 09:00",
        channel="2",
        finished_at="2026-01-29 10:00",
        status="10",
    ),
]


@pytest.fixture
def hand_counted(cast, import_dossiers):
    result = import_dossiers(SET)
    assert result.applied, result.errors


def figures(unit, period: str, now: datetime.datetime | None = None) -> dict[str, object]:
    return unit_stats(unit, Period.parse(period), now=now).as_dict()


@pytest.mark.usefixtures("hand_counted")
def test_the_figures_of_a_commune_for_a_month(west_commune):
    data = figures(west_commune, "2026-01")
    assert {key: data[key] for key in FIGURES} == {
        "received": 6,  # W1–W6 (W8 came in December, W7 was refused)
        "finished": 5,  # W1, W2, W3, W4 and W8
        "finished_early": 1,
        "finished_on_time": 1,
        "finished_late": 3,  # W3, W4, W8
        "pending": 2,  # W5 and W6 at the end of January
        "pending_overdue": 1,  # W6; W5 is due on 02/02
    }
    assert data["on_time_rate"] == 42.86  # (1 early + 1 on time + 1 pending within) / (5 + 2) = 3/7
    assert data["online_rate"] == 16.67  # 1/6
    assert data["apology_rate"] == 33.33  # W3 of the 3 late ones


@pytest.mark.usefixtures("hand_counted")
def test_the_province_counts_everything_below_it(province):
    data = figures(province, "2026-01")
    assert {key: data[key] for key in FIGURES} == {
        "received": 7,
        "finished": 6,
        "finished_early": 2,
        "finished_on_time": 1,
        "finished_late": 3,
        "pending": 2,
        "pending_overdue": 1,
    }
    assert data["on_time_rate"] == 50.0  # (2 + 1 + 1) / (6 + 2)
    assert data["online_rate"] == 28.57  # 2/7


@pytest.mark.usefixtures("hand_counted")
def test_a_dossier_still_pending_at_the_end_of_a_period_counts_in_it(west_commune):
    december = figures(west_commune, "2025-12")
    assert (december["received"], december["finished"], december["pending"], december["pending_overdue"]) == (
        1,
        0,
        1,
        0,
    )  # W8, not yet due on 31/12
    assert december["on_time_rate"] == 100.0  # the one pending dossier is within its deadline
    assert december["online_rate"] == 0.0


@pytest.mark.usefixtures("hand_counted")
def test_a_month_without_receipts_has_no_online_rate_but_pending_dossiers_still_count(west_commune):
    february = figures(west_commune, "2026-02")
    assert (february["received"], february["finished"], february["pending"], february["pending_overdue"]) == (
        0,
        0,
        2,
        2,
    )
    assert february["online_rate"] is None  # no base: None, never 0
    assert february["apology_rate"] is None
    assert february["on_time_rate"] == 0.0  # both pending dossiers are past their deadline


@pytest.mark.usefixtures("hand_counted")
def test_nothing_to_count_gives_none_rates(east_ward):
    data = figures(east_ward, "2026-02")
    assert all(data[key] == 0 for key in FIGURES)
    assert data["on_time_rate"] is None
    assert data["online_rate"] is None


@pytest.mark.usefixtures("hand_counted")
def test_a_quarter_adds_up_its_months_and_takes_the_stock_at_its_end(west_commune):
    data = figures(west_commune, "2026-Q1")
    assert {key: data[key] for key in FIGURES} == {
        "received": 6,
        "finished": 5,
        "finished_early": 1,
        "finished_on_time": 1,
        "finished_late": 3,
        "pending": 2,
        "pending_overdue": 2,
    }
    assert data["on_time_rate"] == 28.57  # (1 + 1 + 0) / (5 + 2)


@pytest.mark.usefixtures("hand_counted")
def test_the_current_period_counts_overdue_dossiers_as_of_now(west_commune):
    # On Mon 02/02/2026 at 16:00 W5 is not late yet; at 17:01 it is.
    before_closing = figures(west_commune, "2026-02", now=vn(2026, 2, 2, 16))
    assert (before_closing["pending"], before_closing["pending_overdue"]) == (2, 1)
    assert before_closing["on_time_rate"] == 50.0
    after_closing = figures(west_commune, "2026-02", now=vn(2026, 2, 2, 17, 1))
    assert (after_closing["pending"], after_closing["pending_overdue"]) == (2, 2)


@pytest.mark.usefixtures("hand_counted")
@pytest.mark.parametrize(
    ("period", "now"),
    [
        ("2026-01", None),
        ("2025-12", None),
        ("2026-02", None),
        ("2026-Q1", None),
        ("2026-02", vn(2026, 2, 2, 16)),
    ],
)
def test_the_dossiers_behind_each_figure_are_the_ones_it_counts(
    province, west_commune, east_ward, period, now
):
    for unit in (province, west_commune, east_ward):
        stats = unit_stats(unit, Period.parse(period), now=now)
        for measure in MEASURES:
            behind = dossiers_behind(Dossier.objects.all(), unit, Period.parse(period), measure, now=now)
            assert behind.count() == stats.counts[measure], (unit.code, measure)


@pytest.mark.usefixtures("hand_counted")
def test_the_late_dossiers_behind_the_figure(west_commune):
    late = dossiers_behind(Dossier.objects.all(), west_commune, Period.parse("2026-01"), "finished_late")
    assert sorted(late.values_list("code", flat=True)) == ["W3", "W4", "W8"]
    apologised = dossiers_behind(
        Dossier.objects.all(), west_commune, Period.parse("2026-01"), "finished_late_apology"
    )
    assert list(apologised.values_list("code", flat=True)) == ["W3"]
    overdue = dossiers_behind(Dossier.objects.all(), west_commune, Period.parse("2026-02"), "pending_overdue")
    assert sorted(overdue.values_list("code", flat=True)) == ["W5", "W6"]


@pytest.mark.usefixtures("hand_counted")
@pytest.mark.parametrize("period", ["2025-12", "2026-01", "2026-02", "2026-Q1", "2026"])
def test_province_totals_equal_the_sum_of_its_children(province, period):
    children = children_of(province, datetime.date(2026, 1, 1))
    assert len(children) == 4
    stats = stats_for_units([province, *children], Period.parse(period))
    for name, value in stats[province.pk].counts.items():
        assert value == sum(stats[child.pk].counts[name] for child in children), name


# -- rates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 3, Decimal("33.33")),
        (2, 3, Decimal("66.67")),
        (1, 8, Decimal("12.50")),
        (1, 800, Decimal("0.13")),  # 0.125: half up (half-even would give 0.12)
        (5, 32, Decimal("15.63")),  # 15.625
        (0, 5, Decimal("0.00")),
        (5, 5, Decimal("100.00")),
        (0, 0, None),  # no base: None, not 0
        (3, 0, None),
    ],
)
def test_rates_are_percentages_rounded_half_up_to_two_places(numerator, denominator, expected):
    assert rate(numerator, denominator) == expected


def test_rounding_half_up_on_real_dossiers(import_dossiers, west_commune):
    # 1 online of 32: 3.125 % → 3.13.
    records = [dossier(f"R{n:02d}", channel="2" if n == 0 else "1") for n in range(32)]
    assert import_dossiers(records).applied
    stats = unit_stats(west_commune, Period.parse("2026-01"))
    assert stats.rate("online_rate") == Decimal("3.13")
    assert stats.as_dict()["online_rate"] == 3.13
