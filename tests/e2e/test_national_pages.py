"""The national instance's two pages in a real browser, as a Ministry official reads them on a phone:
the provinces side by side and the submission grid, in Vietnamese, without sideways page scrolling, and
the grid usable when its months scroll inside their box."""

import datetime

import pytest
from django.utils import timezone

from cchc.exchange.models import ExchangePackage, SubmissionDeadline
from tests.conftest import _person
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import severe_violations, sideways
from tests.exchange.conftest import field_row, keys, make, neighbour, old_commune, registered  # noqa: F401
from tests.exchange.test_checks import receive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _received(data: bytes, on: datetime.date) -> None:
    assert receive(data).status == "accepted"
    latest = ExchangePackage.objects.filter(status="accepted").latest("id")
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    ExchangePackage.objects.filter(pk=latest.pk).update(received_at=moment)


@pytest.fixture
def national(settings, registered):  # noqa: F811
    """Province 99 sent every month of 2026 up to October (August late, September sent twice);
    province 98 sent only October; the Ministry's official sees both."""
    settings.CCHC_NATIONAL = True
    # The rule the data migration ships, written again: a browser test's database is emptied after each
    # test that ran before it, data-migration rows included.
    SubmissionDeadline.objects.update_or_create(
        applies_from="2000-01",
        defaults={
            "day": 10,
            "legal_basis": "[I] Giả định: ngày 10 của tháng liền sau kỳ báo cáo.",
            "verified": False,
        },
    )
    for month in range(1, 11):
        period = f"2026-{month:02d}"
        day = datetime.date(2026, month + 1, 12 if month == 8 else 5)
        row = field_row("99001", received=1234) | {"finished": 3, "finished_on_time": 2}
        _received(make(registered["99"], [row], period=period), day)
    _received(
        make(registered["99"], [field_row("99001", received=1300)], period="2026-09"),
        datetime.date(2026, 10, 20),
    )
    _received(
        make(registered["98"], [field_row("98001", received=7)], period="2026-10", province="98"),
        datetime.date(2026, 11, 3),
    )
    ministry = _person("bnv", "Bộ Nội vụ")
    ministry.is_superuser = True
    ministry.save()
    return ministry


def test_the_submission_grid_on_a_phone_keeps_the_province_beside_its_months(phone, live_server, national):
    sign_in(phone, live_server, "bnv")
    phone.goto(f"{live_server.url}/exchange/submissions/?until=2026-10&months=12", wait_until="load")
    assert sideways(phone) is None
    text = phone.inner_text("main")
    for label in (
        "Tình hình gửi dữ liệu",
        "Đến tháng",
        "Số tháng",
        "Thời hạn",
        "Tháng 10/2026",
        "hạn 10/11/2026",
    ):
        assert label in text, label
    for state in ("Đã nhận", "Nộp muộn", "Đã nộp lại (lần 1)", "Chưa nộp"):
        assert state in text, state
    # The month is picked by its name: the key 2026-10 and the mark [I] say nothing to an official.
    assert phone.locator("#status-until option:checked").inner_text() == "Tháng 10/2026"
    assert "2026-10" not in text and "[I]" not in text
    # Scrolled to its last month, the grid still says whose row each cell is.
    box = phone.locator(".table-responsive")
    box.evaluate("(element) => { element.scrollLeft = element.scrollWidth; }")
    assert box.evaluate("(element) => element.scrollLeft") > 0  # twelve months do not fit at 390 px
    name = phone.get_by_test_id("status-99").locator("th")
    inside = box.bounding_box()
    cell = name.bounding_box()
    assert cell["x"] >= inside["x"] - 1 and cell["x"] + cell["width"] <= inside["x"] + inside["width"]
    on_top = phone.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent ?? ''",
        [cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2],
    )
    assert "Tỉnh Thử Nghiệm" in on_top
    assert severe_violations(phone) == []


def test_the_provinces_side_by_side_on_a_phone(phone, live_server, national):
    sign_in(phone, live_server, "bnv")
    phone.goto(
        f"{live_server.url}/exchange/provinces/?period=2026-10&figure=onestop:on_time_rate", wait_until="load"
    )
    assert sideways(phone) is None
    text = phone.inner_text("main")
    for label in (
        "So sánh các tỉnh, thành phố",
        "Tháng",
        "Chỉ tiêu",
        "Lần gửi",
        "Tỉnh Thử Nghiệm",
        "Tỉnh Bên Cạnh",
    ):
        assert label in text, label
    assert phone.locator("#compare-period option:checked").inner_text() == "Tháng 10/2026"
    assert "2026-10" not in text
    assert phone.get_by_test_id("value-99").inner_text() == "66,67\u00a0%"
    # The column the rows are ordered by says so, to the eye and to a screen reader.
    assert phone.locator("th[aria-sort=descending]").get_by_test_id("sorted").count() == 1
    assert severe_violations(phone) == []

    phone.goto(f"{live_server.url}/exchange/provinces/?period=2025-03", wait_until="load")
    assert phone.get_by_test_id("no-data").inner_text() == (
        "Tháng 3/2025: chưa có tỉnh, thành phố nào gửi gói dữ liệu nên chưa có số liệu."
    )
    assert sideways(phone) is None
