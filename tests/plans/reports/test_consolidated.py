"""The province's consolidated report is assembled from the reports that reached the reform office."""

from decimal import Decimal

from cchc.plans.models import ReportStatus
from cchc.plans.reporting import LATE, MISSING, ON_TIME, SubmissionCounts, consolidated_report, excerpt
from tests.plans.reports.helpers import TODAY


def _counts(progress):
    counts = progress.counts
    return (counts.total, counts.done, counts.in_progress, counts.not_started, counts.overdue)


def test_submissions_are_counted(filled_q1):
    report = consolidated_report(filled_q1, today=TODAY)
    assert report.counts == SubmissionCounts(expected=4, on_time=1, late=1, missing=2, pending=0)
    timeliness = {row.unit.name: (row.timeliness, row.status) for row in report.submissions}
    assert timeliness == {
        "Sở Tư pháp": (ON_TIME, ReportStatus.ACCEPTED),
        "Xã Tây": (LATE, ReportStatus.APPROVED),
        "Sở Nội vụ": (MISSING, ReportStatus.DRAFT),
        "Phường Đông": (MISSING, None),
    }


def test_task_progress_per_area_counts_only_reports_that_arrived(filled_q1):
    report = consolidated_report(filled_q1, today=TODAY)
    # Sở Nội vụ's draft marks T5 (Cải cách thể chế) done: it must not appear.
    assert [(area.area, _counts(area)) for area in report.areas] == [
        ("Cải cách thể chế", (1, 0, 1, 0, 1)),  # T1 still open after its deadline 10/03
        ("Cải cách thủ tục hành chính", (3, 1, 1, 1, 0)),  # T4 is due 31/03, after the cut-off
    ]
    assert report.overdue == 1
    per_unit = [(row.unit.name, row.area, _counts(row)) for row in report.unit_areas]
    assert per_unit == [
        ("Sở Tư pháp", "Cải cách thể chế", (1, 0, 1, 0, 1)),
        ("Sở Tư pháp", "Cải cách thủ tục hành chính", (2, 1, 1, 0, 0)),
        ("Xã Tây", "Cải cách thủ tục hành chính", (1, 0, 0, 1, 0)),
    ]
    assert report.areas[1].counts.done_share == Decimal(1) / 3


def test_target_values_sum_the_units_measurements_of_the_period(filled_q1):
    results = {result.target.code: result for result in consolidated_report(filled_q1, today=TODAY).targets}
    rate = results["CT1"]
    # 45/50 (Sở Tư pháp) + 40/50 (Xã Tây), both entered on their copies and summed once on the province target
    assert (rate.ratio.numerator, rate.ratio.denominator) == (Decimal(85), Decimal(100))
    assert rate.value == Decimal(85)
    assert rate.units_with_data == 2
    assert rate.met is False  # the target is ≥ 90 %
    count = results["CT2"]
    assert (count.ratio, count.value, count.met, count.units_with_data) == (None, None, None, 0)


def test_narratives_of_the_units_are_shortened(filled_q1):
    narratives = {n.unit.name: n.excerpt for n in consolidated_report(filled_q1, today=TODAY).narratives}
    assert set(narratives) == {"Sở Tư pháp", "Xã Tây"}
    assert narratives["Xã Tây"] == "Xã Tây đã số hóa 40 hồ sơ."
    assert narratives["Sở Tư pháp"].endswith("…")
    assert len(narratives["Sở Tư pháp"]) <= 301


def test_an_excerpt_cuts_between_words():
    assert excerpt("một hai  ba\nbốn", length=9) == "một hai…"
    assert excerpt("ngắn") == "ngắn"


def test_a_round_without_reports(q1):
    report = consolidated_report(q1, today=TODAY)
    assert report.areas == [] and report.narratives == []
    assert report.counts.missing == 4
    assert [result.value for result in report.targets] == [None, None]
