"""Guessing passwords is stopped: django-axes locks a user name, or an address, after a few failures.

On today's main (before django-axes) the right password still opened the account after any number of
wrong ones, on the sign-in page and on the API token endpoint.
"""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-1"
LOCKED_VI = "Đăng nhập sai quá nhiều lần"


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def test_wrong_passwords_lock_the_account_even_for_the_right_password(client, cast):
    assert [sign_in(client, "stp.daumoi", "sai").status_code for _ in range(3)] == [200, 200, 429]
    response = sign_in(client, "stp.daumoi", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert LOCKED_VI in text and "15 phút" in text
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_the_user_name_from_another_address(client, cast):
    for number in range(3):
        sign_in(client, "stp.daumoi", "sai", REMOTE_ADDR=f"198.51.100.{number}")
    assert sign_in(client, "stp.daumoi", PASSWORD, REMOTE_ADDR="198.51.100.77").status_code == 429
    # Someone else, from a fresh address, is not affected.
    assert sign_in(client, "xatay.canbo", PASSWORD, REMOTE_ADDR="198.51.100.78").status_code == 302


def test_one_address_trying_many_user_names_is_locked(client, cast):
    for name in ("a", "b", "c"):
        sign_in(client, name, "sai", REMOTE_ADDR="203.0.113.9")
    assert sign_in(client, "xatay.canbo", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert sign_in(client, "xatay.canbo", PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_behind_the_proxy_the_address_comes_from_the_configured_header(client, cast, settings):
    settings.CCHC_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    for name in ("a", "b", "c"):
        sign_in(client, name, "sai", HTTP_X_REAL_IP="203.0.113.20")
    assert AccessAttempt.objects.filter(ip_address="203.0.113.20").count() == 3
    # Everyone arrives from the proxy's address (127.0.0.1): the others are not locked with the guesser.
    assert sign_in(client, "xatay.canbo", PASSWORD, HTTP_X_REAL_IP="203.0.113.21").status_code == 302
    assert sign_in(client, "lanhdao", PASSWORD, HTTP_X_REAL_IP="203.0.113.20").status_code == 429


def test_a_success_clears_the_failures_of_the_user_name(client, cast):
    for _ in range(2):
        sign_in(client, "stp.daumoi", "sai")
    assert sign_in(client, "stp.daumoi", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        sign_in(client, "stp.daumoi", "sai")
    assert sign_in(client, "stp.daumoi", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, cast, time_machine):
    time_machine.move_to("2026-03-02 09:00 +07:00", tick=False)
    for _ in range(3):
        sign_in(client, "stp.daumoi", "sai")
    time_machine.move_to("2026-03-02 09:14 +07:00", tick=False)
    assert sign_in(client, "stp.daumoi", PASSWORD).status_code == 429
    time_machine.move_to("2026-03-02 09:16 +07:00", tick=False)
    assert sign_in(client, "stp.daumoi", PASSWORD).status_code == 302


def test_the_token_endpoint_counts_failures_and_locks_with_a_vietnamese_message(api, cast):
    statuses = [
        api.post("/api/v1/auth/token/", {"username": "stp.daumoi", "password": "sai"}).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]
    response = api.post("/api/v1/auth/token/", {"username": "stp.daumoi", "password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED_VI in response.json()["detail"]
    assert "token" not in response.json()


def test_failures_on_the_api_lock_the_web_sign_in_too(client, api, cast):
    for _ in range(3):
        api.post("/api/v1/auth/token/", {"username": "stp.daumoi", "password": "sai"})
    assert sign_in(client, "stp.daumoi", PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 429


def test_the_admin_sign_in_is_protected_as_well(client, cast):
    for _ in range(3):
        client.post("/admin/login/", {"username": "stp.daumoi", "password": "sai"})
    response = client.post("/admin/login/", {"username": "stp.daumoi", "password": PASSWORD})
    assert response.status_code == 429


def test_signing_in_to_ones_own_account_does_not_clear_an_addresss_failures(client, cast):
    """Failures for other user names keep counting against the address: someone with an account of
    their own cannot sign in between guesses to go on guessing other people's passwords unchecked."""
    for round_ in range(2):
        sign_in(client, f"khach{round_}", "sai", REMOTE_ADDR="203.0.113.5")
        assert sign_in(client, "xatay.canbo", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302
        client.logout()
    assert sign_in(client, "khach9", "sai", REMOTE_ADDR="203.0.113.5").status_code == 429
    assert sign_in(client, "xatay.canbo", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
