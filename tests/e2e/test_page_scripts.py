"""Page scripts under the Content-Security-Policy: every chart draws and its tooltip writes figures the
Vietnamese way and names as text, pickers send themselves, the calendar asks before deleting, the links
page prints. Any refusal of the policy on these pages fails the test (tests/e2e/conftest.py)."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cchc.parindex.models import Assessment
from cchc.plans.services import plans as plan_services
from cchc.plans.services import tasks as task_services
from cchc.units.models import Unit
from cchc.workdays.models import CalendarOverride
from tests.e2e.conftest import sign_in
from tests.e2e.test_onestop import justice_dossiers  # noqa: F401 (fixture)
from tests.parindex.test_result_pages import two_years  # noqa: F401 (fixture)
from tests.surveys.conftest import sipas_campaign  # noqa: F401 (fixture)
from tests.surveys.test_sipas_pages import answered  # noqa: F401 (fixture)
from tests.workdays.conftest import official_data  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Unit and area names are typed by people; a tooltip that pasted them into its HTML would run this.
HOSTILE = '<img src=x onerror="window.hacked = 1">Sở Tư pháp'
SHOW_TIP = """(box, [series, index]) =>
  echarts.getInstanceByDom(box).dispatchAction({ type: "showTip", seriesIndex: series, dataIndex: index })"""


def tooltip(page, chart, series=0, index=0):
    """The tooltip of one chart's data item, shown as when the mouse rests on it."""
    box = page.locator(chart)
    box.locator("canvas").first.wait_for()
    box.evaluate(SHOW_TIP, [series, index])
    tip = box.locator(":scope > div").nth(1)  # ECharts puts it beside the canvas's own wrapper
    expect(tip).to_be_visible()
    return tip


def shows_the_name_as_text(page, tip):
    assert HOSTILE in tip.inner_text()
    assert tip.locator("img").count() == 0
    assert page.evaluate("window.hacked") is None


def rename_justice():
    Unit.objects.filter(code="99.STP").update(name=HOSTILE)


def test_the_overview_trend_writes_its_month_and_rate_as_text(page, live_server, cast, justice_dossiers):  # noqa: F811
    sign_in(page, live_server, "snv.admin")
    page.goto(f"{live_server.url}{reverse('web:overview')}?unit={cast['justice'].pk}&period=2026-02")
    lines = tooltip(page, "#overview-trend-chart", index=11).inner_text().split("\n")
    assert lines[0] == "Tháng 2/2026"  # the twelfth month of the trend is the one chosen
    assert re.fullmatch(r".+: \d{1,3},\d\u00a0%", lines[1]), lines


def test_par_index_charts_write_percentages_and_names_as_text(page, live_server, cast, two_years):  # noqa: F811
    rename_justice()
    sign_in(page, live_server, "snv.admin")
    page.goto(live_server.url + reverse("parindex:ranking", args=[two_years.pk]))
    tip = tooltip(page, "#ranking-chart")
    assert tip.inner_text() == f"{HOSTILE}: 90,00\u00a0% · Xuất sắc"
    shows_the_name_as_text(page, tip)

    page.goto(live_server.url + reverse("parindex:comparison", args=[two_years.pk]))
    tip = tooltip(page, "#comparison-chart", series=1)
    assert tip.inner_text().split("\n") == [HOSTILE, "2025: 70,00\u00a0%", "2026: 90,00\u00a0%"]
    shows_the_name_as_text(page, tip)

    assessment = Assessment.objects.get(campaign=two_years, unit=cast["justice"])
    page.goto(live_server.url + reverse("parindex:scorecard", args=[assessment.pk]))
    lines = tooltip(page, "#radar-chart").inner_text().split("\n")
    assert lines[0] == "Tự đánh giá"
    assert lines[1] == "A. Chỉ đạo điều hành: 0,00\u00a0%"


def test_survey_results_chart_and_period_picker(page, live_server, cast, answered):  # noqa: F811
    rename_justice()
    sign_in(page, live_server, "snv.admin")
    page.goto(live_server.url + reverse("surveys:campaign", args=[answered.pk]))
    names = page.evaluate("JSON.parse(document.getElementById('sipas-charts').textContent).units.names")
    tip = tooltip(page, "#units-chart", index=names.index(HOSTILE))
    shows_the_name_as_text(page, tip)
    assert re.search(r": \d+,\d\d\u00a0%$", tip.inner_text())
    tooltip(page, "#elements-chart")

    picker = page.locator("select[name=period]")
    quarter = picker.locator("option").nth(1).get_attribute("value")
    with page.expect_navigation():
        picker.select_option(quarter)
    assert f"period={quarter}" in page.url
    expect(page.locator("select[name=period]")).to_have_value(quarter)


def test_plan_dashboard_chart_and_period_picker(page, live_server, cast):
    admin = cast["reform_admin"]
    plan = plan_services.create_plan(
        actor=admin, issuing_unit=cast["province"], title="KH 2026", year_from=2026
    )
    area = plan_services.add_area(actor=admin, plan=plan, title=HOSTILE)
    task_services.add_task(
        actor=admin,
        plan=plan,
        area=area,
        text="Rà soát thủ tục",
        lead_unit=cast["justice"],
        deadline=datetime.date(2026, 6, 30),
    )
    sign_in(page, live_server, "snv.admin")
    page.goto(live_server.url + reverse("plans:plan-dashboard", args=[plan.pk]))
    tip = tooltip(page, "#tasks-by-area")
    shows_the_name_as_text(page, tip)
    assert "Chưa triển khai: 1" in tip.inner_text().split("\n")

    picker = page.locator("select[name=period]")
    with page.expect_navigation():
        picker.select_option("2026-Q3")
    assert "period=2026-Q3" in page.url


def test_one_stop_trend_chart_and_pickers(page, live_server, cast, justice_dossiers):  # noqa: F811
    sign_in(page, live_server, "stp.daumoi")
    page.goto(f"{live_server.url}/onestop/")
    lines = tooltip(page, "#trend-chart").inner_text().split("\n")
    assert len(lines) == 3 and all(re.search(r": (\d+(,\d)?\u00a0%|—)$", line) for line in lines[1:])

    with page.expect_navigation():
        page.locator("select[name=period]").select_option("2026-Q1")
    assert "period=2026-Q1" in page.url
    division = str(cast["justice_division"].pk)
    with page.expect_navigation():
        page.locator("select[name=unit]").select_option(division)
    assert f"unit={division}" in page.url


def test_deleting_a_calendar_override_asks_first(page, live_server, cast, official_data):  # noqa: F811
    override = CalendarOverride.objects.filter(date__year=2026).order_by("date").first()
    sign_in(page, live_server, "snv.admin")
    page.goto(f"{live_server.url}/workdays/?year=2026")
    delete = page.get_by_test_id(f"override-{override.pk}").locator("form[data-confirm] button[type=submit]")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    delete.click()
    page.wait_for_timeout(300)
    assert CalendarOverride.objects.filter(pk=override.pk).exists()

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        delete.click()
    assert not CalendarOverride.objects.filter(pk=override.pk).exists()
    assert questions == ["Xóa điều chỉnh này? Ngày này sẽ trở lại theo quy định chung."] * 2


def test_the_links_page_prints(page, live_server, cast, sipas_campaign):  # noqa: F811
    sign_in(page, live_server, "snv.admin")
    page.goto(live_server.url + reverse("surveys:campaign-links", args=[sipas_campaign.pk]))
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.printed") is True


def test_the_api_documentation_draws(page, live_server, cast):
    sign_in(page, live_server, "snv.admin")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text("cchc API")
    assert page.locator(".swagger-ui .opblock").count() > 10  # the endpoints, read from /api/schema/
