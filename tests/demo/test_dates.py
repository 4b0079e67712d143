"""The demo is dated from the day it is loaded: another day moves its dossiers, its tasks' states and
its reporting rounds, and the same day gives the same data."""

import datetime
import random

from cchc.demo import clock
from cchc.demo.onestop import dossier_rows, load_demo_dossiers
from cchc.demo.plans import task_story
from cchc.onestop.models import Dossier

UNITS = [("56.A", False, "Phường"), ("56.B", False, "Xã"), ("56.STP", True, "Sở")]


def _rows(today: datetime.date, seed: int = 1) -> list[dict]:
    with clock.on_day(today):
        return list(dossier_rows(UNITS, today, random.Random(seed)))


def test_dossiers_end_on_the_demo_day_and_start_eleven_months_before():
    for today in (datetime.date(2026, 6, 10), datetime.date(2026, 11, 20)):
        days = {datetime.date.fromisoformat(row["received_at"][:10]) for row in _rows(today)}
        assert max(days) <= today
        assert max(days) >= today - datetime.timedelta(days=7)
        assert min(days) >= (today.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)


def test_the_same_day_gives_the_same_dossiers_and_units_differ_in_size():
    today = datetime.date(2026, 11, 20)
    rows = _rows(today)
    assert rows == _rows(today)
    sizes = {code: sum(row["unit_code"] == code for row in rows) for code, _, _ in UNITS}
    assert len(set(sizes.values())) == 3, sizes


def test_another_day_moves_the_loaded_dossiers(cast):
    """Loaded on the test province: the months present follow the day the demo is loaded on."""
    province = cast["province"]
    with clock.on_day(datetime.date(2026, 7, 15)):
        load_demo_dossiers(province=province)
    spring = set(Dossier.objects.values_list("received_month", flat=True))
    Dossier.objects.all().delete()
    with clock.on_day(datetime.date(2026, 11, 20)):
        load_demo_dossiers(province=province)
    autumn = set(Dossier.objects.values_list("received_month", flat=True))
    assert max(spring) == datetime.date(2026, 7, 1)
    assert min(spring) < min(autumn)
    assert max(autumn) == datetime.date(2026, 11, 1)


class _Task:
    def __init__(self, deadline):
        self.deadline = deadline


def test_a_task_is_done_or_overdue_once_its_deadline_passes_and_under_way_before():
    task = _Task(datetime.date(2026, 6, 30))
    may, september = datetime.date(2026, 5, 1), datetime.date(2026, 9, 1)
    before = {task_story(task, may, random.Random(seed))[0] for seed in range(50)}
    assert before == {"in_progress"}
    after = [task_story(task, september, random.Random(seed)) for seed in range(200)]
    done = sum(status == "done" for status, _, _ in after)
    assert 0.75 * 200 <= done < 200  # most done, a few left overdue
    assert all(progress == 100 for status, progress, _ in after if status == "done")


def test_the_small_demo_has_a_tenth_of_the_dossiers_for_every_unit():
    """`cchc demo --small` (the crawl's demo): fewer dossiers, still some for every unit."""
    today = datetime.date(2026, 11, 20)
    with clock.on_day(today):
        small = list(dossier_rows(UNITS, today, random.Random(1), scale=0.1))
    full = _rows(today)
    assert 0.05 * len(full) < len(small) < 0.2 * len(full)
    assert {row["unit_code"] for row in small} == {code for code, _, _ in UNITS}
