"""Two people opening the same year's PAR Index campaign at the same moment: the second reads that the
campaign already exists, in Vietnamese, not a server error, and there is one campaign."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from cchc.parindex.models import Campaign
from cchc.parindex.services import campaigns
from tests.parindex.conftest import YEAR

pytestmark = pytest.mark.django_db(transaction=True)


def _open(cast):
    return campaigns.create_campaign(actor=cast["reform_admin"], organiser=cast["province"], year=YEAR)


def test_the_second_of_two_simultaneous_openings_is_told_the_campaign_exists(cast, criteria_sets):
    if connection.vendor != "postgresql":
        pytest.skip("a second writer waiting on the first one's uncommitted rows needs PostgreSQL")
    first_done, second_started = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        # Keeps its transaction open after opening the campaign, so that the second opening starts
        # while the first is not yet committed, as when two people press "Mở" together.
        try:
            with transaction.atomic():
                _open(cast)
                first_done.set()
                second_started.wait(10)
                threading.Event().wait(0.5)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert first_done.wait(10)
    second_started.set()
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        _open(cast)
    thread.join()
    assert failures == []
    assert refused.value.message_dict["year"] == [f"Đã có đợt đánh giá Chỉ số CCHC năm {YEAR}."]
    assert Campaign.objects.filter(year=YEAR).count() == 1
