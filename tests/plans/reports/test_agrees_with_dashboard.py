"""Every figure of the consolidated report is the plan dashboard's for the same unit and period.

Both read a target through `queries.read_many`. Units enter manual figures for the periods they
report on (months, quarters, the year); a longer period a unit did not enter as a whole is the sum
of its parts, so the nine-month report shows what the quarters hold instead of "no data".
The DOCX and XLSX files are read back: what they print is the same figure, and each "not sent"
count equals the number of names listed under it.
"""

import datetime
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
import time_machine

from cchc.core.metrics import Ratio, register_many
from cchc.core.periods import Period
from cchc.kit import wording
from cchc.plans.documents import annex_xlsx, consolidated_docx
from cchc.plans.documents.docx_report import SUBMISSION_LABELS
from cchc.plans.models import ReportSchedule
from cchc.plans.queries.dashboard import dashboard
from cchc.plans.reporting import MISSING, PENDING, consolidated_report
from cchc.plans.services import plans as plan_services
from cchc.plans.services import reports
from tests.plans.reports.helpers import at, send_in

RATE_METRIC = "test.reports_rate"
COUNT_METRIC = "test.reports_count"


# Two published metrics for this test whose figures depend on the unit and the period, so that a
# report reading another period or unit than the dashboard would show another figure.
@register_many(RATE_METRIC, "Tỷ lệ thử cho báo cáo", "%")
def _rate(units, period):
    months = period.end.month - period.start.month + 1
    return {unit.pk: Ratio(Decimal(months * 3), Decimal(months * 4 + len(unit.path))) for unit in units}


@register_many(COUNT_METRIC, "Số lượng thử cho báo cáo", "count")
def _count(units, period):
    return {unit.pk: Ratio(Decimal(period.end.month * 2 + len(unit.path)), None) for unit in units}


PERIODS = ["2026-02", "2026-Q1", "2026-H1", "2026-M9", "2026"]


@pytest.fixture
def targets(plan, cast):
    """The plan's CT1 (manual %) and CT2 (manual count), plus one target of every other kind."""
    admin = cast["reform_admin"]
    added = {
        code: plan_services.add_target(
            actor=admin,
            plan=plan,
            code=code,
            text=text,
            comparator=comparator,
            value=value,
            unit=unit,
            **more,
        )
        for code, text, comparator, value, unit, more in [
            ("CT3", "Tỷ lệ từ số liệu công bố", ">=", 70, "%", {"data_source": RATE_METRIC}),
            ("CT4", "Số lượng từ số liệu công bố", ">=", 10, "count", {"data_source": COUNT_METRIC}),
            ("CT5", "Kinh phí cải cách hành chính", ">=", 2, "tỷ đồng", {}),
            ("CT6", "Thứ hạng Chỉ số cải cách hành chính", "<=", 20, "rank", {}),
        ]
    }
    return {target.code: target for target in plan.targets.all()} | added


@pytest.fixture
def measured(targets, cast):
    """Sở Tư pháp enters CT1 month by month (January to September), Xã Tây quarter by quarter
    (Q1 to Q3), Sở Nội vụ once for the whole year; CT2 and CT5 by quarter; CT6 (a rank) for Q1 only."""
    justice, commune, home = cast["justice"], cast["west_commune"], cast["home_affairs"]
    enter = plan_services.record_measurement
    admin = cast["reform_admin"]
    for month in range(1, 10):
        enter(
            actor=admin,
            target=targets["CT1"],
            unit=justice,
            period=f"2026-{month:02d}",
            numerator=8 + month % 3,
            denominator=10,
        )
    for quarter, (numerator, denominator) in enumerate([(40, 50), (45, 50), (30, 40)], start=1):
        enter(
            actor=admin,
            target=targets["CT1"],
            unit=commune,
            period=f"2026-Q{quarter}",
            numerator=numerator,
            denominator=denominator,
        )
        enter(actor=admin, target=targets["CT2"], unit=commune, period=f"2026-Q{quarter}", numerator=quarter)
        enter(actor=admin, target=targets["CT5"], unit=justice, period=f"2026-Q{quarter}", numerator="0.5")
    enter(actor=admin, target=targets["CT1"], unit=home, period="2026", numerator=90, denominator=100)
    enter(actor=admin, target=targets["CT6"], unit=home, period="2026-Q1", numerator=12)
    return targets


@pytest.fixture
def schedules(rounds, plan):
    """The four rounds of the national defaults, and a monthly round the province added itself."""
    monthly = ReportSchedule.objects.create(
        plan=plan,
        kind="quarter",
        period="2026-02",
        title="Báo cáo tháng 2 năm 2026",
        data_from=datetime.date(2026, 2, 1),
        data_to=datetime.date(2026, 2, 28),
        due_on=datetime.date(2026, 3, 5),
    )
    return {schedule.period: schedule for schedule in [monthly, *rounds.values()]}


@pytest.mark.parametrize("period", PERIODS)
def test_every_figure_is_the_dashboards(plan, measured, schedules, period):
    today = datetime.date(2026, 10, 1)
    lights = {reading.target.code: reading for reading in dashboard(plan, Period.parse(period), today).lights}
    results = consolidated_report(schedules[period], today=today).targets
    assert [result.target.code for result in results] == list(lights)
    assert set(lights) == {"CT1", "CT2", "CT3", "CT4", "CT5", "CT6"}
    for result in results:
        light = lights[result.target.code]
        assert result.ratio == light.ratio, result.target.code
        assert result.value == light.value
        assert result.met == (None if light.value is None else light.state == "met")
    # Published metrics have a figure for every period, the same on both sides.
    assert lights["CT3"].value is not None and lights["CT4"].value is not None


def _value(period, code, plan):
    results = consolidated_report(plan.schedules.get(period=period)).targets
    return next(result for result in results if result.target.code == code)


def test_longer_periods_sum_the_parts_each_unit_entered(plan, measured, schedules):
    # Nine months: Sở Tư pháp's nine months (8+9+10 three times = 81 of 90) and Xã Tây's three
    # quarters (115 of 140); Sở Nội vụ entered only the whole year, so it is not in the nine months.
    nine = _value("2026-M9", "CT1", plan)
    assert (nine.ratio.numerator, nine.ratio.denominator, nine.units_with_data) == (196, 230, 2)
    # February: Sở Tư pháp's month only (Xã Tây's Q1 cannot be split).
    february = _value("2026-02", "CT1", plan)
    assert (february.ratio.numerator, february.ratio.denominator) == (10, 10)
    # The year: Q4 is missing for the units that entered parts, so only Sở Nội vụ's whole year counts.
    year = _value("2026", "CT1", plan)
    assert (year.ratio.numerator, year.ratio.denominator, year.units_with_data) == (90, 100, 1)
    # Quantities add up over the quarters; a rank does not.
    assert _value("2026-M9", "CT2", plan).value == 6
    assert _value("2026-H1", "CT5", plan).value == 1
    assert _value("2026-Q1", "CT6", plan).value == 12
    assert _value("2026-H1", "CT6", plan).value is None


def _paragraphs(schedule, today):
    with time_machine.travel(at(today.year, today.month, today.day)):
        content = consolidated_docx(
            schedule, number="1", place="Thử Nghiệm", signer_name="", signer_title="Chủ tịch", recipients=[]
        )
    return [paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs]


def _listed(texts, label):
    """The names under "Các cơ quan, đơn vị <label> (n):", and n, or ([], 0) without that list."""
    prefix = f"- Các cơ quan, đơn vị {label} ("
    line = next((text for text in texts if text.startswith(prefix)), None)
    if line is None:
        return [], 0
    count, names = line.removeprefix(prefix).split("): ", 1)
    return names.rstrip(".").split(", "), int(count)


def _counted(texts, label):
    sentence = next(text for text in texts if text.startswith("Số cơ quan, đơn vị phải báo cáo"))
    parts = dict(part.split(": ", 1) for part in sentence.split(" (hạn gửi")[0].split("; "))
    return int(parts.get(label, 0)), int(parts["Số cơ quan, đơn vị phải báo cáo"])


@pytest.mark.parametrize(
    "period, today",
    [("2026-Q1", datetime.date(2026, 3, 25)), ("2026", datetime.date(2026, 10, 1))],
)
def test_the_not_sent_counts_equal_their_lists(
    plan, measured, schedules, cast, justice_leader, period, today
):
    schedule = schedules[period]
    report = reports.start_report(actor=cast["justice_focal"], schedule=schedule, unit=cast["justice"])
    with time_machine.travel(at(today.year, today.month, today.day)):
        send_in(report, focal=cast["justice_focal"], leader=justice_leader)
    texts = _paragraphs(schedule, today)
    consolidated = consolidated_report(schedule, today=today)
    for timeliness, label in SUBMISSION_LABELS[1:]:
        names, stated = _listed(texts, label)
        count, expected = _counted(texts, label)
        assert expected == len(consolidated.submissions) == 4
        assert count == stated == len([name for name in names if name])
        assert count == len([row for row in consolidated.submissions if row.timeliness == timeliness])
    # Before its due date the annual round has units "not yet due", after Q1's they are missing.
    waiting = PENDING if period == "2026" else MISSING
    label = dict(SUBMISSION_LABELS)[waiting]
    assert _counted(texts, label)[0] == 3 and len(_listed(texts, label)[0]) == 3


def test_the_files_print_the_dashboards_figures(plan, measured, schedules):
    schedule, today = schedules["2026-M9"], datetime.date(2026, 10, 1)
    lights = {
        reading.target.code: reading for reading in dashboard(plan, Period.parse("2026-M9"), today).lights
    }
    texts = _paragraphs(schedule, today)
    for code, light in lights.items():
        line = next(text for text in texts if text.startswith(f"- {code} "))
        if light.value is None:
            assert line.endswith("chưa có số liệu.")
        else:
            unit = wording.written_unit(light.target.unit)
            assert f"kết quả {wording.number(light.value)}{unit}" in line
    sheet = openpyxl.load_workbook(io.BytesIO(annex_xlsx(schedule)))["Phụ lục 2"]
    figures = {row[1].value: row[9].value for row in sheet.iter_rows(min_row=5)}
    for code, light in lights.items():
        if light.value is None:
            assert figures[code] is None
        elif light.target.unit == "%":
            assert figures[code] == pytest.approx(float(light.value) / 100)
        else:
            assert figures[code] == pytest.approx(float(light.value))
    assert all(figures[code] is not None for code in ("CT1", "CT2", "CT3", "CT4", "CT5"))
