"""Two people opening the same year's PAR Index campaign at the same moment: the second reads that the
campaign already exists, in Vietnamese, not a server error, and there is one campaign."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from cchc.parindex.models import Campaign
from cchc.parindex.services import campaigns
from tests.concurrency import while_first_uncommitted
from tests.parindex.conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)


def _open(cast):
    return campaigns.create_campaign(actor=cast["reform_admin"], organiser=cast["province"], year=YEAR)


def test_the_second_of_two_simultaneous_openings_is_told_the_campaign_exists(cast, criteria_sets):
    if connection.vendor != "postgresql":
        pytest.skip("a second writer waiting on the first one's uncommitted rows needs PostgreSQL")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        while_first_uncommitted(lambda: _open(cast), lambda: _open(cast))
    assert refused.value.message_dict["year"] == [f"Đã có đợt đánh giá Chỉ số CCHC năm {YEAR}."]
    assert Campaign.objects.filter(year=YEAR).count() == 1
