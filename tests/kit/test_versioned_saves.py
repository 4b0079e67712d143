"""`kit.views.run_versioned`: an out-of-date save is a warning, any other refusal an error."""

import pytest
from django.contrib.messages import constants, get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.kit.views import run_versioned
from tests.kit.test_views import request_for


class Stale(ValidationError):
    pass


def _raise(error):
    def change():
        raise error

    return change


def test_a_stale_save_is_a_warning_and_nothing_is_said_to_be_saved():
    request = request_for()
    outcome = run_versioned(request, _raise(Stale("Có người vừa lưu.")), stale=Stale, success="Đã lưu.")
    assert outcome == (False, None)
    assert [(m.level, str(m)) for m in get_messages(request)] == [(constants.WARNING, "Có người vừa lưu.")]


def test_another_refusal_is_an_error_and_a_success_is_announced():
    request = request_for()
    assert run_versioned(request, _raise(ValidationError("Sai.")), stale=Stale) == (False, None)
    assert run_versioned(request, lambda: 7, stale=Stale, success="Đã lưu.") == (True, 7)
    assert [(m.level, str(m)) for m in get_messages(request)] == [
        (constants.ERROR, "Sai."),
        (constants.SUCCESS, "Đã lưu."),
    ]


def test_a_permission_refusal_still_reaches_django():
    with pytest.raises(PermissionDenied):
        run_versioned(request_for(), _raise(PermissionDenied()), stale=Stale)
