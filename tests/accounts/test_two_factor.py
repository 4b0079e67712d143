"""Two-step sign-in with a one-time code (TOTP): setting it up, signing in with it, requiring it by role."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.core.models import AuditEntry
from tests.accounts.conftest import code_of

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-1"


def next_step(clock, minutes=1):
    clock.shift(minutes * 60)


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="CCHC", confirmed=True)
    return device


def sign_in(client, username):
    return client.post("/login/", {"username": username, "password": PASSWORD})


def test_setting_up_shows_a_qr_code_and_the_key_and_a_right_code_turns_it_on(client, cast, clock):
    user = cast["justice_focal"]
    client.force_login(user)
    page = client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "<svg" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert device.config_url.split("secret=")[1][:8] in page.replace(" ", "")
    wrong = "000000" if code_of(device) != "000000" else "111111"
    response = client.post("/accounts/two-factor/", {"code": wrong})
    assert response.status_code == 200 and "Mã không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    next_step(clock)
    response = client.post("/accounts/two-factor/", {"code": code_of(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="user.two_factor_on", object_id=str(user.pk)).exists()
    assert client.get("/").status_code == 200  # this session counts as verified


def test_with_a_device_sign_in_asks_for_the_code_after_the_password(client, cast, clock):
    device = enrolled(cast["justice_focal"])
    assert sign_in(client, "stp.daumoi").status_code == 302
    response = client.get("/plans/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/code/")
    assert client.get("/api/v1/units/").status_code == 403
    wrong = client.post("/accounts/two-factor/code/?next=/plans/", {"code": "abc"})
    assert "Mã không đúng" in wrong.content.decode()
    next_step(clock)
    response = client.post("/accounts/two-factor/code/", {"code": code_of(device), "next": "/plans/"})
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert client.get("/plans/").status_code == 200
    assert client.get("/api/v1/units/").status_code == 200


def test_someone_with_only_the_password_cannot_replace_or_remove_the_device(client, cast, clock):
    device = enrolled(cast["justice_focal"])
    sign_in(client, "stp.daumoi")
    response = client.get("/accounts/two-factor/")
    assert response["Location"].startswith("/accounts/two-factor/code/")
    client.post("/accounts/two-factor/", {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=cast["justice_focal"])) == [device]


def test_a_user_turns_it_off_with_a_code(client, cast, clock):
    device = enrolled(cast["justice_focal"])
    sign_in(client, "stp.daumoi")
    next_step(clock)
    client.post("/accounts/two-factor/code/", {"code": code_of(device)})
    next_step(clock)
    response = client.post("/accounts/two-factor/", {"code": code_of(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast["justice_focal"]).exists()
    assert AuditEntry.objects.filter(action="user.two_factor_off").exists()


def test_required_roles_must_set_it_up_before_anything_else(client, cast, clock, settings):
    settings.CCHC_REQUIRE_2FA_ROLES = ["administrator", "reform_office"]
    sign_in(client, "snv.admin")
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?next=")
    assert client.get("/api/v1/units/").status_code == 403
    page = client.get("/accounts/two-factor/").content.decode()
    assert "bắt buộc đăng nhập hai bước" in page
    device = TOTPDevice.objects.get(user=cast["reform_admin"])
    next_step(clock)
    client.post("/accounts/two-factor/", {"code": code_of(device), "next": "/units/"})
    assert client.get("/units/").status_code == 200
    # Required: the page offers no way to turn it off, and a code does not remove it.
    next_step(clock)
    client.post("/accounts/two-factor/", {"code": code_of(device)})
    assert TOTPDevice.objects.filter(user=cast["reform_admin"], confirmed=True).exists()


def test_other_roles_are_not_required_to_use_it(client, cast, settings):
    settings.CCHC_REQUIRE_2FA_ROLES = ["administrator", "reform_office"]
    sign_in(client, "stp.daumoi")
    assert client.get("/units/").status_code == 200


def test_the_token_endpoint_asks_for_the_code_of_a_user_with_a_device(api, cast, clock):
    device = enrolled(cast["justice_focal"])
    credentials = {"username": "stp.daumoi", "password": PASSWORD}
    response = api.post("/api/v1/auth/token/", credentials)
    assert response.status_code == 400 and "otp" in response.json()
    next_step(clock)
    response = api.post("/api/v1/auth/token/", {**credentials, "otp": code_of(device)})
    assert response.status_code == 200 and response.json()["token"]


def test_the_token_endpoint_refuses_a_required_user_without_a_device(api, cast, settings):
    settings.CCHC_REQUIRE_2FA_ROLES = ["reform_office"]
    response = api.post("/api/v1/auth/token/", {"username": "snv.admin", "password": PASSWORD})
    assert response.status_code == 403
    assert "đăng nhập hai bước" in response.json()["detail"]


def test_an_unknown_role_in_the_setting_stops_start_up(settings):
    settings.CCHC_REQUIRE_2FA_ROLES = ["administrator", "reform office"]
    with pytest.raises(SystemCheckError, match="CCHC_REQUIRE_2FA_ROLES"):
        call_command("check")


def test_the_code_gives_the_session_a_new_key_and_never_sends_to_another_site(client, cast, clock):
    device = enrolled(cast["justice_focal"])
    sign_in(client, "stp.daumoi")
    key_with_password_only = client.session.session_key
    next_step(clock)
    response = client.post(
        "/accounts/two-factor/code/", {"code": code_of(device), "next": "https://example.com/lay-cap"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session.session_key != key_with_password_only
