"""Survey fixtures: an open SIPAS campaign for the test province, and English service messages."""

import pytest
from django.utils import timezone, translation

from cchc.surveys.models import CampaignStatus
from cchc.surveys.services import sipas

# The current year: web answers are dated today and must fall within the campaign's year.
YEAR = timezone.localdate().year


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sipas_campaign(cast):
    campaign = sipas.new_campaign(
        actor=cast["reform_admin"], organiser=cast["province"], template="sipas", year=YEAR, code="SIPAS-2026"
    )
    return sipas.set_status(actor=cast["reform_admin"], campaign=campaign, status=CampaignStatus.OPEN)


def satisfied_answers(level: int, **extra):
    """Answers to the five service elements' satisfaction questions, all at one level (1–5)."""
    return {code: str(level) for code in ("TC-HL", "TT-HL", "CC-HL", "KQ-HL", "PA-HL")} | extra
