"""The benchmark's dossiers: generated from the run's seed, deterministic, written chunk by chunk.

N dossiers received over three years (2023–2025) at the units of the bench province
(`cchc.bench.province`), written to a CSV file CHUNK_ROWS at a time so that ten million rows never
sit in memory at once.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from cchc.bench.province import CATALOGUE_SEED, CODE, FIRST_DAY, LAST_DAY, Catalogue, catalogue, unit_codes
from cchc.onestop.ingest import rules

CHUNK_ROWS = 250_000
LOCAL_OFFSET_US = 7 * 3600 * 1_000_000
US_PER_DAY = 86_400 * 1_000_000
US_PER_MINUTE = 60 * 1_000_000
COLUMNS = (
    "dossier_code",
    "procedure_code",
    "unit_code",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status",
    "channel",
    "supplements",
    "apology_at",
    "rescheduled_due_at",
    "digitized",
    "e_result",
    "paid_online",
    "rating",
)


@dataclass
class Source:
    """Where the dossiers go: the catalogue, the receiving units and the window of receipt dates.

    The bench uses its own province (`bench_source`); `cchc bench load` fills an existing province
    (the demo's) with the same generator (`cchc.bench.load`).
    """

    catalogue: Catalogue
    agency_codes: list[str]  # where provincial procedures are received
    commune_codes: list[str]
    first_day: datetime.date
    last_day: datetime.date
    prefix: str  # dossier codes are prefix + seed + "-" + a running number


def bench_source() -> Source:
    agency_codes, commune_codes = unit_codes()
    return Source(catalogue(), agency_codes, commune_codes, FIRST_DAY, LAST_DAY, CODE)


@dataclass
class Generated:
    """What the generator kept beside the file: inputs of the due-date measurement."""

    path: Path
    rows: int
    start_days: np.ndarray = field(repr=False)  # local day numbers of receipt (int32)
    working_days: np.ndarray = field(repr=False)  # whole working days to add (int16)


def _popularity(n: int, rng: np.random.Generator) -> np.ndarray:
    """Zipf-like weights in a shuffled order: a few procedures or units take most dossiers."""
    weights = 1.0 / (np.arange(n) + 4.0) ** 1.05
    rng.shuffle(weights)
    return weights / weights.sum()


def _local_text(us: np.ndarray, valid: np.ndarray | None = None, fmt: str = "%Y-%m-%d %H:%M:%S") -> pl.Series:
    """Texts of instants given as microseconds of local (Vietnamese) wall time; null where not valid."""
    series = pl.Series(us.astype(np.int64)).cast(pl.Datetime("us")).dt.strftime(fmt)
    if valid is not None:
        series = pl.select(pl.when(pl.lit(pl.Series(valid))).then(pl.lit(series))).to_series()
    return series


def generate(
    path: Path,
    rows: int,
    seed: int,
    calendar,
    deadlines,
    log: Callable[[str], None],
    source: Source | None = None,
) -> Generated:
    """Write `rows` dossiers to the CSV file `path`, CHUNK_ROWS at a time; deterministic for `seed`
    (and the source: the bench province unless another is given)."""
    source = source or bench_source()
    cat = source.catalogue
    rng = np.random.default_rng(seed)
    structure = np.random.default_rng(CATALOGUE_SEED + 2)
    provincial = np.flatnonzero(cat.provincial)
    communal = np.flatnonzero(~cat.provincial)
    proc_weights = (_popularity(provincial.size, structure), _popularity(communal.size, structure))
    agency_codes, commune_codes = source.agency_codes, source.commune_codes
    unit_weights = (_popularity(len(agency_codes), structure), _popularity(len(commune_codes), structure))
    first = np.datetime64(source.first_day, "D").astype(np.int64)
    last = np.datetime64(source.last_day, "D").astype(np.int64)
    table = calendar.working_day_table(source.first_day.year - 1, source.last_day.year + 1)
    open_days = table[(table >= first) & (table <= last)]
    window_end_us = (last + 1) * US_PER_DAY - LOCAL_OFFSET_US  # UTC microseconds of the window's end
    limit_series = pl.Series(cat.time_limit)
    unit_series = pl.Series(cat.time_unit.astype(str))
    starts = np.empty(rows, dtype=np.int32)
    working_days = np.empty(rows, dtype=np.int16)
    with open(path, "wb") as handle:
        for chunk_start in range(0, rows, CHUNK_ROWS):
            n = min(CHUNK_ROWS, rows - chunk_start)
            frame, start_day, whole = _chunk(
                rng,
                n,
                chunk_start,
                seed,
                cat,
                provincial,
                communal,
                proc_weights,
                agency_codes,
                commune_codes,
                unit_weights,
                open_days,
                first,
                last,
                window_end_us,
                limit_series,
                unit_series,
                calendar,
                deadlines,
                source.prefix,
            )
            starts[chunk_start : chunk_start + n] = start_day
            working_days[chunk_start : chunk_start + n] = whole
            frame.write_csv(handle, include_header=chunk_start == 0, null_value="")
            log(f"generated {chunk_start + n:,} rows")
    return Generated(path, rows, starts, working_days)


def _chunk(
    rng,
    n,
    offset,
    seed,
    cat,
    provincial,
    communal,
    proc_weights,
    agency_codes,
    commune_codes,
    unit_weights,
    open_days,
    first,
    last,
    window_end_us,
    limit_series,
    unit_series,
    calendar,
    deadlines,
    prefix,
):
    is_provincial = rng.random(n) < 0.4
    proc = np.where(
        is_provincial,
        provincial[rng.choice(provincial.size, n, p=proc_weights[0])],
        communal[rng.choice(communal.size, n, p=proc_weights[1])],
    )
    agency_pick = rng.choice(len(agency_codes), n, p=unit_weights[0])
    commune_pick = rng.choice(len(commune_codes), n, p=unit_weights[1])
    allows_online = cat.online[proc] != "none"
    draw = rng.random(n)
    channel = np.where(allows_online & (draw < 0.57), 2, np.where(draw > 0.97, 3, 1))
    online = channel == 2
    # Receipt: office hours on working days; online applications at any hour of any day.
    office_day = open_days[rng.integers(0, open_days.size, n)]
    any_day = rng.integers(first, last + 1, n)
    day = np.where(online & (rng.random(n) < 0.3), any_day, office_day)
    minute = np.where(online, rng.integers(0, 24 * 60, n), rng.integers(7 * 60 + 30, 17 * 60, n))
    received_local = day * US_PER_DAY + minute * US_PER_MINUTE + rng.integers(0, 60, n) * 1_000_000
    received_utc = received_local - LOCAL_OFFSET_US
    limit = cat.time_limit[proc]
    due = (
        rules.compute_due(
            pl.Series(received_utc).cast(pl.Datetime("us", "UTC")),
            limit_series.gather(proc),
            unit_series.gather(proc),
            calendar,
            deadlines,
        )
        .cast(pl.Int64)
        .to_numpy()
    )
    span = np.maximum(due - received_utc, 3600 * 1_000_000)

    # Supplements: 6 % one request (answered unless still pending), 0.7 % two (late by rule).
    fate = rng.random(n)
    supplements = rng.random(n)
    one_request = supplements < 0.06
    two_requests = supplements < 0.007
    requested = received_utc + (rng.random(n) * 0.5 * span).astype(np.int64)
    pause = rng.integers(1, 6, n) * US_PER_DAY + rng.integers(0, 8 * 60, n) * US_PER_MINUTE
    completed = requested + pause
    second_requested = completed + rng.integers(1, 3, n) * US_PER_DAY
    second_completed = second_requested + rng.integers(1, 4, n) * US_PER_DAY
    paused = np.where(one_request, pause, 0) + np.where(two_requests, second_completed - second_requested, 0)

    uncounted = fate < 0.01  # registered online and never received, or refused at receipt
    stuck = (fate >= 0.01) & (fate < 0.045)  # pending for no visible reason
    withdrawn = (fate >= 0.045) & (fate < 0.055)
    late = (fate >= 0.055) & (fate < 0.13)
    in_time_share = 0.25 + 0.75 * rng.random(n) ** 0.5
    finished = received_utc + paused + (in_time_share * span).astype(np.int64)
    finished = np.where(
        late, due + paused + (rng.exponential(3.0, n) * US_PER_DAY).astype(np.int64) + 3600 * 10**6, finished
    )
    finished = np.where(withdrawn, received_utc + (rng.random(n) * span * 0.5).astype(np.int64), finished)
    has_end = ~uncounted & ~stuck & (finished < window_end_us)
    open_request = one_request & (~has_end) & (rng.random(n) < 0.5)
    returned = has_end & ~withdrawn & (rng.random(n) < 0.7)
    returned_at = finished + (rng.exponential(1.0, n) * US_PER_DAY).astype(np.int64)
    returned = returned & (returned_at < window_end_us)
    status = np.where(
        has_end,
        np.where(withdrawn, np.where(rng.random(n) < 0.5, 7, 8), np.where(returned, 10, 9)),
        rng.choice(np.array([2, 4, 5, 6]), n, p=[0.3, 0.5, 0.1, 0.1]),
    )
    status = np.where(uncounted, np.where(online, 1, 3), status)
    status = np.where(open_request & (status != 1) & (status != 3), 5, status)
    apology = late & has_end & (rng.random(n) < 0.5) & (due - 2 * US_PER_DAY > received_utc)
    apology_at = due - 2 * US_PER_DAY
    rescheduled = finished + US_PER_DAY
    rating = np.where(rng.random(n) < 0.85, 1, np.where(rng.random(n) < 0.67, 2, 3))
    rated = returned & (rng.random(n) < 0.6)
    due_given = rng.random(n) < 0.7

    def local(us):
        return us + LOCAL_OFFSET_US

    iso = "%Y-%m-%dT%H:%M:%S"
    json_pairs = pl.select(
        pl.when(pl.lit(pl.Series(two_requests)))
        .then(
            pl.format(
                '[["{}", "{}"], ["{}", "{}"]]',
                pl.lit(_local_text(local(requested), None, iso)),
                pl.lit(_local_text(local(completed), None, iso)),
                pl.lit(_local_text(local(second_requested), None, iso)),
                pl.lit(_local_text(local(second_completed), None, iso)),
            )
        )
        .when(pl.lit(pl.Series(one_request & open_request)))
        .then(pl.format('[["{}", null]]', pl.lit(_local_text(local(requested), None, iso))))
        .when(pl.lit(pl.Series(one_request)))
        .then(
            pl.format(
                '[["{}", "{}"]]',
                pl.lit(_local_text(local(requested), None, iso)),
                pl.lit(_local_text(local(completed), None, iso)),
            )
        )
    ).to_series()
    vietnamese = rng.random(n) < 0.15
    received_text = pl.select(
        pl.when(pl.lit(pl.Series(vietnamese)))
        .then(pl.lit(_local_text(received_local, None, "%d/%m/%Y %H:%M")))
        .otherwise(pl.lit(_local_text(received_local)))
    ).to_series()
    index = pl.Series(np.arange(offset + 1, offset + n + 1)).cast(pl.String).str.zfill(9)
    frame = pl.DataFrame(
        {
            "dossier_code": (f"{prefix}{seed}-" + index) if n else index,
            "procedure_code": pl.Series(cat.codes).gather(proc),
            "unit_code": np.where(
                is_provincial,
                np.array(agency_codes, dtype=object)[agency_pick],
                np.array(commune_codes, dtype=object)[commune_pick],
            ).astype(str),
            "received_at": received_text,
            "due_at": _local_text(local(due), due_given),
            "finished_at": _local_text(local(finished), has_end),
            "returned_at": _local_text(local(returned_at), returned),
            "status": status.astype(str),
            "channel": channel.astype(str),
            "supplements": json_pairs,
            "apology_at": _local_text(local(apology_at), apology),
            "rescheduled_due_at": _local_text(local(rescheduled), apology, "%Y-%m-%d"),
            "digitized": np.where(rng.random(n) < 0.7, "1", "0"),
            "e_result": np.where(has_end & (rng.random(n) < 0.6), "1", "0"),
            "paid_online": np.where(online & (rng.random(n) < 0.5), "1", "0"),
            "rating": pl.Series(np.where(rated, rating, 0)).cast(pl.String).replace("0", None),
        }
    ).select(COLUMNS)
    start_day = (received_local // US_PER_DAY).astype(np.int32)
    whole = np.ceil(np.maximum(limit, 0)).astype(np.int16)
    return frame, start_day, whole
