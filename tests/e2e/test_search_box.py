"""The search box in a real browser: typed into on a wide screen, reached by its icon on a phone; its
page passes axe-core (no serious or critical violation) on both."""

import pytest

from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import severe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_on_a_wide_screen_the_box_finds_a_unit_typed_without_diacritics(page, live_server, cast):
    sign_in(page, live_server, "snv.admin")
    box = page.get_by_test_id("search-box").get_by_role("searchbox")
    box.fill("so tu phap")
    box.press("Enter")
    page.wait_for_url(f"{live_server.url}/search/?q=so+tu+phap")
    assert severe_violations(page) == []
    page.get_by_role("link", name="Sở Tư pháp").click()
    page.wait_for_url(f"{live_server.url}/units/{cast['justice'].pk}/")


def test_at_390_px_the_icon_opens_the_page_and_nothing_scrolls_sideways(phone, live_server, cast):
    sign_in(phone, live_server, "stp.daumoi")
    assert not phone.get_by_test_id("search-box").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_test_id("search-link").click()
    phone.wait_for_url(f"{live_server.url}/search/")
    box = phone.get_by_test_id("search-form").get_by_role("searchbox")
    box.fill("dau moi")
    box.press("Enter")
    phone.wait_for_url(f"{live_server.url}/search/?q=dau+moi")
    assert phone.get_by_test_id("search-hit").first.inner_text().startswith("Trần Văn Đầu Mối")
    assert severe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
