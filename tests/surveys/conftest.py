"""Survey fixtures: an open SIPAS campaign for the test province and answers to its questionnaire."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cchc.core.settings_store import set_setting
from cchc.surveys.indices import SMALLEST_GROUP_SETTING
from cchc.surveys.models import CampaignStatus
from cchc.surveys.services import sipas

# The current year: web answers are dated today and must fall within the campaign's year.
YEAR = timezone.localdate().year


@pytest.fixture
def sipas_campaign(cast):
    campaign = sipas.new_campaign(
        actor=cast["reform_admin"], organiser=cast["province"], template="sipas", year=YEAR, code="SIPAS-2026"
    )
    return sipas.set_status(actor=cast["reform_admin"], campaign=campaign, status=CampaignStatus.OPEN)


def satisfied_answers(level: int, **extra):
    """Answers to the five service elements' satisfaction questions, all at one level (1–5)."""
    return {code: str(level) for code in ("TC-HL", "TT-HL", "CC-HL", "KQ-HL", "PA-HL")} | extra


def moment(text: str) -> datetime.datetime:
    """ "2026-01-30 10:00" as a moment in Vietnamese time."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def at(time_machine):
    """at("2026-01-30 10:00"): the clock stands still at that Vietnamese time."""

    def move(text: str) -> None:
        time_machine.move_to(moment(text), tick=False)

    return move


@pytest.fixture
def every_group_shown(db):
    """The figures of any number of forms are shown (threshold 1), for the tests of the arithmetic on a
    handful of forms; the threshold itself is tested in test_small_groups.py."""
    set_setting(actor=None, key=SMALLEST_GROUP_SETTING, value=1)
