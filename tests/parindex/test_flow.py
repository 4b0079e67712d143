"""The campaign from preparation to publication, on the shipped criteria sets."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.parindex.models import Item, Phase, Result
from cchc.parindex.queries.results import unit_results
from cchc.parindex.services import items as item_services
from cchc.parindex.services.common import Conflict
from tests.parindex.conftest import move_to, self_assess_all

PDF = b"%PDF-1.4\n%test\n"


def _item(campaign, unit, code):
    return Item.objects.select_related("criterion").get(
        assessment__campaign=campaign, assessment__unit=unit, criterion__code=code
    )


def test_every_scored_unit_gets_one_item_per_leaf(campaign, cast, criteria_sets):
    units = {assessment.unit for assessment in campaign.assessments.all()}
    assert units == {cast["home_affairs"], cast["justice"], cast["east_ward"], cast["west_commune"]}
    agency_leaves = criteria_sets["agency"].criteria.exclude(method="").count()
    assert Item.objects.filter(assessment__unit=cast["justice"]).count() == agency_leaves


def test_full_flow(self_assessing, cast, justice_leader):
    campaign = self_assessing
    justice = cast["justice"]
    assessment = campaign.assessments.get(unit=justice)
    self_assess_all(assessment, cast["justice_focal"])
    with pytest.raises(PermissionDenied):
        item_services.submit_assessment(actor=cast["justice_focal"], assessment=assessment)
    item_services.submit_assessment(actor=justice_leader, assessment=assessment)
    campaign = move_to(campaign, Phase.APPRAISAL, cast["reform_admin"])
    first = assessment.items.filter(criterion__method="manual").select_related("criterion").first()
    item_services.appraise_item(
        actor=cast["reform_admin"],
        item=first,
        accept=False,
        score="0",
        reason="Thiếu văn bản",
        expected_version=first.version,
    )
    with pytest.raises(Conflict):
        item_services.appraise_item(
            actor=cast["reform_admin"], item=first, accept=True, expected_version=first.version
        )
    accepted = item_services.accept_remaining(actor=cast["reform_admin"], assessment=assessment)
    assert accepted > 10
    campaign = move_to(campaign, Phase.EXPLANATION, cast["reform_admin"])
    first.refresh_from_db()
    item_services.explain_item(actor=cast["justice_focal"], item=first, text="Đã có văn bản số 12")
    with pytest.raises(ValidationError):
        item_services.explain_item(actor=cast["justice_focal"], item=first, text="Lần hai")
    campaign = move_to(campaign, Phase.SECOND_APPRAISAL, cast["reform_admin"])
    first.refresh_from_db()
    item_services.second_appraise(
        actor=cast["reform_admin"],
        item=first,
        score=str(first.criterion.max_points),
        reason="Chấp nhận giải trình",
    )
    campaign = move_to(campaign, Phase.PUBLISHED, cast["reform_admin"])
    results = {r.unit: r for r in unit_results(campaign, "agency")}
    justice_result = results[justice]
    assert justice_result.rank == 1
    stored = Result.objects.get(campaign=campaign, unit=justice)
    assert stored.score == justice_result.score
    print(justice_result.score, justice_result.max_points, justice_result.index)
