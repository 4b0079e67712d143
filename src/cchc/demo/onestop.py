"""The demo's one-stop data: a list of procedures and a year of made-up dossiers for the demo province.

Made up, but shaped like a province's: most dossiers resolved early, a few percent late (some of them
with an apology letter in time), some with a supplement request, a rising share filed online, and
the dossiers of the last weeks still pending, a few of them past their deadline. Deterministic.
The procedures are in `data/onestop.yaml`; `data/ho-so-mau.csv` is the example file with mistakes.
"""

import csv
import datetime
import random
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from cchc.core.periods import Period
from cchc.demo import clock
from cchc.demo.datafiles import DATA_DIR, read
from cchc.onestop import services
from cchc.onestop.models import ImportJob, ImportKind
from cchc.onestop.queries.index import index_report
from cchc.onestop.services.jobs import run_import
from cchc.onestop.services.official import import_official_scores
from cchc.units.models import Unit, UnitType

DOSSIERS_PER_COMMUNE_MONTH = 22  # an average commune's month, before its size and the season
# The season against an average month: few dossiers around Tết (late January, February), more before
# the year's end and in the summer, when families register land, households and school papers.
SEASON = {1: 0.95, 2: 0.55, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.15}
SEASON |= {7: 1.1, 8: 1.0, 9: 0.95, 10: 1.0, 11: 1.05, 12: 1.2}
SEED = 2026
HOUR = datetime.timedelta(hours=1)
EXAMPLE_FILE = DATA_DIR / "ho-so-mau.csv"


def procedure_records() -> list[dict[str, str]]:
    """The demo's procedures as rows of the procedure import (fresh copies: the import may keep them)."""
    return [dict(record) for record in read("onestop")["procedures"]]


def _format(moment: datetime.datetime | None) -> str:
    return "" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z")


def _office_moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    minutes = rng.randint(7 * 60 + 30, 16 * 60 + 30)
    naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive)


def _weekday(day: datetime.date) -> datetime.date:
    """The day, or the Friday before it when it falls on a weekend."""
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def _allowed_time(procedure: dict[str, str], received: datetime.datetime) -> datetime.timedelta:
    """Roughly the time the procedure allows (calendar time, a little less than the legal limit)."""
    limit = float(procedure["time_limit"])
    if procedure["time_unit"] == "hour":
        return datetime.timedelta(hours=limit)
    if limit == 0:  # resolved the same day: before the office closes
        closing = received.replace(hour=17, minute=0)
        return max(closing - received, datetime.timedelta(minutes=20))
    return datetime.timedelta(days=limit)


def month_starts(first: datetime.date, today: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= today:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def unit_size(code: str, kind: str, provincial: bool) -> float:
    """How busy a unit's one-stop desk is, against an average commune: wards and the big agencies take
    several times the dossiers of a mountain commune. Drawn once per unit from its code."""
    rng = random.Random(f"{SEED}-size-{code}")
    size = rng.lognormvariate(0, 0.55)
    if provincial:
        return size * 0.5
    return size * (1.7 if kind == "Phường" else 0.6 if kind == "Đặc khu" else 1.0)


def dossier_rows(
    units: list[tuple[str, bool, str]], today: datetime.date, rng: random.Random, *, scale: float = 1.0
):
    """Records for the year up to `today`: (unit code, is a provincial agency, kind) → each unit's
    dossiers month by month, by the unit's size, the season (`SEASON`) and a slowly rising trend;
    `scale` below 1 gives fewer of them (the tests' small demo)."""
    procedures = procedure_records()
    start = (today.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)
    days = (today - start).days
    number = 0
    for code, provincial, kind in units:
        pool = [row for row in procedures if (row["level"] == "cấp tỉnh") == provincial]
        size = unit_size(code, kind, provincial)
        for month in month_starts(start, today):
            next_month = (month + datetime.timedelta(days=32)).replace(day=1)
            last = min(today, next_month - datetime.timedelta(days=1))
            covered = (last - month).days + 1
            trend = 0.85 + 0.3 * (month - start).days / max(days, 1)
            expected = DOSSIERS_PER_COMMUNE_MONTH * size * SEASON[month.month] * trend * covered / 30
            expected *= scale
            for _ in range(max(0, round(expected * rng.uniform(0.8, 1.2)))):
                number += 1
                received_day = _weekday(month + datetime.timedelta(days=rng.randrange(covered)))
                received = _office_moment(rng, received_day)
                if received > clock.now() - HOUR:  # later today than the demo's present: the day before
                    received_day = _weekday(received_day - datetime.timedelta(days=1))
                    received = _office_moment(rng, received_day)
                procedure = rng.choice(pool)
                offset = (received_day - start).days
                online_share = 0.25 + 0.35 * offset / max(days, 1)
                yield _dossier(rng, code, number, procedure, received_day, received, online_share, today)


def _dossier(
    rng: random.Random,
    unit_code: str,
    number: int,
    procedure: dict[str, str],
    received_day: datetime.date,
    received: datetime.datetime,
    online_share: float,
    today: datetime.date,
) -> dict[str, Any]:
    """One dossier's record, filed online with the chance `online_share` (rising through the year)."""
    allowed = _allowed_time(procedure, received)
    channel = "online" if rng.random() < online_share else ("post" if rng.random() < 0.05 else "direct")
    age = (today - received_day).days
    roll = rng.random()
    finished = None
    supplements = ""
    apology = rescheduled = None
    still_open = (age < 12 and roll < 0.7 - 0.06 * age) or (age < 60 and roll > 0.99)
    if not still_open:
        quick = rng.random()
        if quick < 0.93:
            spent = allowed * rng.uniform(0.15, 0.95)
        elif quick < 0.965:
            spent = allowed + datetime.timedelta(days=rng.uniform(1, 6))
            if rng.random() < 0.6:
                apology = received + allowed * 0.5
                rescheduled = received + spent + datetime.timedelta(days=1)
        else:
            asked = received + allowed * 0.3
            answered = asked + datetime.timedelta(days=rng.uniform(1, 5))
            supplements = f'[["{_format(asked)}", "{_format(answered)}"]]'
            spent = (answered - received) + allowed * 0.5
        finished = received + spent
        if finished > clock.now():
            finished = None
    return {
        "dossier_code": f"{unit_code}-{received_day:%y%m%d}-{number:05d}",
        "procedure_code": procedure["code"],
        "unit_code": unit_code,
        "channel": channel,
        "received_at": _format(received),
        "finished_at": _format(finished),
        "status": "10" if finished else "4",
        "supplements": supplements,
        "apology_at": _format(apology),
        "rescheduled_due_at": _format(rescheduled),
        "digitized": "1" if channel == "online" or rng.random() < 0.7 else "0",
        "e_result": "1" if finished and rng.random() < 0.8 else "0",
        "paid_online": "1" if channel == "online" and rng.random() < 0.6 else "0",
        "rating": ("satisfied" if rng.random() < 0.93 else rng.choice(["neutral", "unsatisfied"]))
        if finished and rng.random() < 0.5
        else "",
    }


def load_demo_dossiers(
    *, province: Unit, today: datetime.date | None = None, scale: float = 1.0
) -> services.ImportResult:
    """Import the procedures and a year of dossiers of the province's agencies and communes."""
    result = services.import_procedures(procedure_records(), actor=None)
    if not result.applied:
        raise RuntimeError(f"demo procedures rejected: {result.errors[:3]}")
    today = today or clock.today()
    units = [
        (unit.code, unit.type == UnitType.AGENCY, unit.kind)
        for unit in Unit.objects.filter(parent=province, type__in=[UnitType.AGENCY, UnitType.COMMUNE])
        .active_on(today)
        .order_by("path")
    ]
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-dossiers.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = None
            for row in dossier_rows(units, today, rng, scale=scale):
                if writer is None:
                    writer = csv.DictWriter(handle, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
        result = services.import_dossiers(path, actor=None)
    if not result.applied:
        raise RuntimeError(f"demo dossiers rejected: {result.errors[:3]}")
    return result


def load_demo_official_scores(*, province: Unit, periods: list[str]) -> None:
    """Official QĐ 766 scores for the province, close to ours, as if downloaded from the national portal."""
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diem-766.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["unit_code", "period", "code", "score"])
            for key in periods:
                report = index_report(province, Period.parse(key))
                total = 0.0
                for group in report["groups"]:
                    # The portal has data we lack (publication, synchronisation, feedback): more groups.
                    ours = (
                        group["score"] if group["score"] is not None else group["max"] * rng.uniform(0.6, 0.9)
                    )
                    official = round(min(group["max"], max(0.0, float(ours) + rng.uniform(-0.8, 0.5))), 2)
                    total += official
                    writer.writerow([province.code, key, group["code"], f"{official:.2f}"])
                writer.writerow([province.code, key, "TOTAL", f"{total:.2f}"])
        result = import_official_scores(path, actor=None)
    if not result.applied:
        raise RuntimeError(f"demo official scores rejected: {result.errors[:3]}")


def run_example_import(*, actor) -> ImportJob:
    """The example file with four mistakes, imported as an official would: the job fails and explains why."""
    job = ImportJob(kind=ImportKind.DOSSIERS, original_name=EXAMPLE_FILE.name, created_by=actor)
    job.source.save(EXAMPLE_FILE.name, ContentFile(EXAMPLE_FILE.read_bytes()), save=False)
    job.save()
    run_import.call(job.pk)
    job.refresh_from_db()
    return job
