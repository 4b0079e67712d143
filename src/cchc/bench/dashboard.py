"""The leadership questions of the one-stop bench, answered from the rollups and from the dossiers.

Three questions (the province month grid, the unit ranking, one commune's 36-month trend), each
asked many times through `onestop.queries` (p50, p95) and a few times by one GROUP BY over the raw
dossier table; the answers must be equal.
"""

import datetime
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import connection

from cchc.bench import province as bench_province
from cchc.core.periods import Period
from cchc.onestop import queries
from cchc.units.models import PATH_STEP, Unit

ROLLUP_REPEATS = 100
# How many times each question is asked of the raw dossiers. At fifty million rows one answer takes
# minutes: `cchc bench onestop --raw-repeats 1` asks once (set through the environment, because the
# questions are asked by a child process).
RAW_REPEATS_VARIABLE = "CCHC_BENCH_RAW_REPEATS"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = bench_province.LAST_DAY.year  # "the last year" of the leadership questions


def _months(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, 13)]


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def dashboard(province: bench_province.Province) -> dict[str, Any]:
    """p50/p95 of each question from the rollups, p95 of the same question from the raw dossiers."""
    root = province.province
    last_day = bench_province.LAST_DAY
    children = queries.children_of(root, last_day)
    commune = Unit.objects.get(code=f"{bench_province.CODE}.X001", path__startswith=root.path)
    trend_months = [m for year in range(bench_province.FIRST_DAY.year, YEAR + 1) for m in _months(year)]
    questions = {
        "province_month_grid": (lambda: grid_from_rollups(root), lambda: grid_from_dossiers(root, children)),
        "unit_ranking": (lambda: ranking_from_rollups(root), lambda: ranking_from_dossiers(root, children)),
        "unit_trend": (
            lambda: trend_from_rollups(commune, trend_months),
            lambda: trend_from_dossiers(commune, trend_months),
        ),
    }
    figures: dict[str, dict[str, float]] = {}
    all_fast: list[float] = []
    all_slow: list[float] = []
    matching = True
    for name, (fast, slow) in questions.items():
        answer = fast()
        fast()  # warm
        samples = _timed(fast, ROLLUP_REPEATS)
        started = time.perf_counter()
        baseline_answer = slow()  # at ten million rows each answer takes a minute: it counts as a sample
        repeats = max(1, int(os.environ.get(RAW_REPEATS_VARIABLE, "3")))
        baseline = [time.perf_counter() - started, *_timed(slow, repeats - 1)]
        matching = matching and answer == baseline_answer
        figures[name] = {
            "p50_ms": _ms(np.percentile(samples, 50)),
            "p95_ms": _ms(np.percentile(samples, 95)),
            "baseline_p50_ms": _ms(np.percentile(baseline, 50)),
            "baseline_p95_ms": _ms(np.percentile(baseline, 95)),
        }
        all_fast += samples
        all_slow += baseline
    return {
        "dashboard_p50_ms": _ms(np.percentile(all_fast, 50)),
        "dashboard_p95_ms": max(figure["p95_ms"] for figure in figures.values()),
        "dashboard_baseline_p95_ms": _ms(np.percentile(all_slow, 95)),
        "dashboard_worst_ratio": round(min(f["baseline_p95_ms"] / f["p95_ms"] for f in figures.values()), 1),
        "dashboard_questions": figures,
        "dashboard_answers_match": matching,
    }


def _timed(function: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def _ms(seconds: float) -> float:
    return round(float(seconds) * 1000, 2)


def grid_from_rollups(root: Any) -> dict[tuple[int, datetime.date], Decimal | None]:
    """The on-time rate of every unit directly below the province, for each month of the year."""
    return queries.month_grid(queries.children_of(root, bench_province.LAST_DAY), _months(YEAR))


def ranking_from_rollups(root: Any) -> list[tuple[int, Decimal | None]]:
    """The units directly below the province by on-time rate over the year, best first."""
    children = queries.children_of(root, bench_province.LAST_DAY)
    stats = queries.stats_for_units(children, Period.parse(str(YEAR)))
    return _ranked({unit.pk: stats[unit.pk].rate("on_time_rate") for unit in children})


def trend_from_rollups(unit: Any, months: list[datetime.date]) -> list[tuple[datetime.date, Decimal | None]]:
    return [(month, stats.rate("on_time_rate")) for month, stats in queries.monthly_trend(unit, months)]


def _ranked(rates: dict[int, Decimal | None]) -> list[tuple[int, Decimal | None]]:
    return sorted(rates.items(), key=lambda item: (item[1] is None, -(item[1] or 0), item[0]))


# The same questions over the raw dossiers: one GROUP BY per question, no rollup involved.


def _bound(day: datetime.date) -> Any:
    return connection.ops.adapt_datetimefield_value(
        datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL)
    )


def _raw_on_time(
    root_path: str, depth_prefix: int, periods: list[tuple[datetime.date, datetime.date]]
) -> dict[tuple[str, int], Decimal | None]:
    """On-time rate per (path prefix of `depth_prefix` characters, period index), from the dossiers."""
    columns, params = [], []
    for start, end in periods:
        low, high = _bound(start), _bound(end)
        finished = "d.finished_at >= %s AND d.finished_at < %s"
        pending = "d.received_at < %s AND (d.finished_at IS NULL OR d.finished_at >= %s)"
        columns += [
            f"SUM(CASE WHEN {finished} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {finished} AND d.outcome IN (1, 2) THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {pending} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {pending} AND d.overdue_from < %s THEN 1 ELSE 0 END)",
        ]
        params += [low, high, low, high, high, high, high, high, high]
    prefix = "substr(u.path, 1, %s)"
    sql = (
        f"SELECT {prefix}, {', '.join(columns)} FROM onestop_dossier d JOIN units_unit u ON u.id = d.unit_id "
        f"WHERE d.counted AND u.path LIKE %s GROUP BY {prefix}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [depth_prefix, *params, f"{root_path}%", depth_prefix])
        rows = cursor.fetchall()
    result = {}
    for row in rows:
        for index in range(len(periods)):
            done, in_time, waiting, late = (int(v or 0) for v in row[1 + 4 * index : 5 + 4 * index])
            result[(row[0], index)] = queries.rate(in_time + waiting - late, done + waiting)
    return result


def _child_depth(root: Any) -> int:
    return len(root.path) + PATH_STEP + 1


def grid_from_dossiers(root: Any, children: list[Any]) -> dict[tuple[int, datetime.date], Decimal | None]:
    months = _months(YEAR)
    raw = _raw_on_time(root.path, _child_depth(root), [(m, _next_month(m)) for m in months])
    return {(unit.pk, month): raw.get((unit.path, i)) for unit in children for i, month in enumerate(months)}


def ranking_from_dossiers(root: Any, children: list[Any]) -> list[tuple[int, Decimal | None]]:
    raw = _raw_on_time(
        root.path, _child_depth(root), [(datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1))]
    )
    return _ranked({unit.pk: raw.get((unit.path, 0)) for unit in children})


def trend_from_dossiers(unit: Any, months: list[datetime.date]) -> list[tuple[datetime.date, Decimal | None]]:
    raw = _raw_on_time(unit.path, len(unit.path), [(m, _next_month(m)) for m in months])
    return [(month, raw.get((unit.path, i))) for i, month in enumerate(months)]


def dashboard_in_fresh_process() -> dict[str, Any]:
    """The dashboard questions asked by a new process, as a web worker would ask them.

    After importing and checking ten million rows this process holds a large heap, and Python's
    full garbage collections over it (tens of milliseconds) would be charged to the questions.
    """
    if connection.in_atomic_block:  # a test: its data is not committed, another process cannot see it
        return dashboard(bench_province.ensure_province())
    return _in_child("print_dashboard")


def _in_child(entry: str) -> dict[str, Any]:
    connection.close()  # let the child see everything committed
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            # cchc.wsgi sets Django up and then freezes the loaded heap out of the collector's full
            # passes, as in a web worker; without it those passes put 40-70 ms on a few answers.
            f"import cchc.wsgi; from cchc.bench import dashboard; dashboard.{entry}()",
        ],
        check=True,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "cchc.settings", **os.environ},
    )
    return json.loads(completed.stdout)


FIRST_REPEATS = 100


def first_grid(province: bench_province.Province) -> dict[str, Any]:
    """The province month grid asked FIRST_REPEATS times in a row, its first (cold) answer included."""
    root = province.province
    samples = _timed(lambda: grid_from_rollups(root), FIRST_REPEATS)
    return {
        "first_grid_first_ms": _ms(samples[0]),
        "first_grid_p50_ms": _ms(np.percentile(samples, 50)),
        "first_grid_p95_ms": _ms(np.percentile(samples, 95)),
    }


def first_grid_in_fresh_process() -> dict[str, Any]:
    """The grid asked right after an import commits, before any vacuum or checkpoint, by a new process
    that starts as a web worker does: what the leadership sees in the first seconds after a load."""
    if connection.in_atomic_block:
        return first_grid(bench_province.ensure_province())
    return _in_child("print_first_grid")


def print_first_grid() -> None:
    print(json.dumps(first_grid(bench_province.ensure_province()), default=str))


def print_dashboard() -> None:
    """Entry point of the child process of `dashboard_in_fresh_process`, which first imports
    `cchc.wsgi` and so starts exactly as a web worker does."""
    print(json.dumps(dashboard(bench_province.ensure_province()), default=str))
