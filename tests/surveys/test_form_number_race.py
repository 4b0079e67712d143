"""Two clerks typing the same paper form number at the same moment: the second gets the Vietnamese
message that the form is already entered, not a server error, and one response is stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from cchc.surveys.models import SurveyResponse
from cchc.surveys.services import sipas
from tests.concurrency import while_first_uncommitted
from tests.surveys.conftest import YEAR, satisfied_answers

pytestmark = pytest.mark.django_db(transaction=True)


def _enter(cast, campaign):
    return sipas.enter_response(
        actor=cast["reform_admin"],
        campaign=campaign,
        unit=cast["west_commune"],
        answers=satisfied_answers(4),
        channel="paper",
        answered_on=datetime.date(YEAR, 3, 2),
        response_code="P-0042",
    )


def test_the_second_of_two_simultaneous_entries_is_told_the_form_is_entered(cast, sipas_campaign):
    if connection.vendor != "postgresql":
        pytest.skip("a second writer waiting on the first one's uncommitted row needs PostgreSQL")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        while_first_uncommitted(lambda: _enter(cast, sipas_campaign), lambda: _enter(cast, sipas_campaign))
    assert refused.value.message_dict == {"response_code": ["Phiếu P-0042 đã được nhập."]}
    assert SurveyResponse.objects.filter(response_code="P-0042").count() == 1
