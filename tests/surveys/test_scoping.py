"""`for_user` on the surveys models: who reaches which campaigns, quotas, responses, answers, codes
and feedback. The pages rely on these querysets, so their rules are pinned here once."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from cchc.accounts.permissions import ENTER
from cchc.surveys.models import (
    Element,
    Feedback,
    Invitation,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyQuestion,
    SurveyResponse,
    UnitQuota,
)
from cchc.surveys.services import feedback as feedback_services
from cchc.surveys.services import sipas
from tests.surveys.conftest import YEAR, satisfied_answers

pytestmark = pytest.mark.usefixtures("english")


def _units(queryset):
    return {row.unit.code for row in queryset.select_related("unit")}


@pytest.fixture
def answered(cast, sipas_campaign):
    for unit in ("west_commune", "justice"):
        sipas.enter_response(
            actor=cast["reform_admin"],
            campaign=sipas_campaign,
            unit=cast[unit],
            answers=satisfied_answers(4),
            channel="paper",
            answered_on=datetime.date(YEAR, 3, 2),
        )
        sipas.create_invitations(
            actor=cast["reform_admin"], campaign=sipas_campaign, unit=cast[unit], count=1
        )
    return sipas_campaign


def test_a_campaign_is_seen_through_its_organiser_or_a_surveyed_unit(cast, answered):
    commune_campaign = sipas.new_campaign(
        actor=None, organiser=cast["west_commune"], template="sipas", year=YEAR, code="XA-TAY"
    )
    UnitQuota.objects.filter(campaign=commune_campaign).exclude(unit=cast["west_commune"]).delete()
    assert set(SurveyCampaign.objects.for_user(cast["leader"])) == {answered, commune_campaign}
    assert set(SurveyCampaign.objects.for_user(cast["justice_focal"])) == {answered}  # a surveyed unit
    assert set(SurveyCampaign.objects.for_user(cast["commune_officer"])) == {answered, commune_campaign}
    superuser = get_user_model().objects.create_superuser("root", password="mat-khau-thu-1")
    assert SurveyCampaign.objects.for_user(superuser).count() == 2
    assert Element.objects.for_user(cast["justice_focal"]).filter(campaign=commune_campaign).count() == 0
    assert SurveyQuestion.objects.for_user(cast["justice_focal"]).filter(campaign=answered).exists()


def test_quotas_responses_answers_and_codes_follow_their_unit(cast, answered):
    officer, focal = cast["commune_officer"], cast["justice_focal"]
    assert _units(UnitQuota.objects.for_user(officer)) == {"99002"}
    assert _units(UnitQuota.objects.for_user(cast["reform_admin"], ENTER)) >= {"99002", "99.STP", "99001"}
    assert _units(SurveyResponse.objects.for_user(focal)) == {"99.STP"}
    assert _units(Invitation.objects.for_user(officer)) == {"99002"}
    answers = SurveyAnswerValue.objects.for_user(officer).select_related("response__unit")
    assert answers.exists() and {answer.response.unit.code for answer in answers} == {"99002"}


def test_feedback_not_routed_is_seen_only_by_who_views_the_receiving_authority(cast):
    routed = feedback_services.receive_feedback(
        actor=None,
        organiser=cast["province"],
        unit=cast["west_commune"],
        kind="procedure",
        title="Chậm",
        content="Chưa có kết quả.",
    )
    unrouted = feedback_services.receive_feedback(
        actor=None, organiser=cast["province"], kind="other", title="Khác", content="Góp ý."
    )
    assert set(Feedback.objects.for_user(cast["leader"])) == {routed, unrouted}
    assert set(Feedback.objects.for_user(cast["commune_officer"])) == {routed}
    assert set(Feedback.objects.for_user(cast["justice_focal"])) == set()
    assert set(Feedback.objects.for_user(cast["commune_officer"], ENTER)) == {routed}
