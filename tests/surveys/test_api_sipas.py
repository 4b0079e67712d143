"""The SIPAS API: campaigns and their filters, results per unit as the campaign page shows them, responses
kept anonymous and within reach, and paper forms typed in with the entry page's rights."""

import datetime

import pytest
from django.utils import translation

from cchc.core.models import AuditEntry
from cchc.surveys.models import CampaignStatus, SurveyResponse
from cchc.surveys.queries import sipas as queries
from cchc.surveys.services import sipas
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.conftest import START
from tests.surveys.conftest import YEAR, satisfied_answers

CAMPAIGNS, RESPONSES = "/api/v1/sipas-campaigns/", "/api/v1/sipas-responses/"
SURVEYED = {"99.SNV", "99.STP", "99001", "99002"}


@pytest.fixture
def elsewhere(db):
    """A campaign of another province, surveying one commune there: out of reach of the whole cast."""
    province = unit_services.create_unit(
        actor=None, name="Tỉnh Khác", type=UnitType.PROVINCE, code="98", kind="Tỉnh", valid_from=START
    )
    unit_services.create_unit(
        actor=None,
        name="Xã Bắc",
        type=UnitType.COMMUNE,
        code="98001",
        parent=province,
        kind="Xã",
        valid_from=START,
    )
    campaign = sipas.new_campaign(actor=None, organiser=province, template="sipas", year=YEAR, code="KHAC")
    return sipas.set_status(actor=None, campaign=campaign, status=CampaignStatus.OPEN)


def enter(cast, campaign, unit, level, **extra):
    return sipas.enter_response(
        actor=cast["reform_admin"],
        campaign=campaign,
        unit=cast[unit],
        answers=satisfied_answers(level, **extra),
        channel="paper",
        answered_on=datetime.date(YEAR, 3, 2),
    )


@pytest.fixture
def answered(cast, sipas_campaign, every_group_shown):
    """Two forms of Xã Tây (one with an open answer and a chosen option), one of Phường Đông; every
    group shown however few its forms."""
    enter(cast, sipas_campaign, "west_commune", 5, YK="Gọi tôi: 0912 345 678", MD="Giảm giấy tờ phải nộp")
    enter(cast, sipas_campaign, "west_commune", 2)
    enter(cast, sipas_campaign, "east_ward", 4)
    return sipas_campaign


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# -- campaigns and results ------------------------------------------------------------------------


def test_campaigns_in_reach_and_their_filters(api, cast, sipas_campaign, elsewhere):
    for role in ("reform_admin", "leader", "commune_officer", "justice_focal"):
        api.force_authenticate(cast[role])
        assert [row["code"] for row in rows(api.get(CAMPAIGNS))] == ["SIPAS-2026"], role
        assert api.get(f"{CAMPAIGNS}{elsewhere.pk}/").status_code == 404
        assert api.get(f"{CAMPAIGNS}{elsewhere.pk}/results/").status_code == 404
    api.force_authenticate(cast["commune_officer"])
    body = api.get(f"{CAMPAIGNS}{sipas_campaign.pk}/").json()
    questions = {question["code"]: question for question in body["questions"]}
    assert questions["TC-HL"]["kind"] == "satisfaction" and questions["TC-HL"]["element"] == "TC"
    assert "link_token" not in str(body) and "quotas" not in body
    assert len(rows(api.get(CAMPAIGNS, {"year": YEAR}))) == 1
    assert rows(api.get(CAMPAIGNS, {"year": YEAR - 1})) == []
    assert len(rows(api.get(CAMPAIGNS, {"status": "open"}))) == 1
    assert rows(api.get(CAMPAIGNS, {"status": "closed"})) == []
    assert len(rows(api.get(CAMPAIGNS, {"unit": cast["west_commune"].pk}))) == 1
    assert len(rows(api.get(CAMPAIGNS, {"unit": cast["province"].pk}))) == 1  # the organiser
    assert rows(api.get(CAMPAIGNS, {"unit": cast["justice_division"].pk})) == []  # not surveyed


def test_results_per_unit_as_the_campaign_page(api, cast, answered):
    api.force_authenticate(cast["reform_admin"])
    body = api.get(f"{CAMPAIGNS}{answered.pk}/results/").json()
    assert body["period"] == str(YEAR)
    expected = queries.result_rows(answered)
    by_unit = {row["unit_name"]: row for row in body["rows"]}
    assert len(by_unit) == 4  # every surveyed unit, with or without answers
    west = next(result for result in expected.rows if result.unit.code == "99002")
    got = by_unit["Xã Tây"]
    assert got["n"] == 2 == west.row.n
    assert got["overall"] == str(west.row.overall) == "50.00"
    assert (got["ci_low"], got["ci_high"]) == (str(west.row.ci_low), str(west.row.ci_high))
    assert float(got["ci_low"]) < 50 < float(got["ci_high"])
    assert got["below_quota"] is True and got["quota"] == west.row.quota
    assert got["elements"]["TC"] == "50.00"
    assert by_unit["Sở Tư pháp"]["n"] == 0 and by_unit["Sở Tư pháp"]["overall"] is None
    assert body["total"]["n"] == 3 and body["total"]["overall"] == str(expected.total.overall)
    # A commune's officer sees the figures of the commune only, and its own total.
    api.force_authenticate(cast["commune_officer"])
    body = api.get(f"{CAMPAIGNS}{answered.pk}/results/").json()
    assert [row["unit_name"] for row in body["rows"]] == ["Xã Tây"]
    assert body["total"]["n"] == 2
    # A quarter of the campaign's year, and a wrong period.
    assert api.get(f"{CAMPAIGNS}{answered.pk}/results/", {"period": f"{YEAR}-Q2"}).json()["total"] is None
    response = api.get(f"{CAMPAIGNS}{answered.pk}/results/", {"period": f"{YEAR - 1}-Q1"})
    assert response.status_code == 400 and "period" in response.json()


# -- responses ------------------------------------------------------------------------------------


def test_responses_stay_anonymous_and_within_reach(api, cast, answered, elsewhere):
    api.force_authenticate(cast["reform_admin"])
    west = SurveyResponse.objects.filter(unit=cast["west_commune"])
    listed = rows(api.get(RESPONSES, {"unit": cast["west_commune"].pk}))
    assert {row["id"] for row in listed} == set(west.values_list("pk", flat=True))
    text = str(listed)
    for secret in [
        "receipt_code",
        "invitation",
        "created_at",
        "0912",
        "YK",
        *west.values_list("receipt_code", flat=True),
    ]:
        assert secret not in text, secret
    answers = next(row["answers"] for row in listed if row["answers"].get("MD"))
    assert answers["TC-HL"] == 5 and answers["MD"] == "Giảm giấy tờ phải nộp"
    assert len(rows(api.get(RESPONSES))) == 3
    assert len(rows(api.get(RESPONSES, {"unit": cast["east_ward"].pk}))) == 1
    assert len(rows(api.get(RESPONSES, {"campaign": answered.pk, "channel": "paper"}))) == 3
    assert rows(api.get(RESPONSES, {"channel": "web"})) == []
    assert rows(api.get(RESPONSES, {"answered_from": f"{YEAR}-03-03"})) == []
    assert len(rows(api.get(RESPONSES, {"answered_to": f"{YEAR}-03-02"}))) == 3
    page = api.get(RESPONSES, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]


def form(campaign, unit, **extra):
    return {
        "campaign": campaign.pk,
        "unit": unit.pk,
        "channel": "paper",
        "answered_on": f"{YEAR}-03-05",
        "response_code": "P-0001",
        "field": "Hộ tịch",
        "answers": satisfied_answers(4),
        **extra,
    }


def test_staff_type_in_a_paper_form_for_their_unit(api, cast, sipas_campaign):
    api.force_authenticate(cast["commune_officer"])
    response = api.post(RESPONSES, form(sipas_campaign, cast["west_commune"]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    saved = SurveyResponse.objects.get(pk=body["id"])
    assert body["receipt_code"] == saved.receipt_code  # shown once to whoever typed it, as on the page
    assert (saved.unit, saved.channel, saved.entered_by) == (
        cast["west_commune"],
        "paper",
        cast["commune_officer"],
    )
    assert saved.answers.count() == 5 and body["answers"]["TC-HL"] == 4
    entry = AuditEntry.objects.for_object(saved).get()
    assert (entry.action, entry.actor, entry.after) == (
        "sipas.response",
        cast["commune_officer"],
        {"channel": "paper"},
    )
    # The same form number twice: refused, nothing saved.
    again = api.post(RESPONSES, form(sipas_campaign, cast["west_commune"]), format="json")
    assert again.status_code == 400 and "response_code" in again.json()
    assert SurveyResponse.objects.count() == 1


def test_the_entry_rights_of_the_page(api, cast, sipas_campaign, elsewhere):
    def post(user, **data):
        api.force_authenticate(cast[user])
        return api.post(RESPONSES, {**form(sipas_campaign, cast["west_commune"]), **data}, format="json")

    # Another surveyed unit than one's own; a viewer; a campaign out of reach.
    response = post("commune_officer", unit=cast["east_ward"].pk)
    assert response.status_code == 400
    with translation.override("vi"):
        assert response.json()["unit"] == [
            translation.gettext("Choose one of the surveyed units you enter answers for.")
        ]
    assert post("leader").status_code == 403
    assert post("commune_officer", campaign=elsewhere.pk).status_code == 400
    # Bad answers, a web channel, a closed campaign: the service's and the serializer's refusals.
    assert post("commune_officer", answers={"TC-HL": "7"}).status_code == 400
    assert post("commune_officer", channel="web").status_code == 400
    sipas.set_status(actor=cast["reform_admin"], campaign=sipas_campaign, status=CampaignStatus.CLOSED)
    closed = post("commune_officer")
    assert closed.status_code == 400
    with translation.override("vi"):
        assert closed.json()["detail"] == [translation.gettext("This survey is not collecting answers.")]
    assert not SurveyResponse.objects.exists()
    assert not AuditEntry.objects.filter(action="sipas.response").exists()
    # The reform office enters for any surveyed unit.
    assert post("reform_admin", unit=cast["east_ward"].pk).status_code == 400  # closed
    sipas.set_status(actor=cast["reform_admin"], campaign=sipas_campaign, status=CampaignStatus.OPEN)
    assert post("reform_admin", unit=cast["east_ward"].pk).status_code == 201
