"""Imports of procedures and dossiers, and the rebuild and check of the monthly rollups.

An import is all or nothing: the whole file is read and checked first; when any row is wrong,
nothing is written and the caller gets every row's problem. Re-sending a dossier updates it;
sending the same file twice changes nothing the second time.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cchc.accounts.permissions import ADMINISTER, ENTER, has_global_permission, scope_paths
from cchc.core import audit
from cchc.core.settings_store import get_setting
from cchc.onestop.ingest import loading, store
from cchc.onestop.ingest import procedures as procedure_rows
from cchc.onestop.ingest.codes import CodeHashes
from cchc.onestop.ingest.dossiers import ALIASES, DossierReader, load_lookups
from cchc.onestop.ingest.reading import ROW, UnreadableFile, prepared_ahead, read_batches, record_batches
from cchc.onestop.ingest.rules import DeadlineSettings
from cchc.onestop.models import FieldMonthRollup, ImportJob, ImportKind, JobStatus, UnitMonthRollup
from cchc.onestop.queries.live import dossiers_changed
from cchc.onestop.services.partitions import archived_months
from cchc.workdays.calendar import get_calendar

Progress = Callable[[int], None]
MAX_KEPT_ERRORS = 100_000  # beyond this the report says how many more there were


class ImportRefused(Exception):
    """The import cannot start (no permission, unreadable file); nothing was changed."""


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "applied": self.applied,
        }


def deadline_settings() -> DeadlineSettings:
    """Office closing time, receipt cut-off and apology notice, configurable per province.

    domain.md §7.4 marks the first two unverified; the apology notice of 1 working day is that of the
    provincial one-stop rules (e.g. Lai Châu QĐ 88/2025/QĐ-UBND art. 3(6), domain.md §4.5).
    """
    close = datetime.time.fromisoformat(get_setting("onestop.office_close", "17:00"))
    cutoff_text = get_setting("onestop.receipt_cutoff", "")
    cutoff = datetime.time.fromisoformat(cutoff_text) if cutoff_text else None
    notice = int(get_setting("onestop.apology_notice_working_days", 1))
    return DeadlineSettings(office_close=close, receipt_cutoff=cutoff, apology_notice_working_days=notice)


def _batches(source: Path | list[dict[str, Any]], batch_rows: int) -> Iterator[pl.DataFrame]:
    if isinstance(source, list):
        yield from record_batches(source, ALIASES, batch_rows, first_row=1)
        return
    yield from read_batches(source, ALIASES, batch_rows)


def import_dossiers(
    source: Path | list[dict[str, Any]],
    *,
    actor: Any,
    job: ImportJob | None = None,
    progress: Progress | None = None,
    batch_rows: int | None = None,
    now: datetime.datetime | None = None,
) -> ImportResult:
    """Import dossiers from a file (CSV, XLSX, JSON) or a list of records (the API batch)."""
    allowed = None if actor is None else scope_paths(actor, ENTER)
    if allowed is not None and not allowed:
        raise ImportRefused(_("You may not enter dossiers for any unit."))
    reader = DossierReader(load_lookups(allowed), get_calendar(), deadline_settings(), now or timezone.now())
    result = ImportResult()
    with transaction.atomic():
        try:
            with transaction.atomic():  # a refused file leaves nothing behind, even from a first load
                _load_dossiers(source, reader, result, allowed, progress, batch_rows)
        except _Refused:
            pass
        record_import(actor, job, ImportKind.DOSSIERS, result)
    if result.applied:
        dossiers_changed()  # the shared counts of pending dossiers (queries.live) are out of date
    return result


class _Refused(Exception):
    """Some rows were wrong: undo what was written (the errors are in the result)."""


def _load_dossiers(
    source: Path | list[dict[str, Any]],
    reader: DossierReader,
    result: ImportResult,
    allowed: list[str] | None,
    progress: Progress | None,
    batch_rows: int | None,
) -> None:
    load = loading.open_load(source)
    try:
        _load_and_apply(source, reader, result, allowed, progress, batch_rows, load)
    finally:
        load.release()


def _load_and_apply(
    source: Path | list[dict[str, Any]],
    reader: DossierReader,
    result: ImportResult,
    allowed: list[str] | None,
    progress: Progress | None,
    batch_rows: int | None,
    load: loading.StagedLoad | loading.FirstLoad,
) -> None:
    rows_before = loading.table_rows()
    # After the load's lock on the dossier table, which a detach holds until its commit: a month it
    # archived meanwhile is seen here, not given a new partition.
    archived = sorted(archived_months())
    with CodeHashes() as codes:
        contributions = _read_rows(source, reader, result, load, codes, archived, progress, batch_rows)
        if result.error_count == 0 and allowed is not None and not load.first_load:
            keep_errors(result, foreign_dossiers(allowed))
        if result.error_count == 0:
            for code, numbers in codes.repeated(load.codes):
                message = _("The dossier code %(code)s appears on rows %(rows)s.") % {
                    "code": code,
                    "rows": ", ".join(str(n) for n in numbers[:10]),
                }
                keep_errors(result, [(numbers[-1], "dossier_code", message)])
    if result.error_count:
        raise _Refused
    if result.rows:
        counts = load.apply(result.rows, contributions.total())
        result.created, result.updated, result.unchanged = counts.created, counts.updated, counts.unchanged
        if loading.analyze_if_large(counts.created + counts.updated, rows_before):
            transaction.on_commit(analyze_dossiers.enqueue)


def _read_rows(
    source: Path | list[dict[str, Any]],
    reader: DossierReader,
    result: ImportResult,
    load: loading.StagedLoad | loading.FirstLoad,
    codes: CodeHashes,
    archived: list[datetime.date],
    progress: Progress | None,
    batch_rows: int | None,
) -> loading.ContributionTotals:
    """Check every batch and write the rows while the file is found right; the rollup contributions."""
    contributions = loading.ContributionTotals(reader.lookups.procedure_traits)

    def prepare(batch: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame] | None:
        if batch.height == 0 or reader.check_columns(batch.columns):
            return None  # refused or skipped below, in this thread
        return reader.prepare(batch)

    batches = prepared_ahead(_batches(source, batch_rows or settings.CCHC_IMPORT_BATCH_ROWS), prepare)
    try:
        for batch, prepared in batches:
            missing = reader.check_columns(batch.columns)
            if missing:
                raise ImportRefused(
                    _("The file lacks the column(s): %(names)s.") % {"names": ", ".join(missing)}
                )
            if prepared is None:
                continue
            rows, errors = prepared
            result.rows += batch.height
            keep_errors(result, errors.iter_rows())
            if archived:
                rows = _outside_archive(rows, archived, result)
            if result.error_count == 0:  # after the first wrong row, only look for more
                load.add(rows)
                codes.add(rows)
                contributions.add(rows)
            if progress:
                progress(result.rows)
    except BaseException:
        load.close(raise_failure=False)
        raise
    finally:
        batches.close()  # now rather than when collected: the worker may still hold a batch
    load.close()
    return contributions


@task()
def analyze_dossiers() -> None:
    """The dossier table's full statistics, after a large import analysed it on a quick sample.

    Autovacuum would redo the monthly partitions in the next minutes, but never the partitioned
    parent, whose statistics the planner uses for the table as a whole (joins, groupings).
    """
    loading.analyze_dossiers()


def _outside_archive(rows: pl.DataFrame, archived: list[datetime.date], result: ImportResult) -> pl.DataFrame:
    """The rows not received in an archived month; the others are wrong rows (their month's dossiers
    were detached from the table and its counts are final)."""
    inside = pl.col("received_month").is_in(archived)
    message = _("Dossiers received in %(month)s were archived: that month takes no more dossiers.")
    keep_errors(
        result,
        (
            (row, "received_at", message % {"month": f"{month:%m/%Y}"})
            for row, month in rows.filter(inside).select(ROW, "received_month").iter_rows()
        ),
    )
    return rows.filter(~inside)


def foreign_dossiers(allowed: list[str]) -> list[tuple[int, str, str]]:
    """Staged rows whose code names a stored dossier of a unit outside `allowed` (the importer's reach).

    The reader checks the unit a row names; this checks the dossier a row would replace, so that no
    one moves or rewrites another unit's dossier by sending its code.
    """
    from cchc.onestop.models import Dossier
    from cchc.units.models import Unit

    inside = " OR ".join(["u.path LIKE %s"] * len(allowed))
    sql = (
        f"SELECT t.{ROW}, t.code FROM {store.STAGING} t "
        f"JOIN {Dossier._meta.db_table} d ON d.code = t.code "
        f"JOIN {Unit._meta.db_table} u ON u.id = d.unit_id "
        f"WHERE NOT ({inside}) ORDER BY t.{ROW}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{path}%" for path in allowed])
        rows = cursor.fetchall()
    # Worded so that it tells nothing about the dossier the code names (whose it is, or that it exists).
    message = _(
        "The dossier code %(code)s cannot be accepted from you: check that it is the code your unit "
        "gave this dossier."
    )
    return [(int(row), "dossier_code", message % {"code": code}) for row, code in rows]


def keep_errors(result: ImportResult, errors: Any) -> None:
    for error in errors:
        result.error_count += 1
        if len(result.errors) < MAX_KEPT_ERRORS:
            result.errors.append((int(error[0]), str(error[1]), str(error[2])))


def record_import(actor: Any, job: ImportJob | None, kind: str, result: ImportResult) -> None:
    """Write the job's outcome and, when something changed, the audit row."""
    if job is None:
        job = ImportJob.objects.create(kind=kind, original_name="", created_by=actor)
    job.rows = result.rows
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.error_count = result.error_count
    job.status = JobStatus.DONE if result.applied else JobStatus.FAILED
    job.finished_at = timezone.now()
    job.save()
    if result.applied and (result.created or result.updated):
        audit.record(
            actor=actor,
            action=f"onestop.import_{kind}",
            obj=job,
            before={},
            after=result.as_dict(),
            reason=job.original_name,
        )


def import_procedures(
    source: Path | list[dict[str, Any]], *, actor: Any, job: ImportJob | None = None
) -> ImportResult:
    """Create or update procedures from a list (columns code, name, field, level, time_limit, time_unit,
    online)."""
    if actor is not None and not has_global_permission(actor, ADMINISTER):
        raise ImportRefused(_("Only administrators may change the list of procedures."))
    result = ImportResult()
    prepared: list[dict[str, Any]] = []
    for batch in _procedure_batches(source):
        missing = procedure_rows.missing_columns(batch.columns)
        if missing:
            raise ImportRefused(_("The file lacks the column(s): %(names)s.") % {"names": ", ".join(missing)})
        for record in batch.iter_rows(named=True):
            result.rows += 1
            values, problems = procedure_rows.read(record)
            keep_errors(result, [(record[ROW], column, message) for column, message in problems])
            if not problems:
                prepared.append(values)
    seen: dict[str, int] = {}
    for values in prepared:
        if values["code"] in seen:
            keep_errors(
                result,
                [
                    (
                        values["row"],
                        "code",
                        _("The procedure code %(code)s appears twice.") % {"code": values["code"]},
                    )
                ],
            )
        seen[values["code"]] = values["row"]
    with transaction.atomic():
        stale = False
        if result.error_count == 0:
            for values in prepared:
                outcome, changes_rollups = procedure_rows.save(values, actor=actor)
                setattr(result, outcome, getattr(result, outcome) + 1)
                stale = stale or changes_rollups
        if stale:
            # Rare (a procedure moved to another field, gained fees, went online): recount everything.
            store.rebuild()
        record_import(actor, job, ImportKind.PROCEDURES, result)
    return result


def _procedure_batches(source: Path | list[dict[str, Any]]) -> Iterator[pl.DataFrame]:
    if isinstance(source, list):
        yield from record_batches(source, {}, 50_000, first_row=1)
    else:
        yield from read_batches(source, {}, 50_000)


def rebuild_rollups(*, actor: Any) -> dict[str, int]:
    """Recompute the monthly rollups from the dossiers (after a change of the unit tree).

    Returns how many rows each rollup holds. It changes no recorded fact, so it writes no audit row.
    """
    if actor is not None and not has_global_permission(actor, ADMINISTER):
        raise ImportRefused(_("Only administrators may rebuild the rollups."))
    with transaction.atomic():
        store.rebuild()
    store.vacuum_rollups()
    return {"field_rows": FieldMonthRollup.objects.count(), "unit_rows": UnitMonthRollup.objects.count()}


def check_rollups() -> dict[str, int]:
    """Counts of rollup rows that differ from a recomputation from the dossiers (all zero when right)."""
    return store.differences()


def guess_kind(path: Path) -> str:
    """procedures or dossiers, from the file's first batch of columns."""
    for batch in read_batches(path, ALIASES, 10):
        return "dossiers" if "dossier_code" in batch.columns else "procedures"
    return "dossiers"


__all__ = [
    "ImportRefused",
    "ImportResult",
    "UnreadableFile",
    "guess_kind",
    "import_dossiers",
    "import_procedures",
]
