"""`make bench`: measures the foundation's hot paths, each beside a baseline from the same run.

Writes the table to docs/performance.md (between the markers) and prints it. Runs on the database
DATABASE_URL names (SQLite under var/ by default); it creates its own throw-away database there.
"""

import datetime
import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402

from cchc.workdays import calendar  # noqa: E402

DUE_DATE_ROWS = 200_000
ONESTOP_ROWS = int(os.environ.get("CCHC_BENCH_ONESTOP_ROWS", "50000"))


def timed(function, repeat=5):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def bench_due_dates():
    rng = np.random.default_rng(2026)
    starts = np.datetime64("2023-01-01") + rng.integers(0, 3 * 365, DUE_DATE_ROWS).astype("timedelta64[D]")
    limits = rng.integers(1, 30, DUE_DATE_ROWS)
    cal = calendar.get_calendar()
    cal.working_day_table(2022, 2028)  # build once, as a long-running importer would
    scalar_starts = [day.astype(datetime.date) for day in starts[:20_000]]
    scalar_limits = limits[:20_000].tolist()

    def scalar():
        for start, limit in zip(scalar_starts, scalar_limits, strict=True):
            calendar.add_working_days(start, limit, calendar=cal)

    def vectorised():
        calendar.add_working_days_array(starts, limits, calendar=cal)

    scalar_rate = len(scalar_starts) / statistics.median(timed(scalar, 3))
    vector_rate = DUE_DATE_ROWS / statistics.median(timed(vectorised))
    return [
        (
            "due dates per second (add_working_days)",
            f"{vector_rate:,.0f}",
            f"{scalar_rate:,.0f}",
            f"{vector_rate / scalar_rate:,.0f}×",
        )
    ]


def bench_unit_queries():
    from cchc.units import queries
    from cchc.units.models import Unit, UnitType

    if not Unit.objects.filter(type=UnitType.PROVINCE, code="68").exists():
        call_command("units", "load-official", "--province", "68", "--json", stdout=io.StringIO())
    province = Unit.objects.get(type=UnitType.PROVINCE, code="68", valid_to__isnull=True)
    old = Unit.objects.filter(type=UnitType.COMMUNE, valid_to=datetime.date(2025, 6, 30)).order_by("pk")[:50]
    today = datetime.date(2026, 6, 1)

    def subtree():
        list(Unit.objects.subtree(province).active_on(today))

    def walk_children():
        # Baseline: the same set found by following parent links level by level.
        found, frontier = [], [province.pk]
        while frontier:
            level = list(Unit.objects.filter(parent_id__in=frontier).active_on(today))
            found += level
            frontier = [unit.pk for unit in level]

    def heirs():
        for unit in old:
            queries.inheritors(unit, today)

    sub = statistics.median(timed(subtree, 20)) * 1000
    walk = statistics.median(timed(walk_children, 20)) * 1000
    heir = statistics.median(timed(heirs, 5)) * 1000 / len(old)
    return [
        (
            "province subtree on a date, ms (path prefix vs parent walk)",
            f"{sub:.1f}",
            f"{walk:.1f}",
            f"{walk / sub:.1f}×",
        ),
        ("inheritors of one old commune, ms", f"{heir:.2f}", "—", "—"),
    ]


def bench_onestop():
    """The one-stop bench (`cchc bench onestop`) at a size SQLite finishes in a few minutes."""
    from cchc.bench.onestop import run_bench

    result = run_bench(rows=ONESTOP_ROWS, seed=766, log=sys.stderr)
    questions = result["dashboard_questions"]
    rows = [
        (
            f"one-stop import, rows/s ({ONESTOP_ROWS:,} rows; baseline: ORM bulk_create)",
            f"{result['import_rows_per_s']:,}",
            f"{result['import_baseline_rows_per_s']:,}",
            f"{result['import_rows_per_s'] / result['import_baseline_rows_per_s']:.1f}×",
        ),
        (
            "one-stop due dates per second (array engine vs one call per dossier)",
            f"{result['due_dates_per_s']:,}",
            f"{result['due_dates_baseline_per_s']:,}",
            f"{result['due_dates_per_s'] / result['due_dates_baseline_per_s']:,.0f}×",
        ),
    ]
    for name, label in (("province_month_grid", "province month grid"), ("unit_ranking", "unit ranking"),
                        ("unit_trend", "one commune's 36-month trend")):  # fmt: skip
        figures = questions[name]
        rows.append((
            f"dashboard: {label}, p95 ms (rollups vs GROUP BY over dossiers)",
            f"{figures['p95_ms']:.1f}",
            f"{figures['baseline_p95_ms']:.1f}",
            f"{figures['baseline_p95_ms'] / figures['p95_ms']:.1f}×",
        ))  # fmt: skip
    consistent = "consistent" if result["rollups_consistent"] else "DIFFERENT"
    rebuild = f"{result['rollup_rebuild_s']:.1f}"
    rows.append((f"rollup rebuild, s (rollups {consistent})", rebuild, "—", "—"))
    return rows


def main():
    call_command("migrate", verbosity=0)
    rows = bench_due_dates() + bench_unit_queries() + bench_onestop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from django.db import connection

    header = (
        f"Measured {datetime.date.today():%d/%m/%Y} on {connection.vendor}, {os.cpu_count()} cores; "
        f"peak memory {peak_mb:.0f} MB.\n\n"
        "| measure | ours | baseline | ratio |\n| --- | --- | --- | --- |\n"
    )
    table = header + "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows) + "\n"
    print(table)
    target = ROOT / "docs" / "performance.md"
    text = target.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    target.write_text(f"{before}{start}\n{table}{end}{after}", encoding="utf-8")


if __name__ == "__main__":
    main()
