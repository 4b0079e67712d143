"""The PAR Index scorecard in a real browser: self-assessment with evidence, then two appraisers at once."""

from decimal import Decimal

import pytest

from cchc.parindex.models import Evidence, Phase
from tests.e2e.conftest import sign_in
from tests.parindex.conftest import campaign, criteria_sets, move_to, self_assessing  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scorecard(cast, self_assessing):  # noqa: F811
    assessment = self_assessing.assessments.get(unit=cast["justice"])
    tiered = assessment.items.select_related("criterion").filter(criterion__method="tiered").first()
    return self_assessing, assessment, tiered


def test_a_unit_scores_itself_and_two_appraisers_cannot_overwrite_each_other(
    browser, page, live_server, cast, scorecard, tmp_path
):
    par_campaign, assessment, item = scorecard
    code = item.criterion.code
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "stp.daumoi")
    page.goto(f"{live_server.url}/parindex/assessments/{assessment.pk}/")
    page.wait_for_selector("#radar-chart canvas")  # ECharts drew the radar by area
    forms = page.get_by_test_id(f"forms-{code}")
    second_tier = item.criterion.tiers[1]
    forms.get_by_test_id("self-form").locator("select[name=reported]").select_option(second_tier["label"])
    forms.get_by_test_id("self-form").locator("textarea[name=note]").fill("Kế hoạch ban hành chậm 5 ngày")
    forms.get_by_test_id("self-form").locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    item.refresh_from_db()
    assert item.self_score == item.criterion.max_points * Decimal(second_tier["percent"]) / 100
    assert item.unit_note == "Kế hoạch ban hành chậm 5 ngày"

    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    evidence_form = page.get_by_test_id(f"forms-{code}").get_by_test_id("evidence-form")
    evidence_form.locator("input[type=file]").set_input_files(str(pdf))
    evidence_form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert Evidence.objects.get(item=item).name == "ke-hoach.pdf"
    assert page.get_by_test_id(f"item-{code}").get_by_text("ke-hoach.pdf").count() == 1

    move_to(par_campaign, Phase.APPRAISAL, cast["reform_admin"])
    first = browser.new_context(locale="vi-VN").new_page()
    second = browser.new_context(locale="vi-VN").new_page()
    for tab in (first, second):
        sign_in(tab, live_server, "snv.admin")
        tab.goto(f"{live_server.url}/parindex/assessments/{assessment.pk}/")
    adjust = first.get_by_test_id(f"forms-{code}").get_by_test_id("appraise-form")
    adjust.locator("input[name=score]").fill("0")
    adjust.locator("input[name=reason]").fill("Không có văn bản chứng minh")
    adjust.locator("button[value=adjust]").click()
    first.wait_for_load_state("load")
    # The second appraiser still has the page from before the first one saved.
    second.get_by_test_id(f"forms-{code}").get_by_test_id("appraise-form").locator(
        "button[value=accept]"
    ).click()
    second.wait_for_load_state("load")
    item.refresh_from_db()
    assert item.appraised_score == Decimal("0.00")
    assert item.appraisal_reason == "Không có văn bản chứng minh"
    assert second.locator(".alert-warning").count() >= 1
    assert errors == []
