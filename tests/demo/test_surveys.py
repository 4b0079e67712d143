"""The demo surveys on the test province: 2025 closed, 2026 still open, feedback in every state."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cchc.demo.surveys import CURRENT_CODE, PAST_CODE, load_demo_surveys
from cchc.surveys.indices import index_table
from cchc.surveys.metrics import handled_on_time
from cchc.surveys.models import (
    CampaignStatus,
    Feedback,
    FeedbackRating,
    FeedbackStatus,
    Invitation,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyResponse,
)

# The demo's day: a Saturday, so some feedback has just come in and some steps are already late.
DEMO_DAY = datetime.datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def loaded(cast):
    with time_machine.travel(DEMO_DAY):
        yield load_demo_surveys(actor=cast["reform_admin"], organiser=cast["province"])


def test_the_demo_surveys_are_complete_and_loaded_once(loaded, cast):
    """One load, checked from four sides (a load takes a few seconds)."""
    _assert_the_past_campaign_is_closed_with_an_index_for_every_unit(loaded)
    _assert_the_current_campaign_is_collecting(loaded)
    _assert_feedback_in_every_state(cast)
    _assert_a_second_run_adds_nothing(cast)


def _assert_the_past_campaign_is_closed_with_an_index_for_every_unit(loaded):
    past = loaded.past
    assert past.code == PAST_CODE and past.status == CampaignStatus.CLOSED
    surveyed = set(past.quotas.values_list("unit_id", flat=True))
    assert len(surveyed) == 4  # two agencies and two communes
    rows = index_table(past)
    assert {row.key for row in rows} == surveyed
    for row in rows:
        assert row.overall is not None and 50 < row.overall <= 100
        assert row.n >= 4 and row.quota is not None
        assert row.elements["PA"] is not None
    channels = set(past.responses.values_list("channel", flat=True))
    assert channels == {"import", "web", "paper", "phone"}
    assert not past.responses.filter(answered_on__year__gt=2025).exists()
    staff_forms = past.responses.filter(channel__in=["paper", "phone"])
    assert staff_forms.exclude(response_code="").count() == staff_forms.count()
    assert SurveyAnswerValue.objects.filter(response__campaign=past, question__kind="open").exists()


def _assert_the_current_campaign_is_collecting(loaded):
    current = loaded.current
    assert current.code == CURRENT_CODE and current.status == CampaignStatus.OPEN
    assert 0 < current.responses.count() < loaded.past.responses.count()
    assert not current.responses.filter(answered_on__gt=DEMO_DAY.date()).exists()
    web = current.responses.filter(channel="web")
    assert web.exists() and web.filter(invitation__isnull=False).exists()
    assert Invitation.objects.filter(campaign=current, used_at__isnull=True).exists()
    assert all(row.below_quota for row in index_table(current))  # the year is not over


def _assert_feedback_in_every_state(cast):
    feedback = list(Feedback.objects.filter(organiser=cast["province"]))
    assert 60 <= len(feedback) <= 120
    assert {item.status for item in feedback} == set(FeedbackStatus.values)
    assert {item.channel for item in feedback} == {"web", "staff", "import"}
    assert {item.kind for item in feedback} == {"procedure", "official", "other"}
    assert {item.rating for item in feedback} == {"", FeedbackRating.SATISFIED, FeedbackRating.UNSATISFIED}
    assert any(item.reopened_count for item in feedback)
    assert any(item.published_at for item in feedback)
    assert any(item.info_received_at and item.status == FeedbackStatus.ROUTED for item in feedback)
    assert any(item.status == FeedbackStatus.RECEIVED and item.unit is None for item in feedback)
    late = {step for item in feedback for step in item.late_steps}
    assert {"handle", "refuse"} <= late
    verdicts = {handled_on_time(item, DEMO_DAY.date()) for item in feedback}
    assert verdicts == {True, False, None}
    assert all(item.received_at <= DEMO_DAY + datetime.timedelta(minutes=5) for item in feedback)
    assert {item.received_at.year for item in feedback} == {2026}
    # The focal points answer their own units' feedback.
    handled_by_focal = Feedback.objects.filter(unit=cast["west_commune"], answered_at__isnull=False)
    assert handled_by_focal.exists()


def _assert_a_second_run_adds_nothing(cast):
    counts = (
        SurveyCampaign.objects.count(),
        SurveyResponse.objects.count(),
        Invitation.objects.count(),
        Feedback.objects.count(),
    )
    with time_machine.travel(DEMO_DAY + datetime.timedelta(days=1)):
        again = load_demo_surveys(actor=cast["reform_admin"], organiser=cast["province"])
    assert not again.created
    assert (
        SurveyCampaign.objects.count(),
        SurveyResponse.objects.count(),
        Invitation.objects.count(),
        Feedback.objects.count(),
    ) == counts
