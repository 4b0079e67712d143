"""The PAR Index API, reading: criteria sets, campaigns (open, deadlines, phases), scorecards, items and
results, each seen only within the caller's scope, filtered and paginated; and the schema's examples."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from cchc.core.models import AuditEntry
from cchc.parindex.models import Assessment, Campaign, Item, Phase
from tests.conftest import _person
from tests.parindex.conftest import YEAR, move_to

pytestmark = pytest.mark.django_db
BASE = "/api/v1/parindex"


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_criteria_sets_are_read_by_every_official_with_their_tree(api, cast, criteria_sets):
    api.force_authenticate(cast["commune_officer"])
    listed = rows(api.get(f"{BASE}/criteria-sets/"))
    assert {row["unit_type"] for row in listed} == {"agency", "commune"}
    assert all(row["maximum"] == "100.00" and row["leaves"] > 0 for row in listed)
    communes = rows(api.get(f"{BASE}/criteria-sets/", {"unit_type": "commune"}))
    assert [row["id"] for row in communes] == [criteria_sets["commune"].pk]
    detail = api.get(f"{BASE}/criteria-sets/{criteria_sets['commune'].pk}/").json()
    leaves = [node for node in detail["criteria"] if node["is_leaf"]]
    assert len(leaves) == detail["leaves"] == criteria_sets["commune"].criteria.exclude(method="").count()
    assert [node["position"] for node in detail["criteria"]] == sorted(
        n["position"] for n in detail["criteria"]
    )
    nobody = _person("khach", "Khách Không Vai Trò")
    api.force_authenticate(nobody)
    assert rows(api.get(f"{BASE}/criteria-sets/")) == []
    assert api.get(f"{BASE}/criteria-sets/{criteria_sets['commune'].pk}/").status_code == 404


def test_campaigns_are_seen_by_the_organiser_and_the_scored_units_and_filtered(api, cast, campaign):
    for person in ("reform_admin", "leader", "commune_officer", "justice_focal"):
        api.force_authenticate(cast[person])
        assert [row["id"] for row in rows(api.get(f"{BASE}/campaigns/"))] == [campaign.pk]
    api.force_authenticate(cast["leader"])
    assert rows(api.get(f"{BASE}/campaigns/", {"year": YEAR - 1})) == []
    assert len(rows(api.get(f"{BASE}/campaigns/", {"year": YEAR, "phase": "preparation"}))) == 1
    assert rows(api.get(f"{BASE}/campaigns/", {"phase": "published"})) == []
    assert api.get(f"{BASE}/campaigns/", {"phase": "nonsense"}).status_code == 400
    api.force_authenticate(_person("khach", "Khách Không Vai Trò"))
    assert api.get(f"{BASE}/campaigns/{campaign.pk}/").status_code == 404


def test_only_the_reform_office_opens_a_campaign_and_it_is_audited(api, cast, criteria_sets):
    body = {"organiser": cast["province"].pk, "year": YEAR, "title": "Chỉ số CCHC thử"}
    api.force_authenticate(cast["justice_focal"])
    assert api.post(f"{BASE}/campaigns/", body, format="json").status_code == 403
    api.force_authenticate(cast["reform_admin"])
    wrong = api.post(f"{BASE}/campaigns/", body | {"organiser": cast["justice"].pk}, format="json")
    assert wrong.status_code == 400 and "organiser" in wrong.json()
    opened = api.post(f"{BASE}/campaigns/", body, format="json")
    assert opened.status_code == 201, opened.content
    assert opened.headers["ETag"]
    campaign = Campaign.objects.get(pk=opened.json()["id"])
    assert campaign.assessments.count() == 4
    entry = AuditEntry.objects.for_object(campaign).get(action="par_campaign.create")
    assert entry.actor == cast["reform_admin"] and entry.after["units"] == 4
    again = api.post(f"{BASE}/campaigns/", body, format="json")
    assert again.status_code == 400 and "year" in again.json()


def test_advancing_a_campaign_needs_its_current_etag(api, cast, campaign):
    url = f"{BASE}/campaigns/{campaign.pk}/"
    api.force_authenticate(cast["reform_admin"])
    etag = api.get(url).headers["ETag"]
    assert api.post(f"{url}advance/", {}, format="json").status_code == 428
    assert api.post(f"{url}advance/", {}, format="json", HTTP_IF_MATCH='"stale"').status_code == 412
    moved = api.post(f"{url}advance/", {}, format="json", HTTP_IF_MATCH=etag)
    assert moved.status_code == 200 and moved.json()["phase"] == Phase.SELF_ASSESSMENT
    # A second officer who read the campaign before the move cannot move it again unseen.
    twice = api.post(f"{url}advance/", {}, format="json", HTTP_IF_MATCH=etag)
    assert twice.status_code == 412
    campaign.refresh_from_db()
    assert campaign.phase == Phase.SELF_ASSESSMENT
    api.force_authenticate(cast["leader"])
    etag = api.get(url).headers["ETag"]
    assert api.post(f"{url}advance/", {}, format="json", HTTP_IF_MATCH=etag).status_code == 403


def test_deadlines_change_with_the_etag_and_leave_an_audit_entry(api, cast, campaign):
    url = f"{BASE}/campaigns/{campaign.pk}/"
    api.force_authenticate(cast["reform_admin"])
    etag = api.get(url).headers["ETag"]
    body = {"finalisation_until": "2100-01-31"}
    changed = api.post(f"{url}deadlines/", body, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["finalisation_until"] == "2100-01-31"
    assert changed.headers["ETag"] != etag
    entry = AuditEntry.objects.for_object(campaign).get(action="par_campaign.deadlines")
    assert entry.before["finalisation_until"] != entry.after["finalisation_until"]
    backwards = {"self_assessment_until": "2101-01-01"}
    refused = api.post(f"{url}deadlines/", backwards, format="json", HTTP_IF_MATCH=changed.headers["ETag"])
    assert refused.status_code == 400


def test_scorecards_are_seen_within_scope_and_filtered(api, cast, campaign):
    api.force_authenticate(cast["commune_officer"])
    mine = rows(api.get(f"{BASE}/assessments/"))
    assert [row["unit"] for row in mine] == [cast["west_commune"].pk]
    justice_card = Assessment.objects.get(campaign=campaign, unit=cast["justice"])
    assert api.get(f"{BASE}/assessments/{justice_card.pk}/").status_code == 404
    api.force_authenticate(cast["leader"])
    assert len(rows(api.get(f"{BASE}/assessments/"))) == 4
    communes = rows(api.get(f"{BASE}/assessments/", {"campaign": campaign.pk, "unit": cast["east_ward"].pk}))
    assert [row["unit_name"] for row in communes] == ["Phường Đông"]
    assert rows(api.get(f"{BASE}/assessments/", {"status": "submitted"})) == []
    assert len(rows(api.get(f"{BASE}/assessments/", {"status": "draft", "year": YEAR}))) == 4


def test_items_are_scoped_filtered_and_paginated(api, cast, campaign):
    api.force_authenticate(cast["leader"])
    everything = api.get(f"{BASE}/items/").json()
    total = Item.objects.filter(assessment__campaign=campaign).count()
    assert everything["count"] == total > 50
    assert len(everything["results"]) == 50 and everything["next"]
    second = api.get(f"{BASE}/items/", {"page": 2}).json()
    assert not {row["id"] for row in second["results"]} & {row["id"] for row in everything["results"]}
    justice = cast["justice"].pk
    theirs = api.get(f"{BASE}/items/", {"unit": justice, "campaign": campaign.pk}).json()
    assert theirs["count"] == Item.objects.filter(assessment__unit=justice).count()
    # "1.1" is a group of the agencies' set, without an item: a leaf names exactly one item.
    assert rows(api.get(f"{BASE}/items/", {"unit": justice, "criterion_code": "1.1"})) == []
    one = rows(api.get(f"{BASE}/items/", {"unit": justice, "criterion_code": "1.1.2"}))
    assert [row["criterion_code"] for row in one] == ["1.1.2"]
    assert rows(api.get(f"{BASE}/items/", {"appraised": "true"})) == []
    api.force_authenticate(cast["commune_officer"])
    assert rows(api.get(f"{BASE}/items/", {"unit": justice})) == []
    item = Item.objects.filter(assessment__unit=justice).first()
    assert api.get(f"{BASE}/items/{item.pk}/").status_code == 404
    own = api.get(f"{BASE}/items/").json()
    assert own["count"] == Item.objects.filter(assessment__unit=cast["west_commune"]).count()


def test_results_show_each_caller_the_rows_of_the_units_they_see(api, cast, campaign):
    url = f"{BASE}/campaigns/{campaign.pk}/results/"
    api.force_authenticate(cast["leader"])
    provisional = rows(api.get(url))
    assert len(provisional) == 4 and all(row["provisional"] for row in provisional)
    assert {row["unit_type"] for row in rows(api.get(url, {"unit_type": "commune"}))} == {"commune"}
    assert api.get(url, {"unit_type": "galaxy"}).status_code == 400
    api.force_authenticate(cast["commune_officer"])
    assert [row["unit_name"] for row in rows(api.get(url))] == ["Xã Tây"]
    assert rows(api.get(url, {"unit": cast["justice"].pk})) == []
    move_to(campaign, Phase.PUBLISHED, cast["reform_admin"])
    fixed = rows(api.get(url))
    assert [row["provisional"] for row in fixed] == [False]
    assert fixed[0]["rank"] is not None and fixed[0]["areas"]
    api.force_authenticate(_person("khach", "Khách Không Vai Trò"))
    assert api.get(url).status_code == 404


def test_the_schema_describes_every_operation_with_examples_and_concurrency_errors():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (path, method): operation
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/parindex/")
        for method, operation in item.items()
    }
    assert len(operations) == 18
    for (path, method), operation in operations.items():
        success = operation["responses"].get("200") or operation["responses"]["201"]
        if method == "post" or path.endswith("/results/") or not path.endswith("}/"):
            assert success["content"]["application/json"].get("examples"), (path, method)
        if method == "post" and "{id}" in path and not path.endswith("accept-remaining/"):
            assert {"412", "428"} <= set(operation["responses"]), path
            assert any(p["name"] == "If-Match" for p in operation["parameters"]), path
        if path.startswith("/api/v1/parindex/items/{id}/") and method == "post":
            assert "409" in operation["responses"]
            assert operation["requestBody"]["content"]["application/json"]["examples"]
