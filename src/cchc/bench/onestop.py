"""`cchc bench onestop` (also `cchc onestop bench`): generate a province's dossiers and measure the
one-stop hot paths.

Every figure stands beside a baseline measured in the same run on the same database:

- import rows/s through `services.import_dossiers` (validation, due dates, classification, staging,
  upsert and rollup maintenance included), against Django's `bulk_create` of the same rows read
  with the csv module (on a sample of at most BASELINE_ROWS rows, in a transaction rolled back),
  and against a bare COPY of the same file into an unindexed table (`bare_copy`, PostgreSQL):
  `import_share_of_copy` is the import's rate divided by that one;
- due dates per second: the vectorised working-day engine over every row, against one call of the
  scalar `add_working_days` per dossier (on a sample);
- three leadership questions answered from the rollups through `queries` (p50, p95 over many
  repetitions), against the same questions answered by GROUP BY over the raw dossiers;
- the rollup rebuild, the consistency check, and peak memory: the import's own and the whole run's.

It runs on the bench province only (`cchc.bench.province.CODE`) and refuses to run on a database
that holds dossiers of any other unit.
"""

import contextlib
import gc
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import DatabaseError, connection

from cchc.bench import dossiers, province
from cchc.bench.bare_copy import bare_copy_rows_per_s
from cchc.bench.baselines import bulk_create_baseline, due_dates
from cchc.bench.dashboard import dashboard_in_fresh_process, first_grid_in_fresh_process
from cchc.onestop import services
from cchc.onestop.ingest import store
from cchc.onestop.models import Dossier
from cchc.workdays.calendar import get_calendar

BASELINE_ROWS = 200_000


class BenchRefused(CommandError):
    """The database holds dossiers of units outside the bench province: the bench would touch them."""


def run_bench(
    *, rows: int, seed: int = 766, log: TextIO | None = None, workdir: Path | None = None
) -> dict[str, Any]:
    say = _logger(log)
    bench = province.ensure_province()
    if Dossier.objects.exclude(unit__path__startswith=bench.province.path).exists():
        raise BenchRefused(
            "The database holds dossiers of other units: run the bench on a database of its own."
        )
    province.ensure_procedures(province.catalogue())
    province.clear_dossiers(bench)
    calendar = get_calendar()
    result: dict[str, Any] = {"rows": rows, "seed": seed, "db": connection.vendor}
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        path = Path(workdir or tmp) / f"dossiers-{rows}-{seed}.csv"
        started = time.perf_counter()
        generated = dossiers.generate(path, rows, seed, calendar, services.deadline_settings(), say)
        result["generate_s"] = round(time.perf_counter() - started, 2)
        result["file_mb"] = round(path.stat().st_size / 2**20, 1)

        # The generated file's pages are still being written out: the COPY would share the disk with
        # them, and the import, timed later on a quiet disk, would look closer to it than it is.
        os.sync()
        say("bare COPY of the file …")
        result.update(bare_copy_rows_per_s(path, rows))

        say("baseline import (bulk_create) …")
        sample, seconds = bulk_create_baseline(path, min(rows, BASELINE_ROWS), calendar)
        result["import_baseline_rows"] = sample
        result["import_baseline_rows_per_s"] = round(sample / seconds) if seconds else None
        province.clear_dossiers(bench)  # the rollback left dead rows behind on PostgreSQL

        say("due dates …")
        result.update(due_dates(generated, calendar))
        del generated  # the generator's arrays, so that the import's memory is its own
        gc.collect()

        os.sync()  # the same quiet disk as the bare COPY had
        say("import …")
        _reset_peak()
        started = time.perf_counter()
        imported = services.import_dossiers(path, actor=None)
        seconds = time.perf_counter() - started
        if not imported.applied:
            raise RuntimeError(f"The generated file did not import: {imported.errors[:5]}")
        result["import_s"] = round(seconds, 2)
        result["import_rows_per_s"] = round(rows / seconds) if seconds else None
        result["import_share_of_copy"] = (
            round(result["import_rows_per_s"] / result["copy_rows_per_s"], 3)
            if result["import_rows_per_s"] and result["copy_rows_per_s"]
            else None
        )
        result["import"] = imported.as_dict()
        result["peak_rss_mb"] = _import_peak_mb()
        result.update(first_grid_in_fresh_process())
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
