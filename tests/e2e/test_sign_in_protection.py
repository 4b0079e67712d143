"""Two-step sign-in and the lockout page in a real browser, under the strict Content-Security-Policy."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def submit_password(page, live_server, username, password="mat-khau-thu-1"):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_a_required_administrator_sets_up_the_authenticator_before_anything_else(
    page, live_server, cast, settings
):
    settings.CCHC_REQUIRE_2FA_ROLES = ["administrator"]
    submit_password(page, live_server, "snv.admin")
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/**")
    assert page.get_by_test_id("qr-code").locator("svg").is_visible()
    assert page.get_by_test_id("totp-secret").inner_text().strip()
    page.goto(f"{live_server.url}/units/")
    assert "/accounts/two-factor/" in page.url
    device = TOTPDevice.objects.get(user=cast["reform_admin"])
    page.fill("#id_code", current_code(device))
    page.get_by_role("button", name="Bật đăng nhập hai bước").click()
    page.wait_for_url(f"{live_server.url}/units/")
    assert "Đã bật đăng nhập hai bước" in page.locator(".alert").first.inner_text()


def test_repeated_wrong_passwords_show_the_vietnamese_lockout_page(page, live_server, cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        submit_password(page, live_server, "lanhdao", "sai-mat-khau")
    submit_password(page, live_server, "lanhdao")
    assert "Đăng nhập sai quá nhiều lần" in page.get_by_test_id("locked-out").inner_text()
    assert "/login/" in page.url
