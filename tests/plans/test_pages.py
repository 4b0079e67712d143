"""The plan pages: who sees what, what each button does, and that refusals change nothing.

Today is Friday 15/05/2026 unless a test travels elsewhere. Pages are in English until the lead
translates them, so assertions read data-testid attributes, names and figures, not interface words.
"""

import datetime
import json
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cchc.core.periods import Period
from cchc.plans import queries
from cchc.plans.models import (
    DeadlineChange,
    Measurement,
    Plan,
    PlanStatus,
    Target,
    Task,
    TaskStatus,
    TaskUpdate,
)
from cchc.plans.queries import read_many
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mid_may_2026")]

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=VN)


@pytest.fixture
def justice_plan(province_plan, cast):
    """Sở Tư pháp's own plan, cascaded from the province plan and still a draft."""
    return plan_services.cascade_plan(actor=cast["justice_focal"], parent=province_plan, unit=cast["justice"])


def page(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"plans:{name}", args=args), params)


def body(response) -> str:
    return response.content.decode()


def row(html: str, testid: str) -> str:
    """The HTML of the table row (or card) carrying data-testid=`testid`."""
    tags = "tr|a|div|tbody|p|dd|form|section|table"
    match = re.search(rf'<({tags})\b[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element {testid!r} on the page"
    return match.group(0)


def state_of(html: str, testid: str) -> str:
    return re.search(r'data-state="(\w+)"', row(html, testid)).group(1)


# -- the list and a plan --------------------------------------------------------------------------


def test_plans_list_is_scoped_and_cheap(
    client, cast, justice_plan, province_plan, django_assert_max_num_queries
):
    client.force_login(cast["reform_admin"])
    with django_assert_max_num_queries(8):
        html = body(client.get(reverse("plans:plan-list")))
    assert f'data-testid="plan-{province_plan.pk}"' in html
    assert f'data-testid="plan-{justice_plan.pk}"' in html
    assert "12/KH-UBND" in html
    # The province plan is public under the province; the justice department's own plan is not.
    html = body(page(client, cast["commune_officer"], "plan-list"))
    assert f'data-testid="plan-{province_plan.pk}"' in html
    assert f'data-testid="plan-{justice_plan.pk}"' not in html


def test_plan_page_shows_areas_targets_tasks_and_the_unit_plans(client, cast, province_plan, justice_plan):
    plan_services.issue_plan(
        actor=cast["justice_focal"],
        plan=justice_plan,
        number="5/KH-STP",
        issued_on=datetime.date(2026, 1, 20),
    )
    response = page(client, cast["leader"], "plan", province_plan.pk)
    assert response.status_code == 200
    html = body(response)
    assert html.count('data-testid="area"') == 2
    for target in province_plan.targets.all():
        assert f'data-testid="target-{target.pk}"' in html
    for task in province_plan.tasks.all():
        assert f'data-testid="task-{task.pk}"' in html
    assert "30/06/2026" in html  # deadlines as dd/mm/yyyy
    unit_plan = row(html, f"unit-plan-{justice_plan.pk}")
    assert "Sở Tư pháp" in unit_plan and "5/KH-STP" in unit_plan and "20/01/2026" in unit_plan
    # One of the four agencies and communes has issued its plan.
    assert "25,0\u00a0%" in row(html, "issued-share")
    # A viewer has no buttons that change the plan.
    assert 'data-testid="issue-form"' not in html and 'data-testid="cascade-form"' not in html
    assert reverse("plans:target-add", args=[province_plan.pk]) not in html


def test_outsiders_get_404_on_another_units_plan(client, cast, justice_plan):
    target, task = justice_plan.targets.first(), justice_plan.tasks.first()
    client.force_login(cast["commune_officer"])
    for name, pk in [
        ("plan", justice_plan.pk),
        ("plan-dashboard", justice_plan.pk),
        ("area-add", justice_plan.pk),
        ("target", target.pk),
        ("task", task.pk),
    ]:
        assert client.get(reverse(f"plans:{name}", args=[pk])).status_code == 404, name
    for name, pk in [
        ("plan-issue", justice_plan.pk),
        ("task-add", justice_plan.pk),
        ("measurement-add", target.pk),
        ("progress-report", task.pk),
        ("deadline-request", task.pk),
    ]:
        assert client.post(reverse(f"plans:{name}", args=[pk]), {}).status_code == 404, name
    # The same pages open for the department's own focal point.
    client.force_login(cast["justice_focal"])
    for name, pk in [("plan", justice_plan.pk), ("target", target.pk), ("task", task.pk)]:
        assert client.get(reverse(f"plans:{name}", args=[pk])).status_code == 200, name


def test_anonymous_visitors_are_sent_to_sign_in(client, province_plan):
    for url in [reverse("plans:plan-list"), reverse("plans:plan-dashboard", args=[province_plan.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# -- issuing and cascading ------------------------------------------------------------------------


def test_a_draft_is_issued_from_its_page(client, cast, justice_plan):
    html = body(page(client, cast["justice_focal"], "plan", justice_plan.pk))
    assert 'data-testid="issue-form"' in html
    url = reverse("plans:plan-issue", args=[justice_plan.pk])
    # Refused by the service (no number; a date in the future): a message, and still a draft.
    for data in [
        {"number": " ", "issued_on": "20/01/2026"},
        {"number": "5/KH-STP", "issued_on": "20/06/2026"},
    ]:
        response = client.post(url, data, follow=True)
        assert 'class="alert alert-danger"' in body(response)
    justice_plan.refresh_from_db()
    assert justice_plan.status == PlanStatus.DRAFT
    client.post(url, {"number": "5/KH-STP", "issued_on": "20/01/2026"})
    justice_plan.refresh_from_db()
    assert (justice_plan.status, justice_plan.number) == (PlanStatus.ISSUED, "5/KH-STP")
    assert justice_plan.issued_on == datetime.date(2026, 1, 20)
    assert 'data-testid="issue-form"' not in body(client.get(reverse("plans:plan", args=[justice_plan.pk])))


def test_someone_without_the_right_cannot_issue(client, cast, justice_plan):
    client.force_login(cast["leader"])  # sees the plan, may not change it
    response = client.post(
        reverse("plans:plan-issue", args=[justice_plan.pk]), {"number": "5/KH-STP", "issued_on": "20/01/2026"}
    )
    assert response.status_code == 403
    justice_plan.refresh_from_db()
    assert justice_plan.status == PlanStatus.DRAFT and justice_plan.number == ""


def test_the_cascade_button_creates_the_units_plan_once(client, cast, province_plan):
    html = body(page(client, cast["commune_officer"], "plan", province_plan.pk))
    form = row(html, "cascade-form")
    assert f'value="{cast["west_commune"].pk}"' in form
    url = reverse("plans:plan-cascade", args=[province_plan.pk])
    response = client.post(url, {"unit": cast["west_commune"].pk})
    own = Plan.objects.get(parent=province_plan, issuing_unit=cast["west_commune"])
    assert response["Location"] == reverse("plans:plan", args=[own.pk])
    assert own.status == PlanStatus.DRAFT and own.tasks.count() == 2
    html = body(client.get(reverse("plans:plan", args=[province_plan.pk])))
    assert 'data-testid="cascade-form"' not in html
    assert f'data-testid="unit-plan-{own.pk}"' in html
    # A second attempt is refused with a message and creates nothing.
    response = client.post(url, {"unit": cast["west_commune"].pk}, follow=True)
    assert 'class="alert alert-danger"' in body(response)
    assert Plan.objects.filter(parent=province_plan).count() == 1


def test_no_cascade_button_for_the_issuer_and_403_for_a_viewer(client, cast, province_plan):
    assert 'data-testid="cascade-form"' not in body(
        page(client, cast["reform_admin"], "plan", province_plan.pk)
    )
    client.force_login(cast["leader"])
    response = client.post(
        reverse("plans:plan-cascade", args=[province_plan.pk]), {"unit": cast["west_commune"].pk}
    )
    assert response.status_code == 403
    assert not Plan.objects.filter(parent=province_plan).exists()


# -- adding areas, targets and tasks ---------------------------------------------------------------


def test_the_reform_office_adds_a_target_with_a_decimal_comma(client, cast, province_plan):
    client.force_login(cast["reform_admin"])
    url = reverse("plans:target-add", args=[province_plan.pk])
    assert client.get(url).status_code == 200
    data = {
        "text": "Mức độ hài lòng",
        "comparator": ">=",
        "value": "92,5",
        "unit": "%",
        "data_source": "manual",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert province_plan.targets.get(text="Mức độ hài lòng").value == pytest.approx(92.5)
    # A percentage above 100 is refused by the service: the form comes back and nothing is added.
    count = Target.objects.count()
    response = client.post(url, {**data, "value": "120"})
    assert response.status_code == 200 and "invalid-feedback" in body(response)
    assert Target.objects.count() == count


def test_a_focal_point_may_not_add_to_the_province_plan_but_to_its_own(
    client, cast, province_plan, justice_plan
):
    client.force_login(cast["justice_focal"])
    data = {
        "text": "Việc mới",
        "lead_unit": cast["justice"].pk,
        "deadline_kind": "date",
        "deadline": "30/09/2026",
    }
    assert client.get(reverse("plans:task-add", args=[province_plan.pk])).status_code == 403
    assert client.post(reverse("plans:task-add", args=[province_plan.pk]), data).status_code == 403
    assert not Task.objects.filter(text="Việc mới").exists()
    response = client.post(reverse("plans:task-add", args=[justice_plan.pk]), data)
    assert response.status_code == 302
    task = justice_plan.tasks.get(text="Việc mới")
    assert task.deadline == datetime.date(2026, 9, 30) and task.lead_unit == cast["justice"]
    response = client.post(reverse("plans:area-add", args=[justice_plan.pk]), {"title": "Riêng", "order": 5})
    assert response.status_code == 302 and justice_plan.areas.filter(title="Riêng").exists()


# -- the target page -------------------------------------------------------------------------------


def test_a_measurement_entered_on_the_page_shows_and_changes_the_light(client, cast, province_plan):
    target = province_plan.targets.get(code="CT1")
    html = body(page(client, cast["justice_focal"], "target", target.pk))
    assert state_of(html, f"reading-{cast['justice'].pk}") == "no_data"
    # The focal point may enter only for its own department.
    form = row(html, "measurement-form")
    assert (
        f'<option value="{cast["justice"].pk}"' in form and f'value="{cast["west_commune"].pk}"' not in form
    )
    client.post(
        reverse("plans:measurement-add", args=[target.pk]),
        {"unit": cast["justice"].pk, "period": "2026", "numerator": "197", "denominator": "200"},
    )
    html = body(client.get(reverse("plans:target", args=[target.pk])))
    justice = row(html, f"reading-{cast['justice'].pk}")
    assert "98,5\u00a0%" in justice and 'data-state="met"' in justice
    assert state_of(html, f"reading-{cast['province'].pk}") == "met"
    # The commune's 3 of 10 pulls the province down to 200/210 = 95,2 %: no longer met.
    client.force_login(cast["commune_officer"])
    client.post(
        reverse("plans:measurement-add", args=[target.pk]),
        {"unit": cast["west_commune"].pk, "period": "2026", "numerator": "3", "denominator": "10"},
    )
    html = body(client.get(reverse("plans:target", args=[target.pk])))
    province = row(html, f"reading-{cast['province'].pk}")
    assert "95,2\u00a0%" in province and 'data-state="at_risk"' in province


def test_measurement_refusals_change_nothing(client, cast, province_plan):
    target = province_plan.targets.get(code="CT1")
    url = reverse("plans:measurement-add", args=[target.pk])
    client.force_login(cast["justice_focal"])
    response = client.post(
        url, {"unit": cast["west_commune"].pk, "period": "2026", "numerator": "1", "denominator": "2"}
    )
    assert response.status_code == 403
    response = client.post(
        url, {"unit": cast["justice"].pk, "period": "2026", "numerator": "5", "denominator": "4"}, follow=True
    )
    assert 'class="alert alert-danger"' in body(response)
    metric_target = province_plan.targets.get(code="CT2")
    response = client.post(
        reverse("plans:measurement-add", args=[metric_target.pk]),
        {"unit": cast["justice"].pk, "period": "2026", "numerator": "1", "denominator": "1"},
        follow=True,
    )
    assert 'class="alert alert-danger"' in body(response)
    assert not Measurement.objects.exists()


def test_a_metric_target_is_read_only_and_names_its_source(client, cast, province_plan):
    target = province_plan.targets.get(code="CT2")
    html = body(page(client, cast["reform_admin"], "target", target.pk))
    assert "plans.unit_plans_issued" in row(html, "data-source")
    assert 'data-testid="measurement-form"' not in html
    # Nobody has issued a unit plan: 0 of 4 for the province, 0 of 1 for the department.
    assert "0,0\u00a0%" in row(html, f"reading-{cast['province'].pk}")
    assert "0,0\u00a0%" in row(html, f"reading-{cast['justice'].pk}")


def test_the_target_page_reads_the_chosen_period(client, cast, province_plan):
    target = province_plan.targets.get(code="CT1")
    plan_services.record_measurement(
        actor=cast["justice_focal"],
        target=target,
        unit=cast["justice"],
        period="2026-Q2",
        numerator=3,
        denominator=4,
    )
    html = body(page(client, cast["justice_focal"], "target", target.pk, period="2026-Q2"))
    assert "75,0\u00a0%" in row(html, f"reading-{cast['justice'].pk}")
    html = body(page(client, cast["justice_focal"], "target", target.pk))  # the current year: no value
    assert state_of(html, f"reading-{cast['justice'].pk}") == "no_data"
    html = body(page(client, cast["justice_focal"], "target", target.pk, period="2026-Q7"))
    assert (
        'class="alert alert-warning' in html and state_of(html, f"reading-{cast['justice'].pk}") == "no_data"
    )


def test_a_value_entered_on_a_unit_plan_counts_for_the_province_target(
    client, cast, province_plan, justice_plan
):
    copy = justice_plan.targets.get(code="CT1")
    client.force_login(cast["justice_focal"])
    client.post(
        reverse("plans:measurement-add", args=[copy.pk]),
        {"unit": cast["justice"].pk, "period": "2026", "numerator": "99", "denominator": "100"},
    )
    assert Measurement.objects.get().target == province_plan.targets.get(code="CT1")
    assert "99,0\u00a0%" in row(
        body(client.get(reverse("plans:target", args=[copy.pk]))), f"reading-{cast['justice'].pk}"
    )


def test_bulk_reading_agrees_with_read_target(cast, province_plan):
    ct1, ct2, ct3 = (province_plan.targets.get(code=code) for code in ("CT1", "CT2", "CT3"))
    for unit, numerator, denominator in [
        ("justice", 99, 100),
        ("west_commune", 1, 10),
        ("justice_division", 5, 5),
    ]:
        plan_services.record_measurement(
            actor=None,
            target=ct1,
            unit=cast[unit],
            period="2026",
            numerator=numerator,
            denominator=denominator,
        )
    plan_services.record_measurement(
        actor=None, target=ct3, unit=cast["west_commune"], period="2026", numerator=3
    )
    year = Period.parse("2026")
    units = [cast[name] for name in ("province", "justice", "west_commune", "east_ward")]
    pairs = [(target, unit) for target in (ct1, ct2, ct3) for unit in units]
    for bulk, (target, unit) in zip(read_many(pairs, year), pairs, strict=True):
        single = queries.read_target(target, unit, year)
        assert (bulk.ratio, bulk.goal, bulk.state) == (single.ratio, single.goal, single.state), (
            target,
            unit,
        )


# -- the task page ---------------------------------------------------------------------------------


def test_progress_is_reported_then_returned_then_accepted(client, cast, province_plan):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    html = body(page(client, cast["justice_focal"], "task", task.pk))
    assert 'data-testid="progress-form"' in html and 'data-testid="review-form"' not in html
    assert "Sở Nội vụ" not in row(html, "coordinating")  # this task has no coordinating units
    client.post(
        reverse("plans:progress-report", args=[task.pk]),
        {"status": "done", "progress": 100, "narrative": "Đã rà soát 25 thủ tục"},
    )
    update = TaskUpdate.objects.get(task=task)
    html = body(client.get(reverse("plans:task", args=[task.pk])))
    assert f'data-testid="update-{update.pk}"' in html and 'data-testid="progress-form"' not in html
    # The focal point cannot review its own report.
    assert (
        client.post(reverse("plans:update-review", args=[update.pk]), {"decision": "accept"}).status_code
        == 403
    )
    client.force_login(cast["reform_admin"])
    assert 'data-testid="review-form"' in body(client.get(reverse("plans:task", args=[task.pk])))
    response = client.post(
        reverse("plans:update-review", args=[update.pk]), {"decision": "return"}, follow=True
    )
    assert 'class="alert alert-danger"' in body(response)  # returning needs a comment
    update.refresh_from_db()
    task.refresh_from_db()
    assert update.state == "submitted" and task.status == TaskStatus.NOT_STARTED
    client.post(reverse("plans:update-review", args=[update.pk]), {"decision": "accept", "comment": ""})
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.DONE, 100)


def test_only_the_lead_unit_reports_progress(client, cast, province_plan):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    html = body(page(client, cast["commune_officer"], "task", task.pk))  # the province plan is public
    assert 'data-testid="progress-form"' not in html
    response = client.post(
        reverse("plans:progress-report", args=[task.pk]),
        {"status": "in_progress", "progress": 50, "narrative": "x"},
    )
    assert response.status_code == 403
    # The lead unit's own report is checked too: above 100 % is refused with a message.
    client.force_login(cast["justice_focal"])
    response = client.post(
        reverse("plans:progress-report", args=[task.pk]),
        {"status": "in_progress", "progress": 150, "narrative": "x"},
        follow=True,
    )
    assert 'class="alert alert-danger"' in body(response)
    assert not TaskUpdate.objects.exists()


def test_a_new_deadline_is_requested_and_decided(client, cast, province_plan):
    task = province_plan.tasks.get(lead_unit=cast["justice"])
    client.force_login(cast["justice_focal"])
    client.post(
        reverse("plans:deadline-request", args=[task.pk]),
        {"new_kind": "date", "new_deadline": "31/07/2026", "reason": "Chờ hướng dẫn của Bộ"},
    )
    change = DeadlineChange.objects.get(task=task)
    assert 'data-testid="deadline-form"' not in body(client.get(reverse("plans:task", args=[task.pk])))
    client.force_login(cast["leader"])
    assert (
        client.post(reverse("plans:deadline-decide", args=[change.pk]), {"decision": "approve"}).status_code
        == 403
    )
    task.refresh_from_db()
    assert task.deadline == datetime.date(2026, 6, 30)
    client.force_login(cast["reform_admin"])
    assert 'data-testid="decide-form"' in body(client.get(reverse("plans:task", args=[task.pk])))
    client.post(reverse("plans:deadline-decide", args=[change.pk]), {"decision": "approve"})
    task.refresh_from_db()
    assert task.deadline == datetime.date(2026, 7, 31)
    assert "31/07/2026" in row(body(client.get(reverse("plans:task", args=[task.pk]))), "deadline")


# -- the dashboard ---------------------------------------------------------------------------------


def test_traffic_lights_show_each_state(client, cast, province_plan, django_assert_max_num_queries):
    ct1, ct2, ct3 = (province_plan.targets.get(code=code) for code in ("CT1", "CT2", "CT3"))
    for period, numerator in [("2026-Q1", 99), ("2026", 90)]:
        plan_services.record_measurement(
            actor=None, target=ct1, unit=cast["justice"], period=period, numerator=numerator, denominator=100
        )
    client.force_login(cast["leader"])
    url = reverse("plans:plan-dashboard", args=[province_plan.pk])
    with django_assert_max_num_queries(40):
        response = client.get(url, {"period": "2026-Q1"})
    html = body(response)
    # The first quarter is over: met stays green, the unmet metric is red, no data is grey.
    assert state_of(html, f"light-{ct1.pk}") == "met" and "99,0\u00a0%" in row(html, f"light-{ct1.pk}")
    assert state_of(html, f"light-{ct2.pk}") == "missed" and "text-bg-danger" in row(html, f"light-{ct2.pk}")
    assert state_of(html, f"light-{ct3.pk}") == "no_data" and "text-bg-secondary" in row(
        html, f"light-{ct3.pk}"
    )
    # For the whole year 90 % is short of 98,5 % with time left: amber.
    html = body(client.get(url))
    assert state_of(html, f"light-{ct1.pk}") == "at_risk" and "text-bg-warning" in row(
        html, f"light-{ct1.pk}"
    )


def test_the_dashboard_chart_counts_tasks_by_area_and_status(client, cast, province_plan):
    html = body(page(client, cast["leader"], "plan-dashboard", province_plan.pk))
    chart = json.loads(unescape(re.search(r'data-chart="([^"]*)"', html).group(1)))
    assert len(chart["categories"]) == 2  # the two areas, in the plan's order
    not_started = next(series for series in chart["series"] if series["key"] == "not_started")
    assert not_started["data"] == [1, 2]  # direction: 1 task; procedures: 2 tasks
    assert sum(sum(series["data"]) for series in chart["series"]) == 3


def test_overdue_league_and_calendar(client, cast, province_plan):
    admin = cast["reform_admin"]
    commune_task = province_plan.tasks.get(lead_unit=cast["west_commune"])  # quarter, until 30/09/2026
    east_task = task_services.add_task(
        actor=admin,
        plan=province_plan,
        text="Niêm yết TTHC",
        lead_unit=cast["east_ward"],
        deadline=datetime.date(2026, 8, 14),
    )
    with time_machine.travel(at(datetime.date(2026, 7, 1)), tick=False):
        update = task_services.report_progress(
            actor=cast["commune_officer"], task=commune_task, status="done", progress=100, narrative="Xong"
        )
        task_services.review_update(actor=admin, update=update, accept=True)
    with time_machine.travel(at(datetime.date(2026, 7, 10)), tick=False):
        html = body(page(client, cast["leader"], "plan-dashboard", province_plan.pk))
    justice, commune = cast["justice"], cast["west_commune"]
    # The justice task (30/06/2026) is overdue; nothing else is.
    overdue = row(html, "overdue")
    assert f'data-testid="overdue-unit-{justice.pk}"' in overdue
    assert f'data-testid="overdue-unit-{commune.pk}"' not in overdue
    # League: the commune finished on time (1/1), justice missed (0/1); the two units with nothing
    # due yet and no target met tie for third place.
    ranks = {
        unit: re.search(r'data-rank="(\d+)"', row(html, f"league-{cast[unit].pk}")).group(1)
        for unit in ("west_commune", "justice", "home_affairs", "east_ward")
    }
    assert ranks == {"west_commune": "1", "justice": "2", "home_affairs": "3", "east_ward": "3"}
    assert "1 / 1" in row(html, f"league-{commune.pk}") and "0 / 1" in row(html, f"league-{justice.pk}")
    # Calendar: the overdue task under "past due", the 14/08 one under August; done tasks are gone.
    assert "30/06/2026" in row(html, "calendar-past")
    august = row(html, "calendar-2026-08")
    assert "14/08/2026" in august and reverse("plans:task", args=[east_task.pk]) in august
    assert reverse("plans:task", args=[commune_task.pk]) not in row(html, "calendar")


def test_a_task_done_late_is_not_on_time(client, cast, province_plan):
    task = province_plan.tasks.get(lead_unit=cast["justice"])  # until 30/06/2026
    with time_machine.travel(at(datetime.date(2026, 7, 2)), tick=False):
        update = task_services.report_progress(
            actor=cast["justice_focal"], task=task, status="done", progress=100, narrative="Xong muộn"
        )
        task_services.review_update(actor=cast["reform_admin"], update=update, accept=True)
        html = body(page(client, cast["leader"], "plan-dashboard", province_plan.pk))
    assert "0 / 1" in row(html, f"league-{cast['justice'].pk}")


def test_the_reminder_panel_shows_the_users_own_tasks(client, cast, province_plan):
    task = province_plan.tasks.get(lead_unit=cast["justice"])  # until Tuesday 30/06/2026
    with time_machine.travel(at(datetime.date(2026, 6, 25)), tick=False):
        html = body(page(client, cast["justice_focal"], "plan-dashboard", province_plan.pk))
        assert f'data-testid="reminder-{task.pk}"' in html
        assert 'data-testid="reminders"' not in body(
            page(client, cast["commune_officer"], "plan-dashboard", province_plan.pk)
        )
