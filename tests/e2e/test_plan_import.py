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


def test_coordinating_units_are_chosen_by_filtering(page, live_server, cast, tmp_path):
    sign_in(page, live_server, "snv.admin")
    upload(page, live_server, tmp_path)
    row = page.get_by_test_id("task-row-0")
    select = row.locator("select[name='tasks-0-coordinating_units']")
    visible = "els => els.filter(el => !el.hidden).map(el => el.textContent.trim())"
    chosen = row.locator("[data-role=unit-chosen] button")
    assert chosen.all_inner_texts() == ["Sở Tư pháp ×"]  # read from the document

    search = row.locator("[data-role=unit-filter]")
    search.fill("TAY")  # part of a name, without diacritics or capitals
    assert select.locator("option").evaluate_all(visible) == ["Xã Tây"]
    search.press("Enter")  # the only unit left is chosen; the review is not submitted
    assert search.input_value() == ""
    assert len(select.locator("option").evaluate_all(visible)) == select.locator("option").count()
    assert sorted(chosen.all_inner_texts()) == ["Sở Tư pháp ×", "Xã Tây ×"]
    search.fill("so noi vu")  # a whole name (as the suggestions give it) is chosen at once
    assert search.input_value() == ""
    assert sorted(chosen.all_inner_texts()) == ["Sở Nội vụ ×", "Sở Tư pháp ×", "Xã Tây ×"]
    assert page.url.endswith("/plans/import/review/")

    # Removing a chip unselects the unit in the plain select underneath.
    chosen.filter(has_text="Sở Tư pháp").click()
    picked = select.evaluate("el => [...el.selectedOptions].map(o => o.textContent.trim())")
    assert sorted(picked) == ["Sở Nội vụ", "Xã Tây"]

    page.get_by_test_id("confirm").click()
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    task = page.locator("[data-testid^=task-]").first
    task.locator("a").first.click()
    assert "Xã Tây" in page.locator("main").inner_text()


def test_a_name_two_units_share_is_never_chosen_from_the_words_alone(page, live_server, cast, tmp_path):
    # Many communes have a unit of the same name; typing it must not pick one of them at random.
    from cchc.units.services.units import create_unit

    for parent, code in ((cast["east_ward"], "99001.VP"), (cast["west_commune"], "99002.VP")):
        create_unit(
            actor=None,
            name="Văn phòng HĐND và UBND",
            type="subunit",
            code=code,
            parent=parent,
            kind="Văn phòng",
            valid_from=parent.valid_from,
        )
    sign_in(page, live_server, "snv.admin")
    upload(page, live_server, tmp_path)
    row = page.get_by_test_id("task-row-0")
    select = row.locator("select[name='tasks-0-coordinating_units']")
    search = row.locator("[data-role=unit-filter]")
    search.fill("van phong hdnd va ubnd")
    assert search.input_value() == "van phong hdnd va ubnd"  # kept: nothing was chosen
    visible = select.locator("option").evaluate_all("els => els.filter(el => !el.hidden).length")
    assert visible == 2
    picked = select.evaluate("el => [...el.selectedOptions].map(o => o.textContent.trim())")
    assert picked == ["Sở Tư pháp"]
