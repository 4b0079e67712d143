"""Two clerks typing the same paper form number at the same moment: the second gets the Vietnamese
message that the form is already entered, not a server error, and one response is stored."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation

from cchc.surveys.models import SurveyResponse
from cchc.surveys.services import sipas
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
    first_written, second_started = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first_clerk() -> None:
        # Holds its transaction open after writing, so that the second clerk's check finds nothing
        # and its insert waits on this row, exactly as when both press "Lưu" together.
        try:
            with transaction.atomic():
                _enter(cast, sipas_campaign)
                first_written.set()
                second_started.wait(10)
                threading.Event().wait(0.5)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=first_clerk)
    thread.start()
    assert first_written.wait(10)
    second_started.set()
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        _enter(cast, sipas_campaign)
    thread.join()
    assert failures == []
    assert refused.value.message_dict == {"response_code": ["Phiếu P-0042 đã được nhập."]}
    assert SurveyResponse.objects.filter(response_code="P-0042").count() == 1
