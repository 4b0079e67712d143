"""API tokens expire, and end when the user signs out or gets a new password.

On today's main a token never expired and survived both signing out and a password change.
"""

import datetime

import pytest
from django.contrib.auth.forms import SetPasswordForm
from rest_framework.authtoken.models import Token

from cchc.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-1"


def obtain(api, username="stp.daumoi", password=PASSWORD):
    response = api.post("/api/v1/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def units_with(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/units/")


def test_the_token_says_when_it_expires(api, cast, time_machine):
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    body = obtain(api)
    assert set(body) == {"token", "expires"}
    expires = datetime.datetime.fromisoformat(body["expires"])
    hanoi = datetime.timezone(datetime.timedelta(hours=7))
    assert expires == datetime.datetime(2026, 3, 2, 20, 0, tzinfo=hanoi)
    user = cast["justice_focal"]
    assert AuditEntry.objects.filter(action="api_token.issue", object_id=str(user.pk)).exists()


def test_an_expired_token_is_refused_with_a_vietnamese_message_and_deleted(api, cast, time_machine):
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    key = obtain(api)["token"]
    time_machine.move_to("2026-03-02 19:59 +07:00", tick=False)
    assert units_with(api, key).status_code == 200
    time_machine.move_to("2026-03-02 20:01 +07:00", tick=False)
    response = units_with(api, key)
    assert response.status_code == 401
    assert "đã hết hạn" in response.json()["detail"]
    assert not Token.objects.filter(key=key).exists()


def test_asking_again_gives_the_valid_token_or_a_new_one_once_it_expired(api, cast, time_machine, settings):
    settings.CCHC_API_TOKEN_HOURS = 1
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    first = obtain(api)["token"]
    time_machine.move_to("2026-03-02 08:30 +07:00", tick=False)
    assert obtain(api)["token"] == first
    time_machine.move_to("2026-03-02 09:30 +07:00", tick=False)
    second = obtain(api)["token"]
    assert second != first
    assert units_with(api, second).status_code == 200


def test_a_new_password_ends_the_token(api, cast):
    key = obtain(api)["token"]
    form = SetPasswordForm(
        cast["justice_focal"], {"new_password1": "mot-mat-khau-moi-9", "new_password2": "mot-mat-khau-moi-9"}
    )
    assert form.is_valid(), form.errors
    form.save()
    assert units_with(api, key).status_code == 401
    assert not Token.objects.filter(user=cast["justice_focal"]).exists()


def test_saving_the_user_without_a_new_password_keeps_the_token(api, cast):
    key = obtain(api)["token"]
    user = cast["justice_focal"]
    user.full_name = "Trần Văn Đầu Mối Mới"
    user.save()
    assert units_with(api, key).status_code == 200


def test_signing_out_of_the_web_ends_the_token(client, api, cast):
    key = obtain(api)["token"]
    client.force_login(cast["justice_focal"])
    assert client.post("/logout/").status_code == 302
    assert units_with(api, key).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_the_api_sign_out_ends_the_token(api, cast):
    key = obtain(api)["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert units_with(api, key).status_code == 401
    api.credentials()
    assert api.post("/api/v1/auth/logout/").status_code == 401


def test_wrong_credentials_get_a_clear_400(api, cast):
    response = api.post("/api/v1/auth/token/", {"username": "stp.daumoi", "password": "sai"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    response = api.post("/api/v1/auth/token/", {"username": "stp.daumoi"})
    assert response.status_code == 400 and "password" in response.json()
