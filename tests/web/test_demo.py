"""`cchc demo`: loads the demonstration province once, labels it, and keeps it on a second run."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from cchc.accounts.models import User
from cchc.core.settings_store import is_demo
from cchc.plans.models import Finding, Plan, ReportStatus, UnitReport
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


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
    counts = (Unit.objects.count(), Plan.objects.count(), UnitReport.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Unit.objects.count(), Plan.objects.count(), UnitReport.objects.count()) == counts


def test_the_demo_refuses_a_database_with_real_data(province):
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    assert not is_demo()
