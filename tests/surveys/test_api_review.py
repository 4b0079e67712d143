"""Review of the survey and feedback API: what a response must not show (a text a citizen wrote, a single
form to the surveyed unit's own staff), bad filters that must be 400 and not a server error, a fixed
number of queries per list, and a step the settings do not allow refused with a clear message."""

import datetime

import pytest
from django.utils import translation

from cchc.core.models import AuditEntry
from cchc.surveys.api.pagination import SurveysPagination
from cchc.surveys.models import Feedback, FeedbackDeadline, FeedbackStatus, SurveyQuestion
from cchc.surveys.services import sipas
from cchc.units.models import Unit
from tests.surveys.conftest import YEAR, satisfied_answers
from tests.surveys.test_api_feedback import etag, world  # noqa: F401 (world: a fixture)
from tests.surveys.test_api_sipas import CAMPAIGNS, RESPONSES, elsewhere, rows  # noqa: F401
from tests.surveys.test_feedback import receive

FEEDBACK = "/api/v1/feedback/"
TOO_BIG = "9" * 30
WRITTEN = "Tôi là Nguyễn Văn A, số 0912 345 678"


def enter(cast, campaign, unit, **answers):
    return sipas.enter_response(
        actor=None,
        campaign=campaign,
        unit=unit,
        answers=satisfied_answers(4, **answers),
        channel="paper",
        answered_on=datetime.date(YEAR, 3, 2),
    )


def test_a_text_written_to_a_question_without_options_is_not_shown(api, cast, sipas_campaign):
    # A perception question without options: the public form offers a text box for it.
    SurveyQuestion.objects.filter(campaign=sipas_campaign, code="TC1").update(options=[])
    enter(cast, sipas_campaign, cast["west_commune"], TC1=WRITTEN, TC2="Đồng ý")
    api.force_authenticate(cast["reform_admin"])
    (listed,) = rows(api.get(RESPONSES))
    assert listed["answers"]["TC2"] == "Đồng ý" and listed["answers"]["TC-HL"] == 4
    assert "TC1" not in listed["answers"] and "0912" not in str(listed)
    assert "0912" not in str(api.get(f"{RESPONSES}{listed['id']}/").json())


def test_single_forms_only_for_who_views_the_organiser(api, cast, sipas_campaign, elsewhere):  # noqa: F811
    own = enter(cast, sipas_campaign, cast["west_commune"])
    other = enter(cast, elsewhere, Unit.objects.get(code="98001"))
    # The commune's officer (who met the citizens) reads no single form of the commune, not even by id.
    api.force_authenticate(cast["commune_officer"])
    assert rows(api.get(RESPONSES)) == []
    assert api.get(f"{RESPONSES}{own.pk}/").status_code == 404
    assert rows(api.get(RESPONSES, {"unit": cast["west_commune"].pk, "answered_from": f"{YEAR}-03-02"})) == []
    # ... but types in a form and reads back what was typed, with its receipt code, as on the page.
    body = {
        "campaign": sipas_campaign.pk,
        "unit": cast["west_commune"].pk,
        "channel": "paper",
        "answered_on": f"{YEAR}-03-05",
        "answers": satisfied_answers(3),
    }
    created = api.post(RESPONSES, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["answers"]["TC-HL"] == 3 and created.json()["receipt_code"]
    # Who views the province reads every form of its campaign, and none of another province's.
    for role in ("reform_admin", "leader"):
        api.force_authenticate(cast[role])
        assert {row["id"] for row in rows(api.get(RESPONSES))} == {own.pk, created.json()["id"]}, role
        assert api.get(f"{RESPONSES}{other.pk}/").status_code == 404, role


def test_bad_filters_are_400_not_a_server_error(api, cast, sipas_campaign):
    api.force_authenticate(cast["reform_admin"])
    for params in ({"unit": TOO_BIG}, {"unit": "abc"}, {"unit": "1.5"}):
        response = api.get(CAMPAIGNS, params)
        assert response.status_code == 400 and "unit" in response.json(), params
    assert len(rows(api.get(CAMPAIGNS, {"unit": cast["west_commune"].pk}))) == 1
    for url, params in [
        (RESPONSES, {"campaign": TOO_BIG}),
        (RESPONSES, {"answered_from": "2026-02-30"}),
        (FEEDBACK, {"unit": TOO_BIG}),
        (FEEDBACK, {"received_to": "hôm qua"}),
        (FEEDBACK, {"status": "lost"}),
    ]:
        assert api.get(url, params).status_code == 400, (url, params)
    assert api.get(FEEDBACK, {"page": "abc"}).status_code == 404
    assert api.get(f"{FEEDBACK}{TOO_BIG}/").status_code == 404
    assert api.get(f"{RESPONSES}{TOO_BIG}/").status_code == 404


@pytest.mark.parametrize("extra", [0, 18])
def test_lists_read_a_fixed_number_of_queries(
    api, cast, sipas_campaign, django_assert_max_num_queries, extra
):
    for number in range(2 + extra):
        receive(cast, unit="west_commune" if number % 2 else "justice")
        enter(cast, sipas_campaign, cast["west_commune"], MD="Giảm giấy tờ phải nộp")
    api.force_authenticate(cast["reform_admin"])
    for url in (FEEDBACK, RESPONSES, CAMPAIGNS):
        api.get(url)  # the user's roles are read once and kept
        with django_assert_max_num_queries(6):
            assert api.get(url, {"page_size": 100}).status_code == 200


def test_a_missing_deadline_rule_is_refused_clearly_and_nothing_is_written(api, cast, world):  # noqa: F811
    FeedbackDeadline.objects.filter(step="publish").delete()
    api.force_authenticate(cast["commune_officer"])
    trail = AuditEntry.objects.for_object(world.west).count()
    response = api.post(
        f"{FEEDBACK}{world.west.pk}/answer/",
        {"text": "Đã cấp giấy khai sinh."},
        format="json",
        HTTP_IF_MATCH=etag(api, world.west),
    )
    assert response.status_code == 409
    with translation.override("vi"):
        label = translation.gettext("Publish the answer")
        expected = translation.gettext(
            "No deadline is set for the step “%(step)s”; an administrator must enter it."
        ) % {"step": label}
    assert response.json()["detail"] == expected and "quản trị" in expected
    fresh = Feedback.objects.get(pk=world.west.pk)
    assert (fresh.status, fresh.answer) == (FeedbackStatus.ROUTED, "")
    assert AuditEntry.objects.for_object(world.west).count() == trail


def test_page_size_is_capped(api, cast, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(SurveysPagination, "max_page_size", 2)
    api.force_authenticate(cast["reform_admin"])
    page = api.get(FEEDBACK, {"page_size": 1000}).json()
    assert page["count"] == 4 and len(page["results"]) == 2
    assert SurveysPagination.page_size_query_param == "page_size"
