"""One-stop dossiers in a real browser: the dashboard, a figure's dossiers, an import with a bad row."""

import re

import pytest

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "dossier_code,procedure_code,unit_code,received_at,finished_at\n"
    "STP-NEW-1,HT-01,99.STP,2026-03-02 09:00,2026-03-04 10:00\n"
    "STP-NEW-2,HT-01,99002,2026-03-02 09:00,\n"  # Xã Tây: outside the reach of Sở Tư pháp
)


@pytest.fixture
def justice_dossiers(cast):
    from cchc.onestop import services
    from tests.onestop.conftest import PROCEDURES, dossier

    services.import_procedures(PROCEDURES, actor=None)
    records = [
        dossier("STP-1", unit="99.STP", finished_at="2026-01-07 10:00", status="10"),
        dossier("STP-2", unit="99.STP.HCTP", procedure="DD-01", received="2026-01-06 09:00"),
        dossier(
            "STP-3",
            unit="99.STP",
            procedure="HT-02",
            received="2026-02-02 09:00",
            finished_at="2026-02-20 10:00",
        ),
    ]
    assert services.import_dossiers(records, actor=None).applied


def test_dashboard_figure_opens_its_dossiers_and_an_import_reports_a_bad_row(
    page, live_server, cast, justice_dossiers, jobs_run_in_process, tmp_path
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "stp.daumoi")
    page.goto(f"{live_server.url}/onestop/")
    assert page.get_by_test_id("unit-name").inner_text().find("Sở Tư pháp") >= 0
    received = page.get_by_test_id("count-received")
    assert received.locator("[data-value]").get_attribute("data-value") == "3"
    page.wait_for_selector("#trend-chart canvas")  # ECharts drew the trend
    received.click()

    page.wait_for_url(re.compile(r".*/onestop/dossiers/\?.*measure=received.*"))
    assert page.get_by_test_id("total").get_attribute("data-count") == "3"
    codes = page.locator("[data-testid=dossiers] tbody tr td:first-child").all_inner_texts()
    assert sorted(codes) == ["STP-1", "STP-2", "STP-3"]

    upload = tmp_path / "ho-so-thang-3.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.goto(f"{live_server.url}/onestop/imports/")
    page.set_input_files("#id_file", str(upload))
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()

    page.wait_for_url(re.compile(r".*/onestop/imports/\d+/$"))
    page.wait_for_selector("[data-testid=job][data-status=failed]")
    assert page.get_by_test_id("job-errors").inner_text() == "1"
    error_rows = page.locator("[data-testid=job-error-rows] tbody tr")
    assert error_rows.count() == 1
    assert error_rows.first.locator("td").first.inner_text() == "3"
    assert "unit_code" in error_rows.first.inner_text()
    assert page.get_by_test_id("error-report").is_visible()
    assert errors == []
