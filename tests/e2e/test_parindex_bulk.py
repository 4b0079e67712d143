"""Bulk entry on one area of a PAR Index scorecard in a real browser: a row saves itself when its field
is left, and "save all" saves the rest of the area at once."""

import pytest

from cchc.parindex.models import Item, Phase
from tests.e2e.conftest import sign_in
from tests.parindex.conftest import campaign, criteria_sets, move_to, self_assessing  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _area(criterion):
    while criterion.parent_id is not None:
        criterion = criterion.parent
    return criterion


@pytest.fixture
def area_rows(cast, self_assessing):  # noqa: F811
    """The area of the shipped agency set with the most point-scored leaves, and two of them."""
    assessment = self_assessing.assessments.get(unit=cast["justice"])
    by_area = {}
    items = assessment.items.filter(criterion__method="manual").select_related("criterion")
    for item in items.order_by("criterion__position"):
        by_area.setdefault(_area(item.criterion).pk, []).append(item)
    area_id, rows = max(by_area.items(), key=lambda pair: len(pair[1]))
    return assessment, area_id, rows[:2]


def test_a_row_saves_itself_when_its_field_is_left_and_save_all_saves_the_rest(
    page, live_server, cast, area_rows
):
    assessment, area_id, (first, second) = area_rows
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "stp.daumoi")
    url = f"{live_server.url}/parindex/assessments/{assessment.pk}/areas/{area_id}/"
    page.goto(url)
    assert page.get_by_test_id("next-steps").is_visible()

    row = page.get_by_test_id(f"row-{first.criterion.code}")
    row.locator(f"#reported-{first.pk}").fill("1")
    row.locator(f"#note-{first.pk}").click()  # leaving the field sends the row
    row.get_by_test_id("saved").wait_for()
    assert "Đã lưu lúc" in row.get_by_test_id("status").inner_text()
    first.refresh_from_db()
    assert first.self_score == 1 and first.version == 1
    # The row carries its new version: a second change of the same row is not taken for a stale one.
    row.locator(f"#note-{first.pk}").fill("Theo báo cáo năm")
    row.locator(f"#reported-{first.pk}").click()
    page.wait_for_function(
        "([id, version]) => document.getElementById(id).value === version", arg=[f"version-{first.pk}", "2"]
    )
    first.refresh_from_db()
    assert first.unit_note == "Theo báo cáo năm"

    page.reload()
    assert page.locator(f"#reported-{first.pk}").input_value() == "1"
    assert page.locator(f"#note-{first.pk}").input_value() == "Theo báo cáo năm"

    # Values set without leaving a field (no change event): only "save all" can save them.
    for item, value in ((first, "0"), (second, "0,5")):
        page.locator(f"#reported-{item.pk}").evaluate("(field, value) => { field.value = value; }", value)
    page.get_by_test_id("save-all").click()
    # Wait for the page the redirect leads to (the page before the click is already "loaded").
    page.get_by_text("Đã lưu 2 tiêu chí.").wait_for()
    first, second = (Item.objects.get(pk=item.pk) for item in (first, second))
    assert (first.self_score, second.self_score) == (0, 0.5)
    assert page.locator(f"#reported-{second.pk}").input_value() == "0,5"

    # The page left open after the self-assessment phase ended: the server refuses (403), and the row
    # says so rather than staying silent.
    move_to(assessment.campaign, Phase.APPRAISAL, cast["reform_admin"])
    page.locator(f"#reported-{second.pk}").fill("1")
    page.locator(f"#note-{second.pk}").click()
    status = page.get_by_test_id(f"row-{second.criterion.code}").get_by_test_id("status")
    status.get_by_text("Thay đổi này chưa được lưu").wait_for()
    assert Item.objects.get(pk=second.pk).self_score == 0.5
    assert errors == []
