"""`cchc demo`: loads the demonstration province once, labels it, and keeps it on a second run."""

import datetime
import io
import statistics
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count

from cchc.accounts.models import RoleAssignment, User
from cchc.core.periods import Period
from cchc.core.settings_store import is_demo
from cchc.demo.people import demo_people
from cchc.demo.surveys import PAST_CODE
from cchc.onestop.models import Dossier, ImportJob, JobStatus, OfficialIndexScore, Outcome
from cchc.onestop.queries import unit_stats
from cchc.onestop.services import check_rollups
from cchc.parindex.models import Campaign, Phase, Result
from cchc.plans.models import Finding, Plan, ReportSchedule, ReportStatus, Target, Task, UnitReport
from cchc.plans.queries import read_target
from cchc.plans.queries.targets import overdue_tasks
from cchc.surveys.models import Feedback, FeedbackStatus, SurveyCampaign
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db

# Written out rather than read from the catalogue, so a lost translation shows up as a failure.
VIETNAMESE_ROLES = {
    "administrator": "Quản trị",
    "reform_office": "Cơ quan thường trực CCHC (Sở Nội vụ)",
    "focal_point": "Đầu mối CCHC của đơn vị",
    "leader": "Lãnh đạo đơn vị",
    "appraiser": "Thẩm định",
    "viewer": "Theo dõi",
}


@time_machine.travel(datetime.datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_the_demo_loads_a_labelled_province_and_keeps_it_on_a_second_run():
    """Run on a fixed day: which inspections have taken place depends on the date."""
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert is_demo()
    assert (
        Unit.objects.filter(type="commune", valid_to__isnull=True).count() == 65
    )  # Khánh Hòa since 1/7/2025
    assert User.objects.filter(username="snv.quantri").exists()
    assert "cchc-demo-2026" in out.getvalue()
    _assert_every_account_is_printed_with_its_roles(out.getvalue())
    province_plan = Plan.objects.get(parent__isnull=True)
    assert province_plan.children.count() > 10
    assert {report.status for report in UnitReport.objects.all()} >= {
        ReportStatus.ACCEPTED,
        ReportStatus.RETURNED,
        ReportStatus.APPROVED,
        ReportStatus.SUBMITTED,
        ReportStatus.DRAFT,
    }
    assert Finding.objects.values("state").distinct().count() >= 2
    _assert_a_year_of_dossiers_with_late_ones_and_the_example_import()
    _assert_it_looks_like_a_live_province()
    counts = (Unit.objects.count(), Plan.objects.count(), UnitReport.objects.count(), Dossier.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (
        Unit.objects.count(),
        Plan.objects.count(),
        UnitReport.objects.count(),
        Dossier.objects.count(),
    ) == counts


def _assert_every_account_is_printed_with_its_roles(printed: str):
    """The printout names each demo account, then its roles in Vietnamese with the unit each covers."""
    lines = printed.splitlines()
    for person in demo_people():
        line = next(index for index, text in enumerate(lines) if text.split()[:1] == [person["username"]])
        roles = lines[line + 1]
        assert roles.strip().startswith("vai trò:"), person["username"]
        for assignment in RoleAssignment.objects.filter(user__username=person["username"]):
            assert f"{VIETNAMESE_ROLES[assignment.role]} — {assignment.unit.name}" in roles, roles
    assert "Theo dõi — Tỉnh Khánh Hòa" in printed  # the viewer is easy to find
    assert "Ctrl+C" in printed


def _assert_a_year_of_dossiers_with_late_ones_and_the_example_import():
    months = {month for month in Dossier.objects.values_list("received_month", flat=True).distinct()}
    assert len(months) >= 12
    assert Dossier.objects.filter(outcome=Outcome.LATE, apology_valid=True).exists()
    assert Dossier.objects.filter(outcome=Outcome.LATE, apology_valid=False).exists()
    assert Dossier.objects.filter(finished_at__isnull=True).exists()
    assert check_rollups()["field_rows"] == 0
    province = Unit.objects.get(type="province", valid_to__isnull=True)
    stats = unit_stats(province, Period.parse("2026-10"))
    assert 90 < stats.rate("on_time_rate") < 100
    assert OfficialIndexScore.objects.filter(unit=province, code="TOTAL").count() == 2
    example = ImportJob.objects.get(original_name="ho-so-mau.csv")
    assert (example.status, example.error_count, example.created) == (JobStatus.FAILED, 4, 0)
    assert example.error_report
    target = Target.objects.get(plan__parent__isnull=True, data_source="onestop.on_time_rate")
    reading = read_target(target, province, Period.parse("2026-10")).value
    assert round(reading, 2) == stats.rate("on_time_rate")


def test_the_demo_refuses_a_database_with_real_data(province):
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    assert not is_demo()


def _assert_it_looks_like_a_live_province():
    """On 21/11: most tasks done or on track, a realistic few overdue; the past rounds of reports in
    every state; dossier volumes that differ by commune and by month; last year's PAR and SIPAS."""
    today = datetime.date(2026, 11, 21)
    tasks = Task.objects.filter(deadline_kind="date")
    overdue = overdue_tasks(Plan.objects.values_list("pk", flat=True), today).count()
    assert 0.03 <= overdue / tasks.count() <= 0.25, (overdue, tasks.count())
    assert tasks.filter(deadline__gte=today).exclude(status="done").exists()  # still under way
    past_rounds = ReportSchedule.objects.filter(due_on__lt=today).order_by("due_on")
    assert past_rounds.count() == 3  # quarter I, six months, nine months
    latest = {report.status for report in UnitReport.objects.filter(schedule=past_rounds.last())}
    assert latest == set(ReportStatus.values), latest
    for schedule in past_rounds:
        reports = UnitReport.objects.filter(schedule=schedule)
        assert reports.filter(status=ReportStatus.ACCEPTED).count() > reports.count() / 3
    per_commune = list(
        Dossier.objects.filter(unit__type="commune")
        .values("unit")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    assert len(set(per_commune)) > len(per_commune) / 2
    assert statistics.pstdev(per_commune) / statistics.mean(per_commune) > 0.25
    per_month = dict(Dossier.objects.values_list("received_month").annotate(n=Count("id")))
    tet, june = per_month[datetime.date(2026, 2, 1)], per_month[datetime.date(2026, 6, 1)]
    assert tet < 0.75 * june  # fewer dossiers around Tết
    assert Result.objects.filter(campaign__year=2025).exists()
    assert Campaign.objects.get(year=2026).phase == Phase.SELF_ASSESSMENT
    assert SurveyCampaign.objects.get(code=PAST_CODE).responses.exists()
    assert ImportJob.objects.filter(status=JobStatus.FAILED).exists()  # for "imports that failed"
    assert Feedback.objects.filter(status=FeedbackStatus.ROUTED, unit__type="commune").exists()
