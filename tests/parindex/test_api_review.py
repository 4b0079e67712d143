"""The PAR Index API as reviewed: lists read in a fixed number of queries whatever their length, bad
filter values are a 400 (never a 500), every write holds its row lock inside a transaction, an object
out of sight is 404 before any If-Match is looked at, each role writes only in its phase, the moves
leave their audit entries, and writes sent at once with one ETag let exactly one through."""

import datetime
import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cchc.accounts.models import Role
from cchc.core.models import AuditEntry
from cchc.parindex.models import Assessment, Campaign, Evidence, Item, Phase
from cchc.parindex.services import campaigns as campaign_services
from cchc.parindex.services import items as item_services
from cchc.units.models import UnitType
from tests.conftest import _person, _unit
from tests.parindex.conftest import YEAR, move_to

pytestmark = pytest.mark.django_db
BASE = "/api/v1/parindex"
FAR = datetime.date(2099, 12, 31)
DEADLINES = ("self_assessment_until", "appraisal_until", "explanation_until", "second_appraisal_until")


def open_campaign(cast, communes: int) -> Campaign:
    """This year's campaign over the cast's four units and `communes` more communes."""
    for number in range(communes):
        _unit(cast["province"], f"Xã Thêm {number}", UnitType.COMMUNE, f"9910{number:02d}", "Xã")
    return campaign_services.create_campaign(
        actor=cast["reform_admin"],
        organiser=cast["province"],
        year=YEAR,
        deadlines={field: FAR for field in (*DEADLINES, "finalisation_until")},
    )


def leaf_of(campaign, unit) -> Item:
    """The first leaf of `unit`'s scorecard that the unit scores by hand."""
    items = Item.objects.filter(
        assessment__campaign=campaign, assessment__unit=unit, criterion__method="manual"
    )
    return items.order_by("criterion__position").first()


def listed(api, url, params=None):
    response = api.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()


# -- a fixed number of queries per list (2 rows as 20) ----------------------------------------------------


@pytest.mark.parametrize("rows", [2, 20])
def test_the_items_list_reads_in_a_fixed_number_of_queries(
    api, cast, criteria_sets, rows, django_assert_max_num_queries
):
    campaign = open_campaign(cast, 0)
    card = Assessment.objects.get(campaign=campaign, unit=cast["justice"])
    keep = list(card.items.order_by("pk").values_list("pk", flat=True)[:rows])
    card.items.exclude(pk__in=keep).delete()
    for item in card.items.all():  # evidence on every item: its files are read in one query, not one each
        Evidence.objects.create(item=item, file="parindex/evidence/x.pdf", name="x.pdf", size=3)
    api.force_authenticate(cast["leader"])
    with django_assert_max_num_queries(8):
        body = listed(api, f"{BASE}/items/", {"assessment": card.pk})
    assert body["count"] == rows and all(len(row["evidence"]) == 1 for row in body["results"])


@pytest.mark.parametrize("communes", [0, 16])
def test_the_scorecards_and_results_read_in_a_fixed_number_of_queries(
    api, cast, criteria_sets, communes, django_assert_max_num_queries
):
    campaign = open_campaign(cast, communes)
    api.force_authenticate(cast["leader"])
    with django_assert_max_num_queries(4):
        assert listed(api, f"{BASE}/assessments/")["count"] == 4 + communes
    url = f"{BASE}/campaigns/{campaign.pk}/results/"
    with django_assert_max_num_queries(12):
        assert listed(api, url)["count"] == 4 + communes
    move_to(campaign, Phase.FINALISATION, cast["reform_admin"])
    with django_assert_max_num_queries(8):
        assert listed(api, url)["count"] == 4 + communes


@pytest.mark.parametrize("years", [2, 20])
def test_the_campaigns_list_reads_in_a_fixed_number_of_queries(
    api, cast, years, django_assert_max_num_queries
):
    for year in range(2000, 2000 + years):
        Campaign.objects.create(organiser=cast["province"], year=year, title=f"Chỉ số CCHC {year}")
    api.force_authenticate(cast["leader"])
    with django_assert_max_num_queries(4):
        assert listed(api, f"{BASE}/campaigns/")["count"] == years


# -- bad filter values ---------------------------------------------------------------------------------


def test_a_unit_given_in_other_digits_is_a_400_not_a_500(api, cast, campaign):
    api.force_authenticate(cast["leader"])
    url = f"{BASE}/campaigns/{campaign.pk}/results/"
    refused = api.get(url, {"unit": "²"})  # "²".isdigit() is True, int("²") raises
    assert refused.status_code == 400 and "unit" in refused.json()
    assert len(listed(api, url, {"unit": str(cast["justice"].pk)})["results"]) == 1


def test_an_id_beyond_the_database_in_the_items_filters_is_a_400_not_a_500(api, cast, campaign):
    api.force_authenticate(cast["leader"])
    for name in ("campaign", "unit"):
        refused = api.get(f"{BASE}/items/", {name: "9" * 30})
        assert refused.status_code == 400 and name in refused.json()
    assert listed(api, f"{BASE}/items/", {"unit": cast["justice"].pk, "campaign": campaign.pk})["count"]


def test_the_criterion_filters_name_exactly_one_item_of_a_scorecard(api, cast, campaign):
    card = Assessment.objects.get(campaign=campaign, unit=cast["justice"])
    item = card.items.select_related("criterion").order_by("criterion__position").last()
    api.force_authenticate(cast["leader"])
    by_code = listed(api, f"{BASE}/items/", {"assessment": card.pk, "criterion_code": item.criterion.code})
    by_id = listed(api, f"{BASE}/items/", {"assessment": card.pk, "criterion": item.criterion_id})
    assert [row["id"] for row in by_code["results"]] == [row["id"] for row in by_id["results"]] == [item.pk]


# -- locks, order of refusals, audit ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_every_write_takes_its_lock_inside_a_transaction(api, cast, criteria_sets, justice_leader):
    """Outside the test's own transaction: a write without `@ETagMixin.atomic` would be refused (500)."""
    campaign = open_campaign(cast, 0)
    api.force_authenticate(cast["reform_admin"])
    url = f"{BASE}/campaigns/{campaign.pk}/"
    assert api.post(f"{url}deadlines/", {}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert api.post(f"{url}advance/", {}, format="json", HTTP_IF_MATCH="*").status_code == 200
    card = Assessment.objects.get(campaign=campaign, unit=cast["justice"])
    item = card.items.filter(criterion__method="manual").first()
    write = f"{BASE}/items/{item.pk}/"
    body = {"self_input": "1"}
    assert api.post(f"{write}self-assessment/", body, format="json", HTTP_IF_MATCH="*").status_code == 200
    for action in ("appraisal", "explanation", "second-appraisal"):
        # Outside their phases: refused by the service (400), after the lock was taken.
        assert api.post(f"{write}{action}/", {}, format="json", HTTP_IF_MATCH="*").status_code == 400
    api.force_authenticate(justice_leader)
    assert api.post(f"{BASE}/assessments/{card.pk}/submit/", HTTP_IF_MATCH="*").status_code == 400


def test_an_object_out_of_sight_is_404_whatever_its_if_match(api, cast, self_assessing):
    card = Assessment.objects.get(campaign=self_assessing, unit=cast["justice"])
    item = card.items.first()
    writes = [
        f"{BASE}/campaigns/{self_assessing.pk}/advance/",
        f"{BASE}/campaigns/{self_assessing.pk}/deadlines/",
        f"{BASE}/assessments/{card.pk}/submit/",
        f"{BASE}/items/{item.pk}/self-assessment/",
        f"{BASE}/items/{item.pk}/appraisal/",
    ]
    api.force_authenticate(_person("khach", "Khách Không Vai Trò"))
    for url in writes:
        for header in ({}, {"HTTP_IF_MATCH": '"stale"'}, {"HTTP_IF_MATCH": "*"}):
            assert api.post(url, {}, format="json", **header).status_code == 404, (url, header)
    api.force_authenticate(cast["commune_officer"])  # sees the campaign, not the justice scorecard
    for url in writes[2:]:
        assert api.post(url, {}, format="json", HTTP_IF_MATCH='"stale"').status_code == 404, url


def test_advance_explanation_and_accepting_leave_their_audit_entries(api, cast, self_assessing):
    item = leaf_of(self_assessing, cast["justice"])
    item_services.self_assess(actor=cast["justice_focal"], item=item, reported="1")
    other = item.assessment.items.exclude(pk=item.pk).filter(criterion__method="manual").first()
    item_services.self_assess(actor=cast["justice_focal"], item=other, reported="0")
    api.force_authenticate(cast["reform_admin"])
    url = f"{BASE}/campaigns/{self_assessing.pk}/"
    assert api.post(f"{url}advance/", {}, format="json", HTTP_IF_MATCH="*").status_code == 200
    moves = AuditEntry.objects.for_object(self_assessing).filter(action="par_campaign.advance")
    entry = moves.order_by("-pk").first()  # the fixture's own move came first
    assert (entry.before["phase"], entry.after["phase"]) == (Phase.SELF_ASSESSMENT, Phase.APPRAISAL)
    assert entry.actor == cast["reform_admin"]
    body = {"accept": False, "appraised_score": "0", "appraisal_reason": "Thiếu văn bản"}
    assert (
        api.post(f"{BASE}/items/{item.pk}/appraisal/", body, format="json", HTTP_IF_MATCH="*").status_code
        == 200
    )
    accepted = api.post(f"{BASE}/assessments/{item.assessment_id}/accept-remaining/")
    assert accepted.status_code == 200 and accepted.json()["accepted"] >= 1
    entry = AuditEntry.objects.for_object(other).get(action="par_item.appraise")
    assert entry.before["appraised_score"] is None and entry.after["appraised_score"] == "0.00"
    move_to(Campaign.objects.get(pk=self_assessing.pk), Phase.EXPLANATION, cast["reform_admin"])
    api.force_authenticate(cast["justice_focal"])
    body = {"explanation": "Có văn bản số 12"}
    assert (
        api.post(f"{BASE}/items/{item.pk}/explanation/", body, format="json", HTTP_IF_MATCH="*").status_code
        == 200
    )
    entry = AuditEntry.objects.for_object(item).get(action="par_item.explain")
    assert entry.before["explanation"] == "" and entry.after["explanation"] == "Có văn bản số 12"


def test_each_role_writes_only_what_the_pages_let_it_in_each_phase(api, cast, self_assessing):
    appraiser = _person("thamdinh", "Vũ Thị Thẩm Định", (cast["province"], Role.APPRAISER))
    item = leaf_of(self_assessing, cast["justice"])
    url = f"{BASE}/items/{item.pk}/"

    def post(person, action, body):
        api.force_authenticate(person)
        return api.post(f"{url}{action}/", body, format="json", HTTP_IF_MATCH="*").status_code

    adjust = {"accept": False, "appraised_score": "0", "appraisal_reason": "Thiếu"}
    assert post(appraiser, "self-assessment", {"self_input": "1"}) == 403  # appraises, never enters
    assert post(appraiser, "appraisal", adjust) == 400  # not yet the appraisal phase
    assert post(cast["justice_focal"], "self-assessment", {"self_input": "1"}) == 200
    campaign = move_to(self_assessing, Phase.APPRAISAL, cast["reform_admin"])
    assert post(cast["justice_focal"], "self-assessment", {"self_input": "0"}) == 400  # phase closed
    assert post(appraiser, "appraisal", adjust) == 200
    move_to(campaign, Phase.EXPLANATION, cast["reform_admin"])
    assert post(cast["justice_focal"], "explanation", {"explanation": "Có văn bản"}) == 200
    move_to(Campaign.objects.get(pk=campaign.pk), Phase.SECOND_APPRAISAL, cast["reform_admin"])
    final = {"second_score": "1", "second_reason": "Chấp nhận"}
    assert post(cast["justice_focal"], "second-appraisal", final) == 403
    assert post(cast["leader"], "second-appraisal", final) == 403
    assert post(appraiser, "second-appraisal", final) == 200
    item.refresh_from_db()
    assert (item.self_input, item.appraised_by, item.second_score) == ("1", appraiser, 1)


# Threads each need their own connection to one database: PostgreSQL (CI, .ci/run) or a file; SQLite in
# memory shares one cache and answers "table is locked" (as tests/surveys/test_antispam_concurrency.py).
@pytest.mark.django_db(transaction=True)
def test_writes_sent_at_once_with_the_same_etag_one_wins_the_others_get_412(cast, criteria_sets):
    """Real concurrency (threads, each with its own connection): the lock and the If-Match check run in one
    transaction, so exactly one write passes and nothing is overwritten unseen."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("concurrent writers need PostgreSQL or a file database, not SQLite in memory")
    campaign = move_to(open_campaign(cast, 0), Phase.SELF_ASSESSMENT, cast["reform_admin"])
    item = leaf_of(campaign, cast["justice"])
    reader = APIClient()
    reader.force_authenticate(cast["justice_focal"])
    etag = reader.get(f"{BASE}/items/{item.pk}/").headers["ETag"]
    start = threading.Barrier(6)
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def write(value: str) -> None:
        try:
            client = APIClient()
            client.force_authenticate(cast["justice_focal"])
            start.wait()
            url = f"{BASE}/items/{item.pk}/self-assessment/"
            response = client.post(url, {"self_input": value}, format="json", HTTP_IF_MATCH=etag)
            answers.append((response.status_code, value))
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(value,)) for value in ("0", "1", "0", "1", "0", "1")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(code for code, _value in answers) == [200, 412, 412, 412, 412, 412]
    winner = next(value for code, value in answers if code == 200)
    item.refresh_from_db()
    assert (item.self_input, item.version) == (winner, 1)
    assert AuditEntry.objects.for_object(item).filter(action="par_item.self_assess").count() == 1
