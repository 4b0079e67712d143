"""Importing a plan document in a real browser: upload a text file, correct a value, confirm."""

import re

import pytest

from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PLAN_TEXT = """KẾ HOẠCH
Cải cách hành chính năm 2026
# Cải cách thủ tục hành chính
Phấn đấu tỷ lệ thủ tục được số hóa hồ sơ đạt tối thiểu 90%.
Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm
Chuẩn hóa danh mục thủ tục nội bộ | Sở Nội vụ | Sở Tư pháp | Quý II | Quyết định công bố
"""


def upload(page, live_server, tmp_path):
    document = tmp_path / "ke-hoach-2026.txt"
    document.write_text(PLAN_TEXT, encoding="utf-8")
    page.goto(f"{live_server.url}/plans/import/")
    page.fill("#id_year_from", "2026")
    page.set_input_files("#id_file", str(document))
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/plans/import/review/")


def test_a_text_plan_is_reviewed_corrected_and_created(page, live_server, cast, tmp_path):
    sign_in(page, live_server, "snv.admin")
    upload(page, live_server, tmp_path)
    assert page.input_value("#id_targets-0-value") == "90"
    assert page.locator("#id_tasks-0-lead_unit option:checked").inner_text() == "Sở Nội vụ"
    page.fill("#id_targets-0-value", "92,5")
    page.get_by_test_id("confirm").click()

    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    assert page.locator("h1").inner_text() == "Kế hoạch cải cách hành chính năm 2026"
    target = page.locator("[data-testid^=target-]").first.inner_text()
    assert "92,5" in target
    assert "Chuẩn hóa danh mục thủ tục nội bộ" in page.locator("[data-testid^=task-]").first.inner_text()


def test_the_review_fits_a_phone(phone, live_server, cast, tmp_path):
    sign_in(phone, live_server, "snv.admin")
    upload(phone, live_server, tmp_path)
    assert phone.get_by_test_id("confirm").is_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
