"""Holes found by reviewing the sign-in protection as an attacker would, each closed and kept closed."""

import pytest
from django.test import Client, RequestFactory
from django.views.debug import SafeExceptionReporterFilter
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from cchc.accounts.views.signin import ObtainTokenView
from cchc.core.models import AuditEntry
from tests.accounts.conftest import code_of

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-1"


def token_of(api, username="stp.daumoi", **extra):
    response = api.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra})
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("kythuat", "kythuat@example.vn", PASSWORD)


# The lockout per address


def test_a_guesser_cannot_escape_the_address_lock_by_sending_forwarded_addresses(client, cast, settings):
    """Behind a proxy that appends to X-Forwarded-For, the addresses before the proxy's are the client's
    own invention: varying them must not give each guess a fresh address."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.CCHC_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    for number, name in enumerate(("a", "b", "c")):
        forwarded = f"10.9.8.{number}, 203.0.113.30"  # the invented one, then the one the proxy saw
        client.post("/login/", {"username": name, "password": "sai"}, HTTP_X_FORWARDED_FOR=forwarded)
    response = client.post(
        "/login/",
        {"username": "xatay.canbo", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.8.77, 203.0.113.30",
    )
    assert response.status_code == 429


# Passwords and tokens


def test_a_stronger_hash_made_at_sign_in_keeps_the_api_token(api, client, cast, settings):
    """Django re-hashes the same password with the preferred hasher at sign-in: not a new password."""
    key = token_of(api)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert client.post("/login/", {"username": "stp.daumoi", "password": PASSWORD}).status_code == 302
    cast["justice_focal"].refresh_from_db()
    assert cast["justice_focal"].password.startswith("pbkdf2_sha256$")  # it was re-hashed
    assert Token.objects.filter(key=key).exists()


def test_turning_password_sign_in_off_ends_the_token(api, cast):
    key = token_of(api)
    user = cast["justice_focal"]
    user.set_unusable_password()
    user.save()
    assert not Token.objects.filter(key=key).exists()


def test_a_new_password_set_in_the_admin_ends_the_token_and_the_other_sessions(api, client, cast, superuser):
    key = token_of(api)
    elsewhere = Client()
    elsewhere.force_login(cast["justice_focal"])
    assert elsewhere.get("/plans/").status_code == 200
    client.force_login(superuser)
    response = client.post(
        f"/admin/accounts/user/{cast['justice_focal'].pk}/password/",
        {"password1": "mot-mat-khau-moi-9", "password2": "mot-mat-khau-moi-9", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Token.objects.filter(key=key).exists()
    assert elsewhere.get("/plans/")["Location"].startswith("/login/")
    assert client.get("/admin/").status_code == 200  # the administrator's own session goes on


def test_a_revoked_token_is_refused_with_a_vietnamese_reason(api, cast):
    key = token_of(api)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    response = api.get("/api/v1/units/")
    assert response.status_code == 401
    assert "không hợp lệ" in response.json()["detail"]


def test_the_token_endpoint_keeps_the_password_and_code_out_of_error_reports(cast):
    request = RequestFactory().post(
        "/api/v1/auth/token/", {"username": "stp.daumoi", "password": PASSWORD, "otp": "123456"}
    )
    ObtainTokenView.as_view()(request)
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert shown["username"] == "stp.daumoi"
    assert PASSWORD not in shown["password"] and "123456" not in shown["otp"]


# The one-time code


def test_wrong_codes_hold_off_even_the_right_code_on_the_web_and_the_api(client, api, cast, clock):
    device = TOTPDevice.objects.create(user=cast["justice_focal"], name="CCHC", confirmed=True)
    client.post("/login/", {"username": "stp.daumoi", "password": PASSWORD})
    clock.shift(60)
    client.post("/accounts/two-factor/code/", {"code": "000000" if code_of(device) != "000000" else "111111"})
    refused = client.post("/accounts/two-factor/code/", {"code": code_of(device)})
    assert refused.status_code == 200 and "Nhập sai mã quá nhiều lần" in refused.content.decode()
    assert client.get("/plans/").status_code == 302
    # The same device's count holds on the token endpoint: guessing there gains nothing.
    response = api.post(
        "/api/v1/auth/token/", {"username": "stp.daumoi", "password": PASSWORD, "otp": code_of(device)}
    )
    assert response.status_code == 400 and "Nhập sai mã quá nhiều lần" in response.json()["otp"][0]
    clock.shift(60)
    assert client.post("/accounts/two-factor/code/", {"code": code_of(device)}).status_code == 302
    assert client.get("/plans/").status_code == 200


def test_a_session_with_only_the_password_reaches_neither_the_admin_nor_the_api(
    client, cast, superuser, clock
):
    TOTPDevice.objects.create(user=superuser, name="CCHC", confirmed=True)
    client.post("/login/", {"username": "kythuat", "password": PASSWORD})
    for url in ("/admin/", "/admin/accounts/user/", "/audit/"):
        assert client.get(url)["Location"].startswith("/accounts/two-factor/code/?next="), url
    assert client.get("/api/v1/units/").status_code == 403
    assert client.post("/admin/accounts/user/add/", {"username": "x"}).status_code == 302
    assert not type(superuser).objects.filter(username="x").exists()


def test_each_showing_of_the_set_up_page_has_a_new_secret(client, cast, clock):
    """A secret shown earlier (to whoever held the password then) never becomes the confirmed one."""
    user = cast["justice_focal"]
    client.force_login(user)
    client.get("/accounts/two-factor/")
    seen_earlier = TOTPDevice.objects.get(user=user, confirmed=False)
    client.get("/accounts/two-factor/")
    shown_now = TOTPDevice.objects.get(user=user, confirmed=False)
    assert shown_now.key != seen_earlier.key
    clock.shift(60)
    response = client.post("/accounts/two-factor/", {"code": code_of(seen_earlier)})
    assert response.status_code == 200 and "Mã không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    clock.shift(60)  # past the pause after a wrong code
    response = client.post("/accounts/two-factor/", {"code": code_of(shown_now)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user, confirmed=True).key == shown_now.key


def test_setting_up_a_required_authenticator_gives_the_session_a_new_key(client, cast, clock, settings):
    settings.CCHC_REQUIRE_2FA_ROLES = ["reform_office"]
    client.post("/login/", {"username": "snv.admin", "password": PASSWORD})
    client.get("/accounts/two-factor/")
    key_before = client.session.session_key
    clock.shift(60)
    device = TOTPDevice.objects.get(user=cast["reform_admin"], confirmed=False)
    assert client.post("/accounts/two-factor/", {"code": code_of(device)}).status_code == 302
    assert client.session.session_key != key_before
    assert client.get("/units/").status_code == 200


def test_requiring_it_of_administrators_requires_it_of_the_technical_administrator(
    client, api, superuser, settings
):
    """A superuser holds no role yet can do everything, in the admin as well."""
    settings.CCHC_REQUIRE_2FA_ROLES = ["administrator"]
    client.post("/login/", {"username": "kythuat", "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/?next=")
    response = api.post("/api/v1/auth/token/", {"username": "kythuat", "password": PASSWORD})
    assert response.status_code == 403


def test_the_admin_never_shows_an_authenticators_secret(client, cast, superuser):
    device = TOTPDevice.objects.create(user=cast["justice_focal"], name="CCHC", confirmed=True)
    client.force_login(superuser)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200 and device.key not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    # An administrator chooses no secret for someone else; removing one (a lost phone) is audited.
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(action="user.two_factor_off")
    assert entry.actor == superuser and entry.object_id == str(cast["justice_focal"].pk)


def test_the_admin_never_shows_an_api_token(client, api, cast, superuser):
    key = token_of(api)
    client.force_login(superuser)
    assert key not in client.get("/admin/").content.decode()
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert client.get(f"/admin/authtoken/tokenproxy/{cast['justice_focal'].pk}/change/").status_code == 404


# Idle sessions on the API


def test_an_idle_session_no_longer_opens_the_api(client, cast, clock):
    client.force_login(cast["justice_focal"])
    assert client.get("/api/v1/units/").status_code == 200
    clock.shift(31 * 60)
    assert client.get("/api/v1/units/").status_code in (401, 403)
    assert "_auth_user_id" not in client.session
