"""`cchc onestop bench`: generate a province's dossiers and measure the one-stop hot paths.

Every figure stands beside a baseline measured in the same run on the same database:

- import rows/s through `services.import_dossiers` (validation, due dates, classification, staging,
  upsert and rollup maintenance included), against Django's `bulk_create` of the same rows read
  with the csv module (on a sample of at most BASELINE_ROWS rows, in a transaction rolled back);
- due dates per second: the vectorised working-day engine over every row, against one call of the
  scalar `add_working_days` per dossier (on a sample);
- three leadership questions answered from the rollups through `queries` (p50, p95 over many
  repetitions), against the same questions answered by GROUP BY over the raw dossiers;
- the rollup rebuild, the consistency check, and peak memory: the import's own and the whole run's.

It runs on the bench province only (bench_data.CODE) and refuses to run on a database that holds
dossiers of any other unit.
"""

import contextlib
import csv
import datetime
import gc
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import numpy as np
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from cchc.onestop import bench_data
from cchc.onestop.ingest import store
from cchc.units.models import PATH_STEP

BASELINE_ROWS = 200_000
DUE_BASELINE_ROWS = 50_000
BULK_BATCH = 5_000
ROLLUP_REPEATS = 100
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = bench_data.LAST_DAY.year  # "the last year" of the leadership questions


class BenchRefused(CommandError):
    """The database holds dossiers of units outside the bench province: the bench would touch them."""


def run_bench(
    *, rows: int, seed: int = 766, log: TextIO | None = None, workdir: Path | None = None
) -> dict[str, Any]:
    say = _logger(log)
    from cchc.onestop import services
    from cchc.onestop.models import Dossier
    from cchc.workdays.calendar import get_calendar

    province = bench_data.ensure_province()
    if Dossier.objects.exclude(unit__path__startswith=province.province.path).exists():
        raise BenchRefused(
            "The database holds dossiers of other units: run the bench on a database of its own."
        )
    bench_data.ensure_procedures(bench_data.catalogue())
    bench_data.clear_dossiers(province)
    calendar = get_calendar()
    result: dict[str, Any] = {"rows": rows, "seed": seed, "db": connection.vendor}
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        path = Path(workdir or tmp) / f"dossiers-{rows}-{seed}.csv"
        started = time.perf_counter()
        generated = bench_data.generate(path, rows, seed, calendar, services.deadline_settings(), say)
        result["generate_s"] = round(time.perf_counter() - started, 2)
        result["file_mb"] = round(path.stat().st_size / 2**20, 1)

        say("baseline import (bulk_create) …")
        sample, seconds = bulk_create_baseline(path, min(rows, BASELINE_ROWS), calendar)
        result["import_baseline_rows"] = sample
        result["import_baseline_rows_per_s"] = round(sample / seconds) if seconds else None
        bench_data.clear_dossiers(province)  # the rollback left dead rows behind on PostgreSQL

        say("due dates …")
        result.update(due_dates(generated, calendar))
        del generated  # the generator's arrays, so that the import's memory is its own
        gc.collect()

        say("import …")
        _reset_peak()
        started = time.perf_counter()
        imported = services.import_dossiers(path, actor=None)
        seconds = time.perf_counter() - started
        if not imported.applied:
            raise RuntimeError(f"The generated file did not import: {imported.errors[:5]}")
        result["import_s"] = round(seconds, 2)
        result["import_rows_per_s"] = round(rows / seconds) if seconds else None
        result["import"] = imported.as_dict()
        result["peak_rss_mb"] = _import_peak_mb()
        store.vacuum_rollups()  # as `cchc onestop import` does after an import
        # What autovacuum does in the minutes after a large load; done here so that it does not
        # compete with the measurements below (PostgreSQL only).
        if connection.vendor == "postgresql" and not connection.in_atomic_block:  # not inside a test
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE onestop_dossier")
                # Flush the load's dirty pages now rather than while the dashboards are timed.
                with contextlib.suppress(DatabaseError):  # needs a superuser or pg_checkpoint
                    cursor.execute("CHECKPOINT")
            # And let the operating system write out its dirty pages (the database's and the
            # generated file's), which otherwise stall reads during the timed questions.
            os.sync()

    say("consistency check …")
    started = time.perf_counter()
    after_import = services.check_rollups()
    result["rollup_check_s"] = round(time.perf_counter() - started, 2)

    say("dashboard questions …")
    result.update(dashboard_in_fresh_process())

    say("rollup rebuild …")
    started = time.perf_counter()
    services.rebuild_rollups(actor=None)
    result["rollup_rebuild_s"] = round(time.perf_counter() - started, 2)
    after_rebuild = services.check_rollups()
    result["rollups_consistent"] = all(
        check["field_rows"] == 0 and check["unit_rows"] == 0 for check in (after_import, after_rebuild)
    )
    result["rollup_rows"] = {
        "field": after_rebuild["checked_field_rows"],
        "unit": after_rebuild["checked_unit_rows"],
    }
    result["run_peak_rss_mb"] = _peak_mb()
    return result


def _logger(stream: TextIO | None) -> Callable[[str], None]:
    started = time.perf_counter()

    def say(text: str) -> None:
        if stream is not None:
            stream.write(f"[{time.perf_counter() - started:7.1f}s] {text}\n")
            stream.flush()

    return say


def _peak_mb() -> int:
    """The most memory the process has held since it started."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


STATUS, CLEAR_REFS = Path("/proc/self/status"), Path("/proc/self/clear_refs")


def _reset_peak() -> None:
    """Start the kernel's high-water mark of resident memory again from the current size (Linux)."""
    with contextlib.suppress(OSError):
        CLEAR_REFS.write_text("5")


def _import_peak_mb() -> int:
    """The most memory held since `_reset_peak` (Linux); elsewhere the process's peak so far.

    It includes what the process held when the import started (Django, the lookups), not the file
    generated for the bench, which is freed before.
    """
    with contextlib.suppress(OSError):
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return _peak_mb()


# -- the import baseline --------------------------------------------------------------------------


def _instant(text: str) -> datetime.datetime | None:
    if not text:
        return None
    if "/" in text:
        value = datetime.datetime.strptime(text, "%d/%m/%Y %H:%M")
    else:
        value = datetime.datetime.fromisoformat(text)
        if len(text) == 10:
            value = value.replace(hour=23, minute=59, second=59)
    return value.replace(tzinfo=LOCAL)


def _month(value: datetime.datetime | None) -> datetime.date | None:
    return None if value is None else value.astimezone(LOCAL).date().replace(day=1)


def bulk_create_baseline(path: Path, sample: int, calendar: Any) -> tuple[int, float]:
    """Read the first `sample` rows with the csv module into Dossier instances and bulk_create them.

    The rows get what a plain Django import would give them: parsed dates, looked-up foreign keys, a
    due date from the scalar working-day function when the file has none, an outcome by comparing
    the end with the due date, and the month columns. Rolled back afterwards.
    """
    from cchc.onestop.models import Dossier, Procedure
    from cchc.units.models import UnitCode
    from cchc.workdays.calendar import add_working_days, next_working_day

    procedures = {
        code: (pk, limit, unit)
        for code, pk, limit, unit in Procedure.objects.values_list("code", "id", "time_limit", "time_unit")
    }
    units = dict(UnitCode.objects.values_list("code", "unit_id"))
    close = datetime.time(17, 0)
    now = datetime.datetime.now(datetime.UTC)
    started = time.perf_counter()
    done = 0
    with transaction.atomic():
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            batch: list[Any] = []
            for record in reader:
                if done >= sample:
                    break
                done += 1
                procedure_id, limit, time_unit = procedures[record["procedure_code"]]
                received = _instant(record["received_at"])
                assert received is not None  # the generator always writes it
                due = _instant(record["due_at"])
                computed = due is None
                if computed:
                    whole = int(Decimal(limit or 0).to_integral_value(rounding="ROUND_CEILING"))
                    if time_unit == "hour":
                        due = received + datetime.timedelta(hours=whole)
                    else:
                        local_day = received.astimezone(LOCAL).date()
                        if time_unit == "working_day":
                            day = add_working_days(local_day, whole, calendar=calendar)
                        else:
                            day = local_day + datetime.timedelta(days=whole)
                            if not calendar.is_working_day(day):
                                day = next_working_day(day, calendar=calendar)
                        due = datetime.datetime.combine(day, close, tzinfo=LOCAL)
                assert due is not None
                finished = _instant(record["finished_at"])
                outcome = None
                if finished is not None:
                    outcome = 3 if finished > due else (1 if finished.date() < due.date() else 2)
                status = int(record["status"])
                batch.append(
                    Dossier(
                        code=record["dossier_code"],
                        procedure_id=procedure_id,
                        unit_id=units[record["unit_code"]],
                        channel=int(record["channel"]),
                        status=status,
                        received_at=received,
                        due_at=due,
                        finished_at=finished,
                        returned_at=_instant(record["returned_at"]),
                        supplements=json.loads(record["supplements"]) if record["supplements"] else [],
                        apology_at=_instant(record["apology_at"]),
                        rescheduled_due_at=_instant(record["rescheduled_due_at"]),
                        digitized=record["digitized"] == "1",
                        e_result=record["e_result"] == "1",
                        paid_online=record["paid_online"] == "1",
                        rating=int(record["rating"]) if record["rating"] else None,
                        due_computed=computed,
                        counted=status not in (1, 3),
                        supplement_count=0,
                        outcome=outcome,
                        overdue_from=due if finished is None or finished > due else None,
                        apology_valid=False,
                        received_month=received.astimezone(LOCAL).date().replace(day=1),
                        finished_month=_month(finished),
                        overdue_month=_month(due) if finished is None or finished > due else None,
                        updated_at=now,
                    )
                )
                if len(batch) >= BULK_BATCH:
                    Dossier.objects.bulk_create(batch, batch_size=BULK_BATCH)
                    batch = []
            if batch:
                Dossier.objects.bulk_create(batch, batch_size=BULK_BATCH)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return done, seconds


# -- due dates ------------------------------------------------------------------------------------


def due_dates(generated: bench_data.Generated, calendar: Any) -> dict[str, Any]:
    """Working-day due dates: the array engine over every row against the scalar function on a sample."""
    from cchc.workdays.calendar import add_working_days

    starts = generated.start_days.astype("datetime64[D]")
    counts = generated.working_days.astype(np.int64)
    calendar.working_day_table(bench_data.FIRST_DAY.year - 1, bench_data.LAST_DAY.year + 2)  # built once
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        calendar.add_working_days_array(starts, counts)
        timings.append(time.perf_counter() - started)
    vector = len(starts) / min(timings)
    sample = min(len(starts), DUE_BASELINE_ROWS)
    days = starts[:sample].astype(datetime.date).tolist()
    limits = counts[:sample].tolist()
    started = time.perf_counter()
    for day, n in zip(days, limits, strict=True):
        add_working_days(day, n, calendar=calendar)
    scalar = sample / (time.perf_counter() - started)
    return {
        "due_dates_per_s": round(vector),
        "due_dates_baseline_per_s": round(scalar),
        "due_dates_baseline_rows": sample,
    }


# -- the leadership questions ---------------------------------------------------------------------


def _months(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, 1) for month in range(1, 13)]


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def dashboard(province: bench_data.Province) -> dict[str, Any]:
    """p50/p95 of each question from the rollups, p95 of the same question from the raw dossiers."""
    from cchc.onestop import queries
    from cchc.units.models import Unit

    root = province.province
    last_day = bench_data.LAST_DAY
    children = queries.children_of(root, last_day)
    commune = Unit.objects.get(code=f"{bench_data.CODE}.X001", path__startswith=root.path)
    trend_months = [m for year in range(bench_data.FIRST_DAY.year, YEAR + 1) for m in _months(year)]
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
        baseline = [time.perf_counter() - started, *_timed(slow, 2)]
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
    from cchc.onestop import queries

    return queries.month_grid(queries.children_of(root, bench_data.LAST_DAY), _months(YEAR))


def ranking_from_rollups(root: Any) -> list[tuple[int, Decimal | None]]:
    """The units directly below the province by on-time rate over the year, best first."""
    from cchc.core.periods import Period
    from cchc.onestop import queries

    children = queries.children_of(root, bench_data.LAST_DAY)
    stats = queries.stats_for_units(children, Period.parse(str(YEAR)))
    return _ranked({unit.pk: stats[unit.pk].rate("on_time_rate") for unit in children})


def trend_from_rollups(unit: Any, months: list[datetime.date]) -> list[tuple[datetime.date, Decimal | None]]:
    from cchc.onestop import queries

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
    from cchc.onestop.queries import rate

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
            result[(row[0], index)] = rate(in_time + waiting - late, done + waiting)
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
    import subprocess

    if connection.in_atomic_block:  # a test: its data is not committed, another process cannot see it
        return dashboard(bench_data.ensure_province())
    connection.close()  # let the child see everything committed
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from cchc.onestop import bench; bench.print_dashboard()",
        ],
        check=True,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "cchc.settings", **os.environ},
    )
    return json.loads(completed.stdout)


def print_dashboard() -> None:
    """Entry point of the child process of `dashboard_in_fresh_process`, which first imports
    `cchc.wsgi` and so starts exactly as a web worker does."""
    print(json.dumps(dashboard(bench_data.ensure_province()), default=str))
