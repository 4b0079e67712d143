"""The PAR Index API, writing items and scorecards: each change through the service with the pages'
rights, If-Match required (428 without, 412 when stale), an older `version` refused with 409, a
refusal in Vietnamese, and an audit entry with the values before and after."""

import pytest
from django.utils import translation

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.parindex.models import Item, Phase
from cchc.parindex.services import items as item_services
from tests.conftest import _person
from tests.parindex.conftest import move_to

pytestmark = pytest.mark.django_db
BASE = "/api/v1/parindex"


@pytest.fixture
def appraiser(cast):
    """An appraiser of the whole province (Hội đồng thẩm định), who may not enter scores."""
    return _person("thamdinh", "Vũ Thị Thẩm Định", (cast["province"], Role.APPRAISER))


def leaf(campaign, unit, method="manual"):
    return (
        Item.objects.filter(assessment__campaign=campaign, assessment__unit=unit, criterion__method=method)
        .select_related("criterion")
        .order_by("criterion__position")
        .first()
    )


def read(api, item):
    response = api.get(f"{BASE}/items/{item.pk}/")
    assert response.status_code == 200
    return response.json(), response.headers["ETag"]


def post(api, item, what, body, etag=None):
    extra = {"HTTP_IF_MATCH": etag} if etag is not None else {}
    return api.post(f"{BASE}/items/{item.pk}/{what}/", body, format="json", **extra)


def test_the_focal_point_self_assesses_with_the_etag_and_it_is_audited(api, cast, self_assessing):
    item = leaf(self_assessing, cast["justice"])
    api.force_authenticate(cast["justice_focal"])
    shown, etag = read(api, item)
    body = {"self_input": "1", "unit_note": "Theo báo cáo số 15", "version": shown["version"]}
    saved = post(api, item, "self-assessment", body, etag)
    assert saved.status_code == 200, saved.content
    assert saved.json()["self_score"] == "1.00" and saved.json()["version"] == shown["version"] + 1
    assert saved.headers["ETag"] != etag
    assert read(api, item)[1] == saved.headers["ETag"]
    entry = AuditEntry.objects.for_object(item).get(action="par_item.self_assess")
    assert entry.actor == cast["justice_focal"]
    assert entry.before["self_input"] == "" and entry.after["self_input"] == "1"
    assert entry.after["unit_note"] == "Theo báo cáo số 15"


def test_without_if_match_428_and_with_a_stale_one_412_and_nothing_changes(api, cast, self_assessing):
    item = leaf(self_assessing, cast["justice"])
    api.force_authenticate(cast["justice_focal"])
    assert post(api, item, "self-assessment", {"self_input": "1"}).status_code == 428
    stale = post(api, item, "self-assessment", {"self_input": "1"}, '"0123456789abcdef"')
    assert stale.status_code == 412 and stale.json()["detail"]
    item.refresh_from_db()
    assert (item.self_input, item.version) == ("", 0)
    assert not AuditEntry.objects.for_object(item).exists()


def test_two_writes_with_the_same_etag_the_second_is_412_and_the_first_stays(api, cast, self_assessing):
    item = leaf(self_assessing, cast["justice"])
    api.force_authenticate(cast["justice_focal"])
    _shown, etag = read(api, item)
    assert post(api, item, "self-assessment", {"self_input": "1"}, etag).status_code == 200
    second = post(api, item, "self-assessment", {"self_input": "0"}, etag)
    assert second.status_code == 412
    item.refresh_from_db()
    assert item.self_input == "1" and item.version == 1


def test_a_body_naming_an_older_version_is_409(api, cast, self_assessing):
    item = leaf(self_assessing, cast["justice"])
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    api.force_authenticate(cast["justice_focal"])
    conflict = post(api, item, "self-assessment", {"self_input": "0", "version": 0}, "*")
    assert conflict.status_code == 409 and item.criterion.code in conflict.json()["detail"]
    item.refresh_from_db()
    assert item.self_input == "1" and item.version == 1


def test_another_units_item_is_404_and_a_viewer_is_refused_403(api, cast, self_assessing):
    item = leaf(self_assessing, cast["justice"])
    api.force_authenticate(cast["commune_officer"])
    assert post(api, item, "self-assessment", {"self_input": "1"}).status_code == 404
    assert post(api, item, "self-assessment", {"self_input": "1"}, "*").status_code == 404
    api.force_authenticate(cast["leader"])
    _shown, etag = read(api, item)
    assert post(api, item, "self-assessment", {"self_input": "1"}, etag).status_code == 403
    item.refresh_from_db()
    assert item.version == 0


def test_bad_input_is_a_400_in_vietnamese(api, cast, self_assessing):
    item = leaf(self_assessing, cast["justice"])
    api.force_authenticate(cast["justice_focal"])
    refused = post(api, item, "self-assessment", {"self_input": "nhiều lắm"}, "*")
    assert refused.status_code == 400
    assert post(api, item, "self-assessment", {"not_applicable": "maybe"}, "*").status_code == 400
    move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])
    api.force_authenticate(cast["reform_admin"])
    no_reason = post(api, item, "appraisal", {"accept": False, "appraised_score": "0"}, "*")
    assert no_reason.status_code == 400
    with translation.override("vi"):
        expected = translation.gettext("Give the reason for adjusting the score.")
    assert expected != "Give the reason for adjusting the score."
    assert no_reason.json()["reason"] == [expected]


def test_the_appraiser_appraises_and_the_focal_point_may_not(api, cast, self_assessing, appraiser):
    item = leaf(self_assessing, cast["justice"])
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    campaign = move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])
    api.force_authenticate(cast["justice_focal"])
    _shown, etag = read(api, item)
    assert post(api, item, "appraisal", {"accept": True}, etag).status_code == 403
    api.force_authenticate(appraiser)
    _shown, etag = read(api, item)
    body = {"accept": False, "appraised_score": "0", "appraisal_reason": "Thiếu văn bản", "version": 1}
    saved = post(api, item, "appraisal", body, etag)
    assert saved.status_code == 200, saved.content
    assert saved.json()["appraised_score"] == "0.00" and saved.json()["appraised_by"] == appraiser.pk
    entry = AuditEntry.objects.for_object(item).get(action="par_item.appraise")
    assert entry.before["appraised_score"] is None and entry.after["appraised_score"] == "0.00"
    assert entry.reason == "Thiếu văn bản"
    card = item.assessment
    # What is left with a score (measured leaves) is accepted; the adjusted item keeps its appraisal.
    pending = card.items.filter(appraised_at__isnull=True, self_score__isnull=False)
    expected = pending.exclude(criterion__method="survey").count()
    accepted = api.post(f"{BASE}/assessments/{card.pk}/accept-remaining/")
    assert accepted.status_code == 200 and accepted.json()["accepted"] == expected
    assert not pending.exclude(criterion__method="survey").exists()
    item.refresh_from_db()
    assert item.appraised_score == 0 and item.appraisal_reason == "Thiếu văn bản"
    api.force_authenticate(cast["commune_officer"])
    assert api.post(f"{BASE}/assessments/{card.pk}/accept-remaining/").status_code == 404
    assert campaign.phase == Phase.APPRAISAL


def test_explanation_then_second_appraisal(api, cast, self_assessing, appraiser):
    item = leaf(self_assessing, cast["justice"])
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    campaign = move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])
    item_services.appraise_item(actor=appraiser, item=item, accept=False, score="0", reason="Thiếu")
    campaign = move_to(campaign, Phase.EXPLANATION, cast["reform_admin"])
    api.force_authenticate(appraiser)
    _shown, etag = read(api, item)
    assert post(api, item, "explanation", {"explanation": "Có văn bản"}, etag).status_code == 403
    api.force_authenticate(cast["justice_focal"])
    _shown, etag = read(api, item)
    assert post(api, item, "explanation", {"explanation": " "}, etag).status_code == 400
    explained = post(api, item, "explanation", {"explanation": "Có văn bản số 12"}, etag)
    assert explained.status_code == 200 and explained.json()["explained_at"]
    once = post(api, item, "explanation", {"explanation": "Lần hai"}, explained.headers["ETag"])
    assert once.status_code == 400
    move_to(campaign, Phase.SECOND_APPRAISAL, cast["reform_admin"])
    api.force_authenticate(appraiser)
    shown, etag = read(api, item)
    body = {"second_score": "1", "second_reason": "Chấp nhận giải trình", "version": shown["version"]}
    final = post(api, item, "second-appraisal", body, etag)
    assert final.status_code == 200 and final.json()["final_score"] == "1.00"
    entry = AuditEntry.objects.for_object(item).get(action="par_item.second_appraise")
    assert entry.before["second_score"] is None and entry.after["second_score"] == "1.00"


def test_the_leader_submits_the_scorecard_once_it_is_complete(api, cast, self_assessing, justice_leader):
    card = self_assessing.assessments.get(unit=cast["justice"])
    url = f"{BASE}/assessments/{card.pk}/"
    api.force_authenticate(justice_leader)
    etag = api.get(url).headers["ETag"]
    assert api.post(f"{url}submit/").status_code == 428
    incomplete = api.post(f"{url}submit/", HTTP_IF_MATCH=etag)
    assert incomplete.status_code == 400 and "1" in str(incomplete.json())
    for item in card.items.select_related("criterion").exclude(criterion__method__in=["metric", "survey"]):
        item_services.self_assess(
            actor=cast["justice_focal"], item=item, not_applicable=True, note="Không phát sinh"
        )
    api.force_authenticate(cast["justice_focal"])
    assert api.post(f"{url}submit/", HTTP_IF_MATCH=etag).status_code == 403
    api.force_authenticate(justice_leader)
    submitted = api.post(f"{url}submit/", HTTP_IF_MATCH=etag)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert api.post(f"{url}submit/", HTTP_IF_MATCH=etag).status_code == 412
    assert AuditEntry.objects.for_object(card).filter(action="par_assessment.submit").count() == 1
