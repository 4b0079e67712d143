"""The baselines of the one-stop bench: what a plain Django import and the scalar calendar would do.

- import: the generated rows read with the csv module into Dossier instances and `bulk_create`d
  (on a sample, in a transaction rolled back);
- due dates: one call of the scalar `add_working_days` per dossier (on a sample), beside the
  vectorised engine over every row.
"""

import csv
import datetime
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction

from cchc.bench.dossiers import Generated
from cchc.bench.province import FIRST_DAY, LAST_DAY
from cchc.onestop.ingest import partitions
from cchc.onestop.models import Dossier, Procedure
from cchc.units.models import UnitCode
from cchc.workdays.calendar import add_working_days, next_working_day

DUE_BASELINE_ROWS = 50_000
BULK_BATCH = 5_000
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


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
    procedures = {
        code: (pk, limit, unit)
        for code, pk, limit, unit in Procedure.objects.values_list("code", "id", "time_limit", "time_unit")
    }
    units = dict(UnitCode.objects.values_list("code", "unit_id"))
    close = datetime.time(17, 0)
    now = datetime.datetime.now(datetime.UTC)
    # bulk_create, unlike the import, does not create the partitions of the months it writes
    # (PostgreSQL): give every month of the generated dossiers one, outside the timing.
    months = (LAST_DAY.year - FIRST_DAY.year) * 12 + LAST_DAY.month - FIRST_DAY.month + 1
    partitions.create(partitions.months_from(FIRST_DAY, months))
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


def due_dates(generated: Generated, calendar: Any) -> dict[str, Any]:
    """Working-day due dates: the array engine over every row against the scalar function on a sample."""
    starts = generated.start_days.astype("datetime64[D]")
    counts = generated.working_days.astype(np.int64)
    calendar.working_day_table(FIRST_DAY.year - 1, LAST_DAY.year + 2)  # built once
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
