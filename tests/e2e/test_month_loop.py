"""A month of the work loop in a real browser, from the day work comes due to the leadership brief.

The province's plan has a task of Sở Tư pháp one working day overdue, and a
reporting round due today. The focal point of Sở Tư pháp finds both on the home page, writes and submits
the round's report and reports the task done; the unit's leader is told by the bell, finds the report on
the home page and approves it; the reform office finds the report and the progress update on its home
page and accepts both. The leadership overview then shows one overdue task fewer and a higher share of
reports sent on time, and a one-page brief prepared afterwards says the same.

Background jobs (the notifications, the brief) run in the server's process as soon as their
transaction commits (`jobs_run_in_process`). Dates are relative to the real day (the application has
no clock of its own to set): the deadline is one working day back by the working-day calendar (also
on a weekend or a holiday), the round is due today.
"""

import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone
from docx import Document

from cchc.accounts import services as account_services
from cchc.accounts.models import Role
from cchc.core.templatetags.cchc_format import number, percent
from cchc.plans.models import ReportSchedule, ReportStatus, TaskStatus, UnitReport, UpdateState
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.workdays.calendar import is_working_day
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TASK_TEXT = "Rà soát, công bố thủ tục hành chính lĩnh vực hộ tịch"
ROUND_TITLE = "Báo cáo công tác cải cách hành chính kỳ này"
OVERDUE_LABEL = "Nhiệm vụ chưa hoàn thành đã quá hạn"  # the brief's figure of overdue tasks


def one_working_day_ago(today: datetime.date) -> datetime.date:
    """A deadline exactly one working day overdue today, also on a weekend or a holiday: the working day
    before the last working day up to today."""
    day = today
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def flat(text: str) -> str:
    """Spaces of any kind (the no-break space before "%", line breaks) as one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@pytest.fixture
def month(cast):
    """The province's issued plan for this year: a target read from the periodic reports, one task of
    Sở Tư pháp overdue by one working day, one round due today; and the leader of Sở Tư pháp."""
    today = timezone.localdate()
    admin = cast["reform_admin"]
    leader = account_services.create_user(
        actor=None, username="stp.lanhdao", password="mat-khau-thu-1", full_name="Lãnh đạo Sở Tư pháp"
    )
    account_services.grant_role(actor=None, user=leader, unit=cast["justice"], role=Role.LEADER)
    plan = plan_services.create_plan(
        actor=admin,
        issuing_unit=cast["province"],
        title=f"Kế hoạch cải cách hành chính năm {today.year}",
        year_from=today.year - 1,
        year_to=today.year,
    )
    target = plan_services.add_target(
        actor=admin,
        plan=plan,
        code="CT1",
        text="Báo cáo cải cách hành chính định kỳ gửi đúng hạn",
        comparator=">=",
        value="100",
        unit="%",
        data_source="plans.reports_on_time",
    )
    deadline = one_working_day_ago(today)
    task = task_services.add_task(
        actor=admin,
        plan=plan,
        code="NV1",
        text=TASK_TEXT,
        lead_unit=cast["justice"],
        deadline_kind="date",
        deadline=deadline,
    )
    plan = plan_services.issue_plan(
        actor=admin, plan=plan, number="95/KH-UBND", issued_on=today - datetime.timedelta(days=60)
    )
    # The rounds of the national defaults fall on fixed days of the year; this one is due today.
    schedule = ReportSchedule.objects.create(
        plan=plan,
        kind="quarter",
        period=f"{today.year}-Q{(today.month - 1) // 3 + 1}",
        title=ROUND_TITLE,
        data_from=today - datetime.timedelta(days=90),
        data_to=today - datetime.timedelta(days=5),
        due_on=today,
    )
    return {"plan": plan, "target": target, "task": task, "schedule": schedule, "leader": leader}


def person(browser, live_server, username, errors):
    """A browser of its own for each person, signed in; its script errors go to `errors`."""
    page = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 800}).new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, username)
    return page


def follow(page, locator):
    """Click a link or a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def work_item(page, group: str, text: str):
    """The one item of the home page's group `group` whose link says `text`."""
    item = page.get_by_test_id(f"work-{group}").get_by_test_id("work-item").filter(has_text=text)
    assert item.count() == 1, f"{group}: {page.get_by_test_id(f'work-{group}').all_inner_texts()}"
    return item


def overview_figures(page, live_server, province, target) -> dict[str, str]:
    page.goto(f"{live_server.url}/overview/?unit={province.pk}")
    overdue = page.get_by_test_id("overview-tasks")
    # The table of every target is folded away: its text is read without opening it.
    value = page.get_by_test_id("all-targets").get_by_test_id(f"target-{target.pk}").locator("td").nth(2)
    return {
        "total": overdue.get_by_test_id("tasks-total").inner_text(),
        "units": flat(overdue.inner_text()),
        "target": flat(value.text_content()),
    }


def brief_files(page, tmp_path, name):
    """Prepare the brief from the overview's button and download both files through the page."""
    follow(page, page.get_by_test_id("overview-brief"))
    follow(page, page.get_by_test_id("brief-form").locator("button[type=submit]"))
    assert re.search(r"/brief/\d+/$", page.url)
    status = page.get_by_test_id("brief-status")
    # Jobs run in process (jobs_run_in_process): the files were written when the request committed.
    status.get_by_test_id("brief-pdf").wait_for()
    texts = {}
    for kind in ("pdf", "docx"):
        with page.expect_download() as download:
            status.get_by_test_id(f"brief-{kind}").click()
        path = tmp_path / f"{name}.{kind}"
        download.value.save_as(path)
        texts[kind] = path.read_bytes()
    pdf = flat("\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(texts["pdf"])).pages))
    document = Document(io.BytesIO(texts["docx"]))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return pdf, flat("\n".join(parts))


def test_a_month_of_work_from_the_due_task_to_the_leadership_brief(
    browser, page, live_server, cast, month, tmp_path, jobs_run_in_process
):
    province, justice, task, schedule = cast["province"], cast["justice"], month["task"], month["schedule"]
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Before: the reform office's overview counts the task as overdue for Sở Tư pháp and no report in time.
    office = person(browser, live_server, "snv.admin", errors)
    before = overview_figures(office, live_server, province, month["target"])
    assert before["total"] == number(1)
    assert f"Sở Tư pháp {number(1)}" in before["units"]
    assert before["target"] == flat(percent(Decimal(0)))
    brief_before_pdf, brief_before_docx = brief_files(office, tmp_path, "truoc")
    for text in (brief_before_pdf, brief_before_docx):
        assert f"{OVERDUE_LABEL} {number(1)}" in text
        assert "Sở Tư pháp" in text  # the overdue task's lead unit is named
        assert f"{month['target'].text} {flat(percent(Decimal(0)))} ≥" in text  # the target's result

    # The focal point: the task (one working day overdue) and the round (due today) wait on the home page.
    sign_in(page, live_server, "stp.daumoi")
    task_item = work_item(page, "task-due", TASK_TEXT)
    assert task_item.get_by_test_id("work-days").inner_text() == "Quá hạn 1 ngày làm việc"
    report_item = work_item(page, "report-due", ROUND_TITLE)
    assert report_item.get_by_test_id("work-days").inner_text() == "Đến hạn hôm nay"

    # One click to the round, start the unit's report, write it, mark the task line done and submit.
    follow(page, report_item.get_by_role("link"))
    follow(page, page.locator(f"form[action='/plans/reports/round/{schedule.pk}/start/'] button"))
    assert re.search(r"/plans/reports/\d+/$", page.url)
    report = UnitReport.objects.get(schedule=schedule, unit=justice)
    edit = page.get_by_test_id("edit-report")
    edit.locator("#narrative").fill(
        "Sở Tư pháp đã rà soát và công bố đủ thủ tục hành chính lĩnh vực hộ tịch."
    )
    edit.locator(f"select[name=status-{task.pk}]").select_option(TaskStatus.DONE)
    edit.locator(f"input[name=progress-{task.pk}]").fill("100")
    follow(page, edit.locator("button[type=submit]"))
    follow(page, page.get_by_test_id("actions").locator("input[value=submit] + button"))
    assert page.get_by_test_id("status").inner_text() == "Chờ lãnh đạo phê duyệt"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.task_lines[0]["status"] == TaskStatus.DONE

    # Back home the report has gone to the leader; the task still waits for its progress report.
    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("work-report-due").count() == 0
    follow(page, work_item(page, "task-due", TASK_TEXT).get_by_role("link"))
    progress = page.get_by_test_id("progress-form")
    progress.locator("select[name=status]").select_option(TaskStatus.DONE)
    progress.locator("input[name=progress]").fill("100")
    progress.locator("textarea[name=narrative]").fill("Đã công bố 12 thủ tục hành chính lĩnh vực hộ tịch.")
    follow(page, progress.locator("button[type=submit]"))
    update = task.updates.get()
    assert update.state == UpdateState.SUBMITTED
    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("work-empty").count() == 1  # nothing is left for the focal point

    # The leader: the bell says a report waits, the home page lists it, one click and approve.
    leader = person(browser, live_server, "stp.lanhdao", errors)
    assert leader.get_by_test_id("bell-count").inner_text().split()[0] == "1"
    approve_item = work_item(leader, "report-approve", ROUND_TITLE)
    follow(leader, approve_item.get_by_role("link"))
    follow(leader, leader.get_by_test_id("actions").locator("input[value=approve] + button"))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    follow(leader, leader.get_by_test_id("bell"))
    told = flat(leader.locator("main").inner_text())
    assert f"Sở Tư pháp trình “{ROUND_TITLE}”, chờ anh/chị phê duyệt" in told
    leader.goto(f"{live_server.url}/")
    assert leader.get_by_test_id("work-empty").count() == 1

    # The reform office: the report and the progress update wait on its home page; it accepts both.
    office.goto(f"{live_server.url}/")
    follow(office, work_item(office, "report-review", ROUND_TITLE).get_by_role("link"))
    follow(office, office.get_by_test_id("review").locator("button[value=accept]"))
    assert office.get_by_test_id("locked").count() == 1
    office.goto(f"{live_server.url}/")
    follow(office, work_item(office, "update-review", TASK_TEXT).get_by_role("link"))
    review = office.get_by_test_id(f"update-{update.pk}").get_by_test_id("review-form")
    follow(office, review.locator("button[value=accept]"))
    task.refresh_from_db()
    report.refresh_from_db()
    assert (task.status, report.status) == (TaskStatus.DONE, ReportStatus.ACCEPTED)
    office.goto(f"{live_server.url}/")
    assert office.get_by_test_id("work-report-review").count() == 0
    assert office.get_by_test_id("work-update-review").count() == 0

    # The focal point is told the report was accepted.
    follow(page, page.get_by_test_id("bell"))
    assert f"“{ROUND_TITLE}” của Sở Tư pháp đã được tiếp nhận" in flat(page.locator("main").inner_text())

    # The overview: no overdue task left, and one report of the four expected units came in time.
    after = overview_figures(office, live_server, province, month["target"])
    assert after["total"] == number(0)
    assert "Sở Tư pháp" not in after["units"]
    assert after["target"] == flat(percent(Decimal(25)))

    # The brief prepared now says the same.
    brief_after_pdf, brief_after_docx = brief_files(office, tmp_path, "sau")
    for text in (brief_after_pdf, brief_after_docx):
        assert f"{OVERDUE_LABEL} {number(0)}" in text
        assert "Sở Tư pháp" not in text
        assert f"{month['target'].text} {flat(percent(Decimal(25)))} ≥" in text
    assert errors == []
