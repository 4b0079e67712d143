"""The interface shell in a real browser: sign-in, Vietnamese by default, phones, assets served locally."""

import pytest

from cchc.core.settings_store import DEMO_KEY, set_setting
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_shows_the_work_list_in_vietnamese(page, live_server, cast):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, live_server, "lanhdao")
    assert page.locator("h1").inner_text() == "Việc của tôi"
    # The leadership's viewer acts on nothing: the page says what would appear and when.
    assert page.get_by_test_id("work-empty").is_visible()
    # Every script and stylesheet came from this server: offices may have no internet.
    assert requests and all(url.startswith(live_server.url) for url in requests)


def test_wrong_password_is_explained_and_keeps_the_user_out(page, live_server, cast):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "sai-mat-khau")
    page.click("button[type=submit]")
    assert "Sai tên đăng nhập hoặc mật khẩu" in page.locator(".alert-danger").inner_text()
    page.goto(f"{live_server.url}/units/")
    assert "/login/" in page.url


def test_demo_data_is_labelled_on_every_page(page, live_server, cast):
    set_setting(actor=None, key=DEMO_KEY, value=True)
    sign_in(page, live_server, "lanhdao")
    for path in ("/", "/units/", "/audit/", "/workdays/"):
        page.goto(f"{live_server.url}{path}")
        assert "Dữ liệu minh họa" in page.get_by_test_id("demo-banner").inner_text(), path


def test_english_is_one_click_away(page, live_server, cast):
    sign_in(page, live_server, "lanhdao")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("h1").inner_text() == "My work"
    assert page.get_by_role("link", name="Units").is_visible()
    with page.expect_navigation():
        page.select_option("select[name=language]", "vi")
    assert page.locator("h1").inner_text() == "Việc của tôi"


def test_on_a_phone_the_menu_opens_from_the_toggler(phone, live_server, cast):
    sign_in(phone, live_server, "snv.admin")
    units_link = phone.get_by_role("link", name="Đơn vị")
    assert not units_link.is_visible()
    phone.get_by_role("button", name="Menu").click()
    units_link.click()
    phone.wait_for_url(f"{live_server.url}/units/")
    assert phone.get_by_test_id("unit-node").first.is_visible()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_sign_out_ends_the_session(page, live_server, cast):
    sign_in(page, live_server, "lanhdao")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_server.url}/login/")
    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
