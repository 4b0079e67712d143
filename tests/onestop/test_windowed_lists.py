"""The windowed lists (`NewestFirst`, `OldestDeadlineFirst`) read every page exactly as the plain sorted
queryset does, whatever the dossiers look like.

The windows are a speed-up only: a page read through them must hold the same dossiers in the same order
as the same slice of the whole sorted list. Generated dossiers (hypothesis) are bunched on a few days,
many of them at the same minute (ties on the receipt) and with the same deadline (deadlines end at the
office's closing hour), a few received before the period and still pending (the list reaches past the
window's oldest edge), some not counted, in two units and three fields. Every page is compared, for page
sizes small enough that the windows are used, plus the last page and pages beyond the end.
"""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.core.periods import Period
from cchc.onestop.models import Dossier
from cchc.onestop.queries.dossiers import (
    MEASURES,
    OldestDeadlineFirst,
    drill_down,
    newest_first,
    overdue_todo,
)
from tests.onestop.conftest import dossier

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = timezone.localdate()
# Days the dossiers bunch on: from three months before the year began up to yesterday.
FIRST_DAY = datetime.date(TODAY.year - 1, 10, 1)
LAST_DAY = TODAY - datetime.timedelta(days=1)

one_dossier = st.fixed_dictionaries(
    {
        "cluster": st.integers(0, 3),
        "minute": st.sampled_from([0, 0, 0, 0, 1, 30, 300]),  # mostly the same minute: ties
        "days_before": st.sampled_from([0, 0, 0, 0, 0, 1, 2, 5, 12, 30]),  # a few stragglers
        "unit": st.sampled_from(["99001", "99002"]),
        "procedure": st.sampled_from(["HT-01", "DD-01", "CT-01", "HT-02"]),
        "finished_after_days": st.one_of(st.none(), st.integers(0, 60)),
        "online": st.booleans(),
        "not_received": st.integers(0, 9),  # 0: status 1, not counted
    }
)
scenario = st.fixed_dictionaries(
    {
        # Mostly the last weeks, where the first windows look: some of them hold a page, some do not.
        "days": st.lists(
            st.one_of(
                st.dates(LAST_DAY - datetime.timedelta(days=40), LAST_DAY), st.dates(FIRST_DAY, LAST_DAY)
            ),
            min_size=1,
            max_size=4,
        ),
        "rows": st.lists(one_dossier, min_size=25, max_size=100),
        "page_size": st.sampled_from([2, 5]),
    }
)


def _records(days: list[datetime.date], rows: list[dict]) -> list[dict]:
    records = []
    for number, row in enumerate(rows):
        day = max(days[row["cluster"] % len(days)] - datetime.timedelta(days=row["days_before"]), FIRST_DAY)
        received = datetime.datetime.combine(day, datetime.time(8, 0)) + datetime.timedelta(
            minutes=row["minute"]
        )
        extra: dict = {"channel": "2" if row["online"] else "1"}
        finished = None
        if row["finished_after_days"] is not None:
            finished = received + datetime.timedelta(days=row["finished_after_days"], hours=1)
            if timezone.make_aware(finished) >= NOW - datetime.timedelta(hours=1):
                finished = None
        if finished is not None:
            extra["finished_at"] = f"{finished:%Y-%m-%d %H:%M}"
        elif row["not_received"] == 0:
            extra["status"] = "1"
        records.append(
            dossier(
                f"W-{number:03d}",
                unit=row["unit"],
                procedure=row["procedure"],
                received=f"{received:%Y-%m-%d %H:%M}",
                **extra,
            )
        )
    return records


def _pages(listed, expected: list[str], page_size: int) -> None:
    """Every page through the paginator, then slices at the end and beyond it."""
    paginator = Paginator(listed, page_size)
    assert paginator.count == len(expected)
    for number in paginator.page_range:
        page = paginator.page(number)
        first = (number - 1) * page_size
        assert [row.code for row in page.object_list] == expected[first : first + page_size], number
    beyond = paginator.get_page(paginator.num_pages + 3)  # ?page= past the end: the last page
    assert [row.code for row in beyond.object_list] == expected[(paginator.num_pages - 1) * page_size :]
    total = len(expected)
    for first in range(0, total, 1 + page_size // 2):  # pages that do not start on a page boundary
        assert [row.code for row in listed[first : first + page_size]] == expected[first : first + page_size]
    assert [row.code for row in listed[total : total + page_size]] == []
    assert [row.code for row in listed[max(total - 1, 0) : total + page_size]] == expected[-1:]


def _periods() -> list[Period]:
    return [
        Period.parse(str(TODAY.year)),
        Period.parse(str(TODAY.year - 1)),
        Period.parse(f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"),
        Period.parse(f"{LAST_DAY:%Y-%m}"),
    ]


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=scenario)
def test_every_page_is_the_plain_sorted_list(cast, import_dossiers, case):
    savepoint = transaction.savepoint()  # each example's dossiers are rolled back after it
    try:
        result = import_dossiers(_records(case["days"], case["rows"]))
        assert result.applied, result.errors[:5]
        everything = Dossier.objects.all()
        commune_only = Dossier.objects.for_user(cast["commune_officer"])  # a narrower reader
        for period in _periods():
            for measure in MEASURES:
                for field in ("", "Hộ tịch"):
                    plain = drill_down(everything, cast["province"], period, measure, field)
                    expected = list(plain.values_list("code", flat=True))
                    # The province's reader: the count is the dashboard's figure, from the rollups.
                    listed = newest_first(
                        everything, cast["province"], period, measure, field, whole_subtree=True
                    )
                    _pages(listed, expected, case["page_size"])
                narrow = drill_down(commune_only, cast["province"], period, measure)
                listed = newest_first(commune_only, cast["province"], period, measure)
                _pages(listed, list(narrow.values_list("code", flat=True)), case["page_size"])

        for scope in (everything, everything.filter(unit__path__startswith=cast["east_ward"].path)):
            overdue = overdue_todo(scope, now=NOW)
            expected = list(overdue.values_list("code", flat=True))
            _pages(OldestDeadlineFirst(overdue, now=NOW), expected, case["page_size"])
    finally:
        transaction.savepoint_rollback(savepoint)


def test_uneven_lists_page_through_widening_windows(cast, import_dossiers):
    """Lists whose sorted end is almost empty: the first windows hold a row or two, fewer than a page,
    and are widened (to a window that holds the page, or to the whole list) without a page coming out
    short, shifted or repeated. One dossier yesterday, 30 two months ago, 170 eight months ago at the
    same minute and one alone ten months ago (the oldest deadline, at the overdue list's end)."""
    yesterday = datetime.datetime.combine(LAST_DAY, datetime.time(9, 0))
    bunches = [(0, 1), (60, 30), (250, 170), (300, 1)]
    records = [
        dossier(
            f"U-{days:03d}-{number:03d}",
            received=f"{yesterday - datetime.timedelta(days=days):%Y-%m-%d %H:%M}",
        )
        for days, count in bunches
        for number in range(count)
    ]
    result = import_dossiers(records)
    assert result.applied, result.errors[:5]
    everything = Dossier.objects.all()
    for period in (Period.parse(str(LAST_DAY.year)), Period.parse(f"{LAST_DAY:%Y-%m}")):
        for measure in ("received", "pending", "pending_overdue"):
            plain = drill_down(everything, cast["province"], period, measure)
            expected = list(plain.values_list("code", flat=True))
            listed = newest_first(everything, cast["province"], period, measure)
            for size in (2, 5):
                for first in range(0, len(expected) + size, 3):
                    got = [row.code for row in listed[first : first + size]]
                    assert got == expected[first : first + size], (period, measure, first)
    overdue = overdue_todo(everything, now=NOW)
    expected = list(overdue.values_list("code", flat=True))
    assert len(expected) == 201  # all but yesterday's
    listed = OldestDeadlineFirst(overdue, now=NOW)
    for size in (2, 5):
        for first in range(0, len(expected) + size, 3):
            assert [row.code for row in listed[first : first + size]] == expected[first : first + size], first
