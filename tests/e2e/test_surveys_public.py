"""The citizens' pages on a phone (390 px wide): a unit's survey by tapping, and a feedback looked up by its
receipt code, with no sideways scrolling on any page."""

import json

import pytest
from django.urls import reverse

from cchc.surveys.models import (
    CampaignStatus,
    Feedback,
    FeedbackDeadline,
    SurveyCampaign,
    SurveyResponse,
    UnitQuota,
)
from cchc.surveys.services import sipas
from cchc.surveys.services.sipas import DATA

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def feedback_deadlines(db):
    """The shipped deadlines: a transactional test may run after another one emptied the tables."""
    data = json.loads((DATA / "feedback_deadlines.json").read_text(encoding="utf-8"))
    for step, days in data["working_days"].items():
        FeedbackDeadline.objects.get_or_create(
            step=step, valid_from=data["valid_from"], defaults={"working_days": days}
        )


@pytest.fixture
def campaign(cast):
    """An open SIPAS campaign of the test province, without a calendar period so the test does not age."""
    admin = cast["reform_admin"]
    campaign = sipas.new_campaign(
        actor=admin, organiser=cast["province"], template="sipas", year=2026, code="SIPAS-E2E"
    )
    sipas.set_status(actor=admin, campaign=campaign, status=CampaignStatus.OPEN)
    SurveyCampaign.objects.filter(pk=campaign.pk).update(starts_on=None, ends_on=None)
    return campaign


def _fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _label_stands_above(page, input_id):
    """On a phone a field's label sits above its input, as wide as the column, bold and at full size."""
    label, field = page.locator(f"label[for='{input_id}']"), page.locator(f"#{input_id}")
    label_box, field_box = label.bounding_box(), field.bounding_box()
    assert label_box["y"] + label_box["height"] <= field_box["y"] + 1
    assert field_box["width"] > PHONE_WIDTH * 0.8
    weight = label.evaluate("node => getComputedStyle(node).fontWeight")
    size = label.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert int(weight) >= 600 and size == body


def test_a_citizen_answers_a_units_survey_by_tapping(phone, live_server, cast, campaign, public_forms):
    token = UnitQuota.objects.get(campaign=campaign, unit=cast["west_commune"]).link_token
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{live_server.url}{reverse('public:survey', args=[token])}")
    assert cast["west_commune"].name in phone.get_by_test_id("unit-name").inner_text()
    assert _fits_the_screen(phone)
    required = list(campaign.questions.filter(required=True).values_list("code", flat=True))
    assert required
    for code in required:
        phone.locator(f"label[for='id_q-{code}_4']").tap()  # 5, very satisfied
        assert phone.locator(f"#id_q-{code}_4").is_checked()
    phone.locator("label[for='id_q-TC1_0']").tap()
    phone.get_by_test_id("submit").tap()

    receipt = phone.get_by_test_id("receipt-code")
    receipt.wait_for()
    stored = SurveyResponse.objects.get()
    assert receipt.inner_text().strip() == stored.receipt_code
    assert stored.unit == cast["west_commune"]
    assert stored.answers.filter(question__code__in=required, score=5).count() == len(required)
    assert _fits_the_screen(phone)
    assert errors == []


def test_a_citizen_sends_feedback_and_follows_it_by_its_receipt_code(
    phone, live_server, cast, public_forms, feedback_deadlines
):
    phone.goto(f"{live_server.url}{reverse('public:feedback')}")
    assert _fits_the_screen(phone)
    _label_stands_above(phone, "id_title")
    _label_stands_above(phone, "id_contact")
    phone.locator("label[for='id_kind_0']").tap()
    phone.fill("#id_title", "Hồ sơ chậm trả kết quả")
    phone.fill("#id_content", "Hồ sơ nộp ngày 02/11 đến nay chưa có kết quả.")
    phone.fill("#id_contact", "0912 345 678")
    phone.locator("#id_consent_to_publish").tap()
    phone.get_by_test_id("submit").tap()

    receipt = phone.get_by_test_id("receipt-code")
    receipt.wait_for()
    code = receipt.inner_text().strip()
    feedback = Feedback.objects.get()
    assert code == feedback.receipt_code and feedback.organiser == cast["province"]
    assert feedback.consent_to_publish and feedback.channel == "web"
    assert _fits_the_screen(phone)

    phone.goto(f"{live_server.url}{reverse('public:feedback-status')}")
    phone.fill("#id_ma", code.lower())
    phone.get_by_test_id("lookup-form").locator("button[type=submit]").tap()
    found = phone.get_by_test_id("feedback")
    found.wait_for()
    assert found.get_attribute("data-status") == "received"
    assert phone.get_by_test_id("receipt-code").inner_text().strip() == code
    assert _fits_the_screen(phone)
