"""The demo's one-stop data: a list of procedures and a year of made-up dossiers for the demo province.

Made up, but shaped like a province's: most dossiers resolved early, a few percent late (some of them
with an apology letter in time), some with a supplement request, a rising share filed online, and
the dossiers of the last weeks still pending, a few of them past their deadline. Deterministic.
"""

import csv
import datetime
import random
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from cchc.onestop import services
from cchc.onestop.models import ImportJob, ImportKind
from cchc.units.models import Unit, UnitType

# (code, name, field, level, time limit, unit, online, fee)
PROCEDURES = [
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", "cấp xã", "0", "working_day", "full", "0"),
    ("1.000894", "Đăng ký kết hôn", "Hộ tịch", "cấp xã", "0", "working_day", "full", "0"),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", "cấp xã", "0", "working_day", "full", "0"),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", "cấp xã", "1", "working_day", "full", "1"),
    ("1.004837", "Xác nhận thông tin hộ tịch", "Hộ tịch", "cấp xã", "3", "working_day", "partial", "1"),
    ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", "cấp xã", "4", "hour", "partial", "1"),
    ("2.000884", "Chứng thực chữ ký", "Chứng thực", "cấp xã", "4", "hour", "none", "1"),
    ("2.000913", "Chứng thực hợp đồng, giao dịch", "Chứng thực", "cấp xã", "2", "working_day", "none", "1"),
    (
        "1.003003",
        "Đăng ký biến động quyền sử dụng đất",
        "Đất đai",
        "cấp xã",
        "10",
        "working_day",
        "partial",
        "1",
    ),
    (
        "1.004227",
        "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        "Đất đai",
        "cấp tỉnh",
        "20",
        "working_day",
        "partial",
        "1",
    ),
    (
        "1.005398",
        "Xóa đăng ký thế chấp quyền sử dụng đất",
        "Đất đai",
        "cấp xã",
        "3",
        "working_day",
        "full",
        "1",
    ),
    (
        "2.000575",
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký kinh doanh",
        "cấp xã",
        "3",
        "working_day",
        "full",
        "1",
    ),
    (
        "2.001610",
        "Đăng ký thành lập doanh nghiệp tư nhân",
        "Đăng ký kinh doanh",
        "cấp tỉnh",
        "3",
        "working_day",
        "full",
        "1",
    ),
    ("1.009972", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", "cấp xã", "15", "day", "partial", "1"),
    ("1.009974", "Cấp giấy phép xây dựng công trình", "Xây dựng", "cấp tỉnh", "20", "day", "partial", "1"),
    (
        "1.001776",
        "Giải quyết trợ cấp xã hội hằng tháng",
        "Bảo trợ xã hội",
        "cấp xã",
        "10",
        "working_day",
        "partial",
        "0",
    ),
    (
        "1.000047",
        "Cấp giấy phép lao động cho người nước ngoài",
        "Việc làm",
        "cấp tỉnh",
        "5",
        "working_day",
        "full",
        "1",
    ),
    ("1.002804", "Cấp lý lịch tư pháp", "Lý lịch tư pháp", "cấp tỉnh", "10", "working_day", "full", "1"),
    ("1.000105", "Cấp giấy phép lái xe (đổi)", "Đường bộ", "cấp tỉnh", "5", "working_day", "full", "1"),
    (
        "1.001612",
        "Cấp giấy phép kinh doanh vận tải bằng xe ô tô",
        "Đường bộ",
        "cấp tỉnh",
        "5",
        "working_day",
        "full",
        "1",
    ),
    (
        "1.001009",
        "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
        "Khám bệnh, chữa bệnh",
        "cấp tỉnh",
        "30",
        "day",
        "partial",
        "1",
    ),
    (
        "1.000954",
        "Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm",
        "An toàn thực phẩm",
        "cấp tỉnh",
        "20",
        "working_day",
        "partial",
        "1",
    ),
]

PROVINCE_FIELDS = {row[0] for row in PROCEDURES if row[3] == "cấp tỉnh"}
DOSSIERS_PER_COMMUNE_MONTH = 28
SEED = 2026


def procedure_records() -> list[dict[str, str]]:
    names = ("code", "name", "field", "level", "time_limit", "time_unit", "online", "has_fee")
    return [dict(zip(names, row, strict=True)) for row in PROCEDURES]


def _format(moment: datetime.datetime | None) -> str:
    return "" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z")


def _office_moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    minutes = rng.randint(7 * 60 + 30, 16 * 60 + 30)
    naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive)


def _allowed_time(procedure: tuple[str, ...], received: datetime.datetime) -> datetime.timedelta:
    """Roughly the time the procedure allows (calendar time, a little less than the legal limit)."""
    limit = float(procedure[4])
    if procedure[5] == "hour":
        return datetime.timedelta(hours=limit)
    if limit == 0:  # resolved the same day: before the office closes
        closing = received.replace(hour=17, minute=0)
        return max(closing - received, datetime.timedelta(minutes=20))
    return datetime.timedelta(days=limit)


def dossier_rows(units: list[tuple[str, bool]], today: datetime.date, rng: random.Random):
    """Records for the year up to `today`: (unit code, is a provincial agency) → a few dozen a month each."""
    start = (today.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)
    days = (today - start).days
    number = 0
    for code, provincial in units:
        pool = [row for row in PROCEDURES if (row[0] in PROVINCE_FIELDS) == provincial]
        count = DOSSIERS_PER_COMMUNE_MONTH * 11 // (2 if provincial else 1)
        for _ in range(count):
            number += 1
            offset = int(days * rng.random() ** 0.9)  # a little more activity in recent months
            received_day = start + datetime.timedelta(days=offset)
            if received_day.weekday() >= 5:
                received_day -= datetime.timedelta(days=received_day.weekday() - 4)
            received = _office_moment(rng, received_day)
            procedure = rng.choice(pool)
            allowed = _allowed_time(procedure, received)
            online_share = 0.25 + 0.35 * offset / max(days, 1)
            channel = (
                "online" if rng.random() < online_share else ("post" if rng.random() < 0.05 else "direct")
            )
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
                if finished > timezone.now():
                    finished = None
            yield {
                "dossier_code": f"{code}-{received_day:%y%m%d}-{number:05d}",
                "procedure_code": procedure[0],
                "unit_code": code,
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


def load_demo_dossiers(*, province: Unit, today: datetime.date | None = None) -> services.ImportResult:
    """Import the procedures and a year of dossiers of the province's agencies and communes."""
    result = services.import_procedures(procedure_records(), actor=None)
    if not result.applied:
        raise RuntimeError(f"demo procedures rejected: {result.errors[:3]}")
    today = today or timezone.localdate()
    units = [
        (unit.code, unit.type == UnitType.AGENCY)
        for unit in Unit.objects.filter(parent=province, type__in=[UnitType.AGENCY, UnitType.COMMUNE])
        .active_on(today)
        .order_by("path")
    ]
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-dossiers.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = None
            for row in dossier_rows(units, today, rng):
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
    from cchc.core.periods import Period
    from cchc.onestop.official import import_official_scores
    from cchc.onestop.service_index import index_report

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


EXAMPLE_FILE = Path(__file__).parent / "data" / "examples" / "ho-so-mau.csv"


def run_example_import(*, actor) -> ImportJob:
    """The example file with four mistakes, imported as an official would: the job fails and explains why."""
    from cchc.onestop.jobs import run_import

    job = ImportJob(kind=ImportKind.DOSSIERS, original_name=EXAMPLE_FILE.name, created_by=actor)
    job.source.save(EXAMPLE_FILE.name, ContentFile(EXAMPLE_FILE.read_bytes()), save=False)
    job.save()
    run_import.call(job.pk)
    job.refresh_from_db()
    return job
