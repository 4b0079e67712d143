"""Staff pages of citizen feedback: scoping of the list and the detail, the actions for the right and the
wrong user, the staff entry form, the import, the XLSX export and the figures per unit."""

import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.core.periods import Period
from cchc.surveys import metrics
from cchc.surveys.models import Feedback, FeedbackStatus
from cchc.surveys.services import feedback as services
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.conftest import uploaded
from tests.surveys.test_feedback import day, moment, receive

MARKERS = ("Sở Tư pháp", "stp.daumoi", "Phòng Hành chính tư pháp")


@pytest.fixture
def world(cast, at):
    """Received on Monday 02/03/2026 (answers due 23/03), looked at on 10/03: one feedback of Xã Tây whose
    answer may be published, one routed to Sở Tư pháp, one not yet routed; and an overdue one of Xã Tây
    received on 02/02 (due 02/03 over Tết)."""
    at("2026-02-02 09:00")
    old = receive(cast, title="Hồ sơ đất đai quá hạn")
    at("2026-03-02 09:00")
    west = receive(cast, consent=True, title="Chậm cấp giấy khai sinh")
    justice = receive(cast, unit="justice", title="Phản ánh về Sở Tư pháp")
    unrouted = services.receive_feedback(
        actor=None,
        organiser=cast["province"],
        kind="official",
        title="Cán bộ một cửa",
        content="Không hướng dẫn.",
    )
    at("2026-03-10 09:00")
    return SimpleNamespace(old=old, west=west, justice=justice, unrouted=unrouted)


def _codes(response) -> set[str]:
    return set(re.findall(r'data-testid="feedback-(PA[0-9A-Z]+)"', response.content.decode()))


def _count(response) -> int:
    return int(re.search(r'data-testid="total" data-count="(\d+)"', response.content.decode())[1])


def _state(feedback: Feedback) -> tuple:
    fresh = Feedback.objects.get(pk=feedback.pk)
    return (fresh.status, fresh.unit_id, fresh.answer, fresh.published_at, fresh.refusal_reason)


# -- the list -------------------------------------------------------------------------------------


def test_the_list_shows_each_user_what_is_in_reach(client, cast, world):
    url = reverse("surveys:feedback-list")
    client.force_login(cast["commune_officer"])
    response = client.get(url)
    assert response.status_code == 200
    assert _codes(response) == {world.west.receipt_code, world.old.receipt_code}
    body = response.content.decode()
    for marker in MARKERS:
        assert marker not in body
    client.force_login(cast["justice_focal"])
    assert _codes(client.get(url)) == {world.justice.receipt_code}
    everything = {item.receipt_code for item in vars(world).values()}
    for viewer in ("reform_admin", "leader"):  # the whole province, not yet routed included
        client.force_login(cast[viewer])
        assert _codes(client.get(url)) == everything


def test_the_list_filters(client, cast, world):
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:feedback-list")

    def codes(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        assert _count(response) == len(_codes(response))
        return _codes(response)

    assert codes(status="received") == {world.unrouted.receipt_code}
    assert codes(kind="official") == {world.unrouted.receipt_code}
    assert codes(unit=cast["west_commune"].pk) == {world.west.receipt_code, world.old.receipt_code}
    assert codes(unit=cast["justice"].pk) == {world.justice.receipt_code}
    assert codes(month="2026-02") == {world.old.receipt_code}
    assert codes(overdue="on") == {world.old.receipt_code}
    assert codes(month="2026-03", unit=cast["west_commune"].pk) == {world.west.receipt_code}
    assert len(codes(month="March")) == 4  # a bad filter is shown with its error and not applied
    client.force_login(cast["commune_officer"])
    response = client.get(url, {"unit": cast["justice"].pk})  # not one of his units: not applied
    assert _codes(response) == {world.west.receipt_code, world.old.receipt_code}


def test_the_list_counts_working_days_left_and_overdue(client, cast, world):
    client.force_login(cast["commune_officer"])
    body = client.get(reverse("surveys:feedback-list")).content.decode()
    rows = dict(re.findall(r'data-testid="feedback-(PA[0-9A-Z]+)"(.*?)</tr>', body, re.S))
    # Due 23/03, looked at on 10/03: 11, 12, 13, 16–20, 23 are left.
    assert 'data-testid="days-left" data-days="9"' in rows[world.west.receipt_code]
    assert 'data-on-time="pending"' in rows[world.west.receipt_code]
    # Received 02/02, due 02/03 (the Tết week does not count); 03/03–10/03 are six working days late.
    assert world.old.handle_due == day("2026-03-02")
    assert 'data-testid="overdue" data-days="-6"' in rows[world.old.receipt_code]
    assert 'data-on-time="no"' in rows[world.old.receipt_code]


# -- one feedback ---------------------------------------------------------------------------------


def test_another_units_feedback_is_not_found(client, cast, world):
    client.force_login(cast["commune_officer"])
    for feedback in (world.justice, world.unrouted):
        assert client.get(reverse("surveys:feedback-detail", args=[feedback.pk])).status_code == 404
    response = client.get(reverse("surveys:feedback-detail", args=[world.west.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="audit-row"' in body
    assert 'data-testid="action-answer"' in body and 'data-testid="action-route"' not in body
    assert 'data-testid="action-publish"' not in body  # not answered yet
    client.force_login(cast["leader"])  # sees everything, may do nothing
    body = client.get(reverse("surveys:feedback-detail", args=[world.unrouted.pk])).content.decode()
    assert 'data-testid="no-action"' in body


def test_the_history_hides_the_time_with_another_unit(client, cast, world):
    """Sent first to Sở Tư pháp, then to Xã Tây: Xã Tây's staff do not read Sở Tư pháp's part."""
    admin = cast["reform_admin"]
    services.route_feedback(actor=admin, feedback=world.unrouted, unit=cast["justice"])
    services.route_feedback(actor=admin, feedback=world.unrouted, unit=cast["west_commune"])
    client.force_login(cast["commune_officer"])
    body = client.get(reverse("surveys:feedback-detail", args=[world.unrouted.pk])).content.decode()
    # The receipt (the province's entry) and the routing to Xã Tây; not the routing to Sở Tư pháp.
    assert body.count('data-testid="audit-row"') == 2
    for marker in MARKERS:
        assert marker not in body
    client.force_login(admin)
    body = client.get(reverse("surveys:feedback-detail", args=[world.unrouted.pk])).content.decode()
    assert body.count('data-testid="audit-row"') == 3


def _prepare(world, cast, state: str) -> Feedback:
    """Xã Tây's feedback brought to the state an action needs."""
    feedback, officer = world.west, cast["commune_officer"]
    if state in ("info_requested",):
        services.request_information(actor=officer, feedback=feedback, text="Số hồ sơ?")
    if state in ("answered",):
        services.answer_feedback(actor=officer, feedback=feedback, text="Đã cấp giấy khai sinh.")
    return Feedback.objects.get(pk=feedback.pk)


ACTIONS = [
    # action, state before, data, right user, users who see it but may not act, expected status after
    ("route", "routed", "unit", "reform_admin", ["commune_officer", "leader"], FeedbackStatus.ROUTED),
    ("refuse", "routed", {"reason": "Trùng lặp"}, "commune_officer", ["leader"], FeedbackStatus.REFUSED),
    (
        "request-info",
        "routed",
        {"text": "Số hồ sơ?"},
        "commune_officer",
        ["leader"],
        FeedbackStatus.INFO_REQUESTED,
    ),
    ("info-received", "info_requested", {}, "commune_officer", ["leader"], FeedbackStatus.ROUTED),
    ("answer", "routed", {"text": "Đã giải quyết."}, "commune_officer", ["leader"], FeedbackStatus.ANSWERED),
    ("publish", "answered", {}, "commune_officer", ["leader"], FeedbackStatus.ANSWERED),
    ("close", "answered", {}, "reform_admin", ["commune_officer", "leader"], FeedbackStatus.CLOSED),
]


@pytest.mark.parametrize(("action", "state", "data", "right", "wrong", "after"), ACTIONS)
def test_each_action_for_the_right_user_only(client, cast, world, action, state, data, right, wrong, after):
    feedback = _prepare(world, cast, state)
    url = reverse(f"surveys:feedback-{action}", args=[feedback.pk])
    if data == "unit":
        data = {"unit": cast["east_ward"].pk}
    before, trail = _state(feedback), AuditEntry.objects.for_object(feedback).count()
    # Someone of another unit does not even find it; someone who sees it but has no right is refused.
    client.force_login(cast["justice_focal"])
    assert client.post(url, data).status_code == 404
    for user in wrong:
        client.force_login(cast[user])
        assert client.post(url, data).status_code == 403, user
    assert _state(feedback) == before
    assert AuditEntry.objects.for_object(feedback).count() == trail
    client.force_login(cast[right])
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:feedback-detail", args=[feedback.pk])
    done = Feedback.objects.get(pk=feedback.pk)
    assert done.status == after
    assert AuditEntry.objects.for_object(feedback).count() == trail + 1
    if action == "route":
        assert done.unit == cast["east_ward"]
    if action == "publish":
        assert done.published_at is not None


def test_a_refused_action_changes_nothing(client, cast, world):
    client.force_login(cast["reform_admin"])
    before = _state(world.justice)
    # Not answered yet: it cannot be published; the consent is missing anyway.
    assert client.post(reverse("surveys:feedback-publish", args=[world.justice.pk])).status_code == 302
    # An empty answer and a unit outside the province's list are refused by the form.
    assert (
        client.post(reverse("surveys:feedback-answer", args=[world.justice.pk]), {"text": " "}).status_code
        == 302
    )
    response = client.post(reverse("surveys:feedback-route", args=[world.justice.pk]), {"unit": 999999})
    assert response.status_code == 302
    assert _state(world.justice) == before
    services.answer_feedback(actor=cast["reform_admin"], feedback=world.justice, text="Đã giải quyết.")
    answered = _state(world.justice)
    assert client.post(reverse("surveys:feedback-publish", args=[world.justice.pk])).status_code == 302
    assert _state(world.justice) == answered  # no consent to publish


def test_routing_offers_only_units_under_the_receiving_authority(client, cast, world):
    other = unit_services.create_unit(
        actor=None, name="Tỉnh Bên Cạnh", type=UnitType.PROVINCE, code="98", kind="Tỉnh"
    )
    client.force_login(cast["reform_admin"])
    body = client.get(reverse("surveys:feedback-detail", args=[world.unrouted.pk])).content.decode()
    form = re.search(r'data-testid="action-route".*?</form>', body, re.S)[0]
    offered = set(re.findall(r'<option value="(\d+)"', form))
    assert str(cast["west_commune"].pk) in offered and str(other.pk) not in offered
    url = reverse("surveys:feedback-route", args=[world.unrouted.pk])
    assert client.post(url, {"unit": other.pk}).status_code == 302
    assert Feedback.objects.get(pk=world.unrouted.pk).unit is None


def test_information_cannot_arrive_in_the_future(client, cast, world):
    services.request_information(actor=cast["commune_officer"], feedback=world.west, text="Số hồ sơ?")
    client.force_login(cast["commune_officer"])
    url = reverse("surveys:feedback-info-received", args=[world.west.pk])
    assert client.post(url, {"received_at": "2026-03-20T09:00"}).status_code == 302
    waiting = Feedback.objects.get(pk=world.west.pk)
    assert waiting.status == FeedbackStatus.INFO_REQUESTED and waiting.info_received_at is None
    assert client.post(url, {"received_at": "2026-03-10T09:00"}).status_code == 302
    back = Feedback.objects.get(pk=world.west.pk)
    assert back.status == FeedbackStatus.ROUTED and back.info_received_at == moment("2026-03-10 09:00")
    assert back.handle_due == day("2026-03-31")  # 15 working days from 10/03


def test_get_is_not_an_action(client, cast, world):
    client.force_login(cast["reform_admin"])
    assert client.get(reverse("surveys:feedback-close", args=[world.west.pk])).status_code == 405


# -- staff entry ----------------------------------------------------------------------------------


def _new(cast, **extra):
    return {
        "organiser": cast["province"].pk,
        "kind": "procedure",
        "title": "Chậm trả kết quả",
        "content": "Đã quá hẹn ba ngày.",
        "contact": "0912 345 678",
        **extra,
    }


def test_staff_enter_feedback_for_their_unit(client, cast, at):
    at("2026-03-02 09:00")
    url = reverse("surveys:feedback-new")
    client.force_login(cast["commune_officer"])
    page = client.get(url)
    assert page.status_code == 200
    for marker in MARKERS:
        assert marker not in page.content.decode()
    response = client.post(url, _new(cast, unit=cast["west_commune"].pk, consent_to_publish="on"))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert response["Location"] == reverse("surveys:feedback-detail", args=[feedback.pk])
    assert feedback.unit == cast["west_commune"] and feedback.channel == "staff"
    assert feedback.consent_to_publish and feedback.created_by == cast["commune_officer"]
    assert feedback.handle_due == day("2026-03-23")
    # Another unit, no unit at all, or a date in the future: refused, nothing saved.
    assert client.post(url, _new(cast, unit=cast["justice"].pk)).status_code == 400
    assert client.post(url, _new(cast)).status_code == 400
    assert client.post(url, _new(cast, unit=cast["west_commune"].pk, title="")).status_code == 400
    future = _new(cast, unit=cast["west_commune"].pk, received_at="2026-03-03T09:00")
    assert client.post(url, future).status_code == 400
    assert Feedback.objects.count() == 1


def test_the_reform_office_enters_feedback_not_yet_routed(client, cast, at):
    at("2026-03-02 09:00")
    client.force_login(cast["reform_admin"])
    data = _new(cast, received_at="2026-02-27T15:30")
    assert client.post(reverse("surveys:feedback-new"), data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.unit is None and feedback.status == FeedbackStatus.RECEIVED
    assert feedback.received_at == moment("2026-02-27 15:30")


def test_viewers_cannot_enter_feedback(client, cast):
    client.force_login(cast["leader"])
    assert client.get(reverse("surveys:feedback-new")).status_code == 403
    assert client.post(reverse("surveys:feedback-new"), _new(cast)).status_code == 403


# -- import ---------------------------------------------------------------------------------------

HEADER = "code,received_at,kind,title,content,unit_code\n"


def _upload(client, cast, text: str, name: str = "pakn.csv"):
    upload = uploaded(name, text)
    return client.post(reverse("surveys:feedback-import"), {"organiser": cast["province"].pk, "file": upload})


def test_the_import_lists_every_problem_and_saves_nothing(client, cast, at):
    at("2026-03-10 09:00")
    client.force_login(cast["reform_admin"])
    bad = HEADER + "CG-1,02/03/2026 08:00,tthc,Chậm,Nội dung,99002\nCG-2,hôm qua,lạ,Chậm,Nội dung,00000\n"
    response = _upload(client, cast, bad)
    assert response.status_code == 400
    body = response.content.decode()
    found = set(re.findall(r'data-testid="import-error" data-row="(\d*)" data-column="(\w*)"', body))
    assert found == {("3", "kind"), ("3", "unit_code"), ("3", "received_at")}
    assert Feedback.objects.count() == 0
    assert _upload(client, cast, "x", name="pakn.pdf").status_code == 400  # refused by the form
    good = HEADER + "CG-1,02/03/2026 08:00,tthc,Chậm,Nội dung,99002\n"
    response = _upload(client, cast, good)
    assert response.status_code == 302 and response["Location"] == reverse("surveys:feedback-list")
    assert _upload(client, cast, good).status_code == 302  # the same file again: nothing new
    assert Feedback.objects.get().external_code == "CG-1"


def test_only_the_reform_office_imports(client, cast, at):
    at("2026-03-10 09:00")
    client.force_login(cast["commune_officer"])
    page = client.get(reverse("surveys:feedback-list")).content.decode()
    assert 'data-testid="import-form"' not in page
    assert _upload(client, cast, HEADER + "CG-1,02/03/2026,tthc,Chậm,Nội dung,99002\n").status_code == 403
    assert Feedback.objects.count() == 0


# -- the workbook ---------------------------------------------------------------------------------


def _workbook_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return list(sheet.iter_rows(min_row=3, values_only=True))


def test_the_export_holds_the_filtered_list(client, cast, world):
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:feedback-xlsx")
    header, *rows = _workbook_rows(client.get(url))
    assert header[0] == "Mã biên nhận" and len(rows) == 4
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    old = by_code[world.old.receipt_code]
    assert old["Đơn vị xử lý"] == "Xã Tây" and old["Xử lý đúng hạn"] == "Quá hạn"
    assert old["Hạn trả lời"].date() == day("2026-03-02")
    assert old["Số ngày làm việc còn lại (âm: quá hạn)"] == -6
    assert old["Ngày tiếp nhận"] == moment("2026-02-02 09:00").replace(tzinfo=None)
    assert by_code[world.unrouted.receipt_code]["Đơn vị xử lý"] is None
    _header, *filtered = _workbook_rows(client.get(url, {"unit": cast["justice"].pk}))
    assert [row[0] for row in filtered] == [world.justice.receipt_code]
    client.force_login(cast["commune_officer"])
    _header, *own = _workbook_rows(client.get(url))
    assert {row[0] for row in own} == {world.west.receipt_code, world.old.receipt_code}
    assert not any(marker in str(cell) for row in own for cell in row for marker in MARKERS)


# -- figures per unit -----------------------------------------------------------------------------


def _stats(response) -> dict[str, dict[str, str]]:
    assert response.status_code == 200
    found = {}
    pattern = (
        r'data-testid="stats-([^"]+)" data-received="(\d+)" data-handled="(\d+)" data-overdue="(\d+)" '
        r'data-on-time="([^"]*)" data-satisfied="([^"]*)"'
    )
    for code, received, handled, overdue, on_time, satisfied in re.findall(
        pattern, response.content.decode()
    ):
        found[code] = {
            "received": int(received),
            "handled": int(handled),
            "overdue": int(overdue),
            "on_time": on_time,
            "satisfied": satisfied,
        }
    return found


def _ratio_text(ratio) -> str:
    return "" if ratio is None else f"{ratio.numerator}/{ratio.denominator}"


def test_the_figures_per_unit_are_the_metrics(client, cast, world, at):
    officer = cast["commune_officer"]
    services.answer_feedback(actor=officer, feedback=world.old, text="Đã giải quyết.")  # late
    services.answer_feedback(actor=officer, feedback=world.west, text="Đã giải quyết.")
    services.rate_answer(receipt_code=world.west.receipt_code, rating="unsatisfied")
    at("2026-03-31 09:00")  # the feedback of Sở Tư pháp and the one not routed are now overdue
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:feedback-stats")
    for key in ("2026", "2026-Q1", "2026-03", "2026-02"):
        rows = _stats(client.get(url, {"period": key}))
        period = Period.parse(key)
        assert set(rows) == {"99", "99.SNV", "99.STP", "99001", "99002"}
        for unit in (cast["province"], cast["justice"], cast["west_commune"], cast["east_ward"]):
            row = rows[unit.code]
            assert row["on_time"] == _ratio_text(metrics.feedback_on_time(unit, period)), (key, unit.code)
            assert row["satisfied"] == _ratio_text(metrics.feedback_satisfied(unit, period)), (key, unit.code)
    # The answer of Xã Tây's feedback may be published and is not, two working days after 10/03: overdue too.
    march = _stats(client.get(url, {"period": "2026-03"}))
    assert march["99"] == {"received": 3, "handled": 1, "overdue": 3, "on_time": "0/3", "satisfied": "0/3"}
    assert march["99002"] == {"received": 1, "handled": 1, "overdue": 1, "on_time": "0/1", "satisfied": "0/1"}
    assert march["99001"] == {"received": 0, "handled": 0, "overdue": 0, "on_time": "", "satisfied": ""}
    services.publish_answer(actor=officer, feedback=world.west)  # late, but no longer pending
    march = _stats(client.get(url, {"period": "2026-03"}))
    assert march["99002"] == {"received": 1, "handled": 1, "overdue": 0, "on_time": "0/1", "satisfied": "0/1"}
    year = _stats(client.get(url, {"period": "2026"}))
    assert year["99002"]["on_time"] == "0/2" and year["99"]["received"] == 4
    assert client.get(url, {"period": "2026-13"}).status_code == 400


def test_a_bad_period_still_offers_the_periods_to_choose(client, cast):
    """The page of a period it cannot read keeps its picker filled, so the official can choose again."""
    client.force_login(cast["reform_admin"])
    query = {"period": "2026-13", "unit": cast["province"].pk}
    response = client.get(reverse("surveys:feedback-stats"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("<option") > 4
    assert f'name="unit" value="{cast["province"].pk}"' in html


def test_the_figures_stay_within_reach(client, cast, world):
    client.force_login(cast["commune_officer"])
    url = reverse("surveys:feedback-stats")
    response = client.get(url, {"period": "2026-03"})
    assert set(_stats(response)) == {"99002"}
    for marker in MARKERS:
        assert marker not in response.content.decode()
    assert client.get(url, {"unit": cast["justice"].pk}).status_code == 404
    assert client.get(url, {"unit": "²"}).status_code == 404
    client.force_login(cast["reform_admin"])
    rows = _stats(client.get(url, {"unit": cast["justice"].pk, "period": "2026-03"}))
    assert set(rows) == {"99.STP", "99.STP.HCTP"} and rows["99.STP"]["received"] == 1


def test_the_figures_cost_the_same_queries_for_more_units(client, cast, world):
    client.force_login(cast["reform_admin"])
    url = reverse("surveys:feedback-stats")
    query = {"unit": cast["province"].pk, "period": "2026"}
    client.get(url, query)  # the session and the calendar are read once
    with CaptureQueriesContext(connection) as few:
        first = _stats(client.get(url, query))
    for number in range(1, 6):
        commune = unit_services.create_unit(
            actor=None,
            name=f"Xã Thêm {number}",
            type=UnitType.COMMUNE,
            code=f"9{number:04d}",
            parent=cast["province"],
            kind="Xã",
        )
        services.receive_feedback(
            actor=cast["reform_admin"],
            organiser=cast["province"],
            unit=commune,
            kind="procedure",
            title=f"Phản ánh {number}",
            content="Chưa có kết quả.",
        )
    with CaptureQueriesContext(connection) as more:
        second = _stats(client.get(url, query))
    assert len(second) == len(first) + 5 and second["99"]["received"] == first["99"]["received"] + 5
    assert all(second[f"9{number:04d}"]["received"] == 1 for number in range(1, 6))
    assert len(more) == len(few), [query["sql"] for query in more.captured_queries]
