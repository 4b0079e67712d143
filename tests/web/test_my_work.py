"""The home page "Việc của tôi": what waits for each role, and nothing of another unit's.

The clock stands at Friday 15/05/2026 10:00 (Vietnam). The province plan has tasks led by Sở Tư pháp
and Xã Tây; a reporting round is due; reports, progress, a deadline request, findings, feedback and a
failed import wait at their different steps, so that every role has something and sees only its own.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.onestop.models import ImportJob, ImportKind, JobStatus
from cchc.parindex.models import Phase
from cchc.plans.models import ReportSchedule
from cchc.plans.services import inspections as inspection_services
from cchc.plans.services import plans as plan_services
from cchc.plans.services import reports as report_services
from cchc.plans.services import tasks as task_services
from cchc.surveys.models import FeedbackChannel, FeedbackKind
from cchc.surveys.services import feedback as feedback_services
from cchc.web import work
from cchc.workdays import calendar
from tests.conftest import _person
from tests.parindex.conftest import campaign, criteria_sets, move_to  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

VN = datetime.timezone(datetime.timedelta(hours=7))
TODAY = datetime.date(2026, 5, 15)  # a Friday


def travel(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=VN), tick=False)


@pytest.fixture(autouse=True)
def friday(settings):
    """The clock at TODAY, a fresh calendar and a cache of the test's own (the badges' counts)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "work"}
    }
    calendar.invalidate_cache()
    with travel(TODAY):
        yield
    calendar.invalidate_cache()


@pytest.fixture
def people(cast):
    return {
        **cast,
        "justice_leader": _person("stp.lanhdao", "Đỗ Văn Giám Đốc", (cast["justice"], Role.LEADER)),
        "commune_leader": _person("xatay.chutich", "Vũ Văn Chủ Tịch", (cast["west_commune"], Role.LEADER)),
        "appraiser": _person("thamdinh", "Hồ Thị Thẩm Định", (cast["province"], Role.APPRAISER)),
    }


@pytest.fixture
def plan(people):
    admin = people["reform_admin"]
    plan = plan_services.create_plan(
        actor=admin, issuing_unit=people["province"], title="Kế hoạch CCHC năm 2026", year_from=2026
    )
    return plan_services.issue_plan(
        actor=admin, plan=plan, number="12/KH-UBND", issued_on=datetime.date(2026, 1, 5)
    )


def add_task(people, plan, text, unit, deadline):
    return task_services.add_task(
        actor=people["reform_admin"], plan=plan, text=text, lead_unit=people[unit], deadline=deadline
    )


@pytest.fixture
def loop(people, plan):
    """One of each thing waiting, at its step."""
    admin, justice_focal = people["reform_admin"], people["justice_focal"]
    made = {
        "due_monday": add_task(
            people, plan, "Rà soát thủ tục tư pháp", "justice", datetime.date(2026, 5, 18)
        ),
        "late": add_task(people, plan, "Công bố danh mục thủ tục", "justice", datetime.date(2026, 5, 13)),
        "far": add_task(people, plan, "Số hóa hồ sơ lý lịch tư pháp", "justice", datetime.date(2026, 9, 30)),
        "commune": add_task(
            people, plan, "Niêm yết thủ tục tại xã", "west_commune", datetime.date(2026, 5, 19)
        ),
    }
    task_services.report_progress(
        actor=justice_focal, task=made["far"], status="in_progress", progress=40, narrative="Đã số hóa 40%"
    )
    task_services.request_deadline_change(
        actor=justice_focal,
        task=made["far"],
        new_kind="date",
        new_deadline=datetime.date(2026, 10, 30),
        reason="Chờ kinh phí",
    )
    schedule = ReportSchedule.objects.create(
        plan=plan,
        kind="quarter",
        period="2026-Q1",
        title="Báo cáo CCHC quý I năm 2026",
        data_from=datetime.date(2026, 1, 1),
        data_to=datetime.date(2026, 3, 31),
        due_on=datetime.date(2026, 5, 20),
    )
    commune_report = report_services.start_report(actor=admin, schedule=schedule, unit=people["west_commune"])
    commune_report = report_services.save_report(
        actor=admin, report=commune_report, narrative="Kết quả quý I của xã", task_lines=[]
    )
    report_services.submit_report(actor=people["commune_officer"], report=commune_report)
    ward_report = report_services.start_report(actor=admin, schedule=schedule, unit=people["east_ward"])
    ward_report = report_services.save_report(
        actor=admin, report=ward_report, narrative="Kết quả", task_lines=[]
    )
    report_services.submit_report(actor=admin, report=ward_report)
    report_services.approve_report(actor=admin, report=ward_report)
    inspection_plan = inspection_services.create_inspection_plan(
        actor=admin, issuing_unit=people["province"], year=2026, title="Kiểm tra CCHC năm 2026"
    )
    findings = {}
    for unit in ("justice", "west_commune"):
        inspection = inspection_services.add_inspection(
            actor=admin, plan=inspection_plan, inspected_unit=people[unit]
        )
        inspection_services.record_inspection(
            actor=admin, inspection=inspection, done_on=datetime.date(2026, 4, 20), team="Đoàn kiểm tra"
        )
        findings[unit] = inspection_services.add_finding(
            actor=admin,
            inspection=inspection,
            description=f"Chưa niêm yết thủ tục ({unit})",
            responsible_unit=people[unit],
            remedy_required="Niêm yết đầy đủ",
            deadline=datetime.date(2026, 5, 29),
        )
    inspection_services.report_remedy(
        actor=people["commune_officer"], finding=findings["west_commune"], remedy_report="Đã niêm yết"
    )
    received = datetime.datetime(2026, 5, 11, 9, tzinfo=VN)
    for title, unit in (
        ("Phản ánh chờ chuyển", None),
        ("Phản ánh về chứng thực ở xã", people["west_commune"]),
    ):
        feedback_services.receive_feedback(
            actor=admin,
            organiser=people["province"],
            kind=FeedbackKind.PROCEDURE,
            title=title,
            content="Nội dung phản ánh",
            unit=unit,
            channel=FeedbackChannel.STAFF,
            received_at=received,
        )
    ImportJob.objects.create(
        kind=ImportKind.DOSSIERS,
        status=JobStatus.FAILED,
        original_name="ho-so-thang-4.xlsx",
        created_by=admin,
    )
    return made


def titles(user, kind):
    return [item.title for item in work.my_work(user, TODAY) if item.kind == kind]


def page(client, user):
    client.force_login(user)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_focal_point_sees_its_tasks_report_and_finding_and_nothing_of_the_commune(people, loop):
    focal = people["justice_focal"]
    assert titles(focal, work.items.TASK_DUE) == ["Công bố danh mục thủ tục", "Rà soát thủ tục tư pháp"]
    assert titles(focal, work.items.REPORT_DUE) == ["Báo cáo CCHC quý I năm 2026"]
    assert titles(focal, work.items.FINDING_REMEDY) == ["Chưa niêm yết thủ tục (justice)"]
    everything = " ".join(item.title for item in work.my_work(focal, TODAY))
    # Not the commune's task or finding, not the far task (its progress awaits review), no reviewing.
    assert "xã" not in everything.replace("Chưa niêm yết thủ tục (justice)", "")
    assert "Số hóa" not in everything
    kinds = {item.kind for item in work.my_work(focal, TODAY)}
    assert kinds == {work.items.TASK_DUE, work.items.REPORT_DUE, work.items.FINDING_REMEDY}


def test_the_commune_handles_its_feedback_and_sees_nothing_of_the_agency(people, loop):
    officer = people["commune_officer"]
    items = work.my_work(officer, TODAY)
    assert {item.kind for item in items} == {work.items.TASK_DUE, work.items.FEEDBACK_HANDLE}
    assert titles(officer, work.items.FEEDBACK_HANDLE) == ["Phản ánh về chứng thực ở xã"]
    assert all(item.unit == "Xã Tây" for item in items)
    # Its report went to its leader, its finding's remedy to the reform office: nothing waits there.
    assert titles(officer, work.items.REPORT_DUE) == []


def test_the_leader_approves_what_the_unit_submitted(people, loop):
    assert titles(people["commune_leader"], work.items.REPORT_APPROVE) == ["Báo cáo CCHC quý I năm 2026"]
    assert [item.kind for item in work.my_work(people["commune_leader"], TODAY)] == [
        work.items.REPORT_APPROVE
    ]
    assert work.my_work(people["justice_leader"], TODAY) == []


def test_the_reform_office_reviews_what_reached_it(people, loop):
    office = people["reform_admin"]
    kinds = {item.kind: item for item in work.my_work(office, TODAY)}
    assert set(kinds) == {
        work.items.REPORT_REVIEW,
        work.items.UPDATE_REVIEW,
        work.items.DEADLINE_DECIDE,
        work.items.FINDING_VERIFY,
        work.items.FEEDBACK_ROUTE,
        work.items.IMPORT_FAILED,
    }
    assert kinds[work.items.REPORT_REVIEW].unit == "Phường Đông"
    assert kinds[work.items.FINDING_VERIFY].unit == "Xã Tây"
    assert kinds[work.items.FEEDBACK_ROUTE].title == "Phản ánh chờ chuyển"
    assert kinds[work.items.IMPORT_FAILED].title.endswith("ho-so-thang-4.xlsx")


def test_a_viewer_has_nothing_to_do_and_is_told_what_would_appear(client, people, loop):
    assert work.my_work(people["leader"], TODAY) == []
    body = page(client, people["leader"])
    assert 'data-testid="work-empty"' in body
    assert 'data-testid="work-item"' not in body


def test_a_later_import_that_went_through_clears_the_failure(people, loop):
    admin = people["reform_admin"]
    ImportJob.objects.create(
        kind=ImportKind.DOSSIERS,
        status=JobStatus.DONE,
        original_name="ho-so-thang-4-sua.xlsx",
        created_by=admin,
    )
    assert titles(admin, work.items.IMPORT_FAILED) == []
    assert titles(people["justice_focal"], work.items.IMPORT_FAILED) == []


@pytest.mark.parametrize(
    "who", ["justice_focal", "commune_officer", "commune_leader", "reform_admin", "justice_leader", "leader"]
)
def test_every_link_opens_for_its_user(client, people, loop, who):
    user = people[who]
    body = page(client, user)
    items = work.my_work(user, TODAY)
    for item in items:
        assert f'href="{item.url}"' in body
        assert client.get(item.url).status_code == 200, item.url


def test_working_days_skip_the_weekend_and_holidays(client, people, loop):
    focal = people["justice_focal"]
    due = {item.title: item for item in work.my_work(focal, TODAY)}
    # Friday to Monday 18/05: one working day left; Wednesday 13/05 to Friday: two overdue.
    assert due["Rà soát thủ tục tư pháp"].days_left == 1
    assert due["Công bố danh mục thủ tục"].days_left == -2
    body = page(client, focal)
    assert "Còn 1 ngày làm việc" in body
    assert "Quá hạn 2 ngày làm việc" in body
    assert body.index("Công bố danh mục thủ tục") < body.index("Rà soát thủ tục tư pháp")  # overdue first
    # On Monday 04/05, a deadline of Wednesday 29/04 is one working day late: 30/04 and 01/05 are holidays.
    with travel(datetime.date(2026, 5, 4)):
        calendar.invalidate_cache()
        item = work.items.dated(
            work.items.TASK_DUE,
            title="x",
            unit="",
            url="/",
            deadline=datetime.date(2026, 4, 29),
            today=datetime.date(2026, 5, 4),
            calendar=calendar.get_calendar(),
        )
    assert item.days_left == -1


def test_badges_in_the_navigation(client, people, loop):
    body = page(client, people["justice_focal"])
    badges = dict(
        re.findall(
            r'href="([^"]+)"[^>]*>\s*<i[^>]*></i>[^<]*<span class="badge[^"]*" data-testid="nav-badge">(\d+)',
            body,
        )
    )
    assert badges["/"] == "4"  # two tasks, a report and a finding
    assert badges[reverse("plans:plan-list")] == "3"
    assert badges[reverse("plans:inspection-plans")] == "1"
    # Another page reads the cached numbers, without computing the list again.
    other = client.get(reverse("units:tree")).content.decode()
    assert other.count('data-testid="nav-badge"') == 3


def test_a_page_without_the_numbers_at_hand_fetches_its_badges_afterwards(
    client, people, loop, django_assert_max_num_queries
):
    """Another page never computes the work list: with nothing cached its sidebar comes without badges
    and asks web:navigation for them once it has loaded."""
    focal = people["justice_focal"]
    client.force_login(focal)
    work.forget_counts(focal)
    body = client.get(reverse("units:tree")).content.decode()
    assert 'data-testid="nav-badge"' not in body
    assert f'hx-get="{reverse("web:navigation")}?path=' in body
    with django_assert_max_num_queries(20):
        fragment = client.get(reverse("web:navigation"), {"path": reverse("units:tree")}).content.decode()
    assert fragment.count('data-testid="nav-badge"') == 3 and "hx-get" not in fragment
    assert f'active fw-semibold" href="{reverse("units:tree")}"' in fragment
    # Counted once, the next page has them at hand and asks for nothing.
    again = client.get(reverse("units:tree")).content.decode()
    assert again.count('data-testid="nav-badge"') == 3 and f'hx-get="{reverse("web:navigation")}' not in again


def test_the_badges_cost_one_cache_read_once_counted(client, people, loop, django_assert_max_num_queries):
    client.force_login(people["justice_focal"])
    client.get(reverse("web:dashboard"))
    with django_assert_max_num_queries(0):
        assert work.counts(people["justice_focal"])[work.TOTAL] == 4


@pytest.mark.parametrize("size", [5, 50])
def test_one_query_budget_whatever_the_number_of_items(
    client, people, plan, size, django_assert_max_num_queries
):
    admin, focal = people["reform_admin"], people["justice_focal"]
    for number in range(size):
        task = add_task(
            people, plan, f"Nhiệm vụ {number}", "justice", datetime.date(2026, 5, 20 + number % 5)
        )
        other = add_task(people, plan, f"Nhiệm vụ xa {number}", "justice", datetime.date(2026, 12, 1))
        task_services.report_progress(
            actor=focal, task=other, status="in_progress", progress=10, narrative="…"
        )
        task_services.request_deadline_change(
            actor=focal, task=task, new_kind="date", new_deadline=datetime.date(2026, 12, 31), reason="…"
        )
    for user, expected in ((focal, size), (admin, 2 * size)):
        client.force_login(user)
        with django_assert_max_num_queries(20):
            body = client.get(reverse("web:dashboard")).content.decode()
        assert body.count('data-testid="work-item"') == expected


def test_par_index_work_follows_the_phase(people, campaign):  # noqa: F811
    admin = people["reform_admin"]
    campaign = move_to(campaign, Phase.SELF_ASSESSMENT, admin)
    assert titles(people["justice_focal"], work.items.PAR_SELF) == [campaign.title]
    assert titles(people["justice_leader"], work.items.PAR_SUBMIT) == [campaign.title]
    assert titles(people["appraiser"], work.items.PAR_APPRAISE) == []
    campaign = move_to(campaign, Phase.APPRAISAL, admin)
    assert titles(people["justice_focal"], work.items.PAR_SELF) == []
    appraised = {item.unit for item in work.my_work(people["appraiser"], TODAY)}
    assert "Sở Tư pháp" in appraised and "Xã Tây" in appraised
    assert titles(people["commune_officer"], work.items.PAR_APPRAISE) == []


@pytest.mark.parametrize("who", ["justice_focal", "commune_officer", "commune_leader", "reform_admin"])
def test_every_link_opens_where_the_user_can_act(client, people, loop, who):
    # The page an item links to offers the user a form to act on it, which a mere viewer of the same
    # page (the province's viewer) does not get: the link leads to where the work is done.
    def forms(user, url):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        return len(re.findall(r'<form[^>]*method="post"', response.content.decode(), re.IGNORECASE))

    items = [item for item in work.my_work(people[who], TODAY) if item.kind != work.items.IMPORT_FAILED]
    assert items
    for item in items:
        assert forms(people[who], item.url) > forms(people["leader"], item.url), (item.kind.key, item.url)
