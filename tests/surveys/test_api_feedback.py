"""The feedback API: scoping of the list and the detail, each step for the right and the wrong user (as on
the pages), If-Match (428, 412, two writes with one ETag), the audit rows, refusals (400, 409), filters,
pagination, the steps and the history."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from cchc.core.models import AuditEntry
from cchc.surveys.models import Feedback, FeedbackStatus
from cchc.surveys.services import feedback as services
from tests.surveys.test_feedback import receive

URL = "/api/v1/feedback/"


@pytest.fixture
def world(cast, at):
    """As in the pages' tests: received 02/03/2026 (one of Xã Tây with consent to publish, one of Sở Tư
    pháp, one not yet routed) and an overdue one of Xã Tây received 02/02; looked at on 10/03."""
    at("2026-02-02 09:00")
    old = receive(cast, title="Hồ sơ đất đai quá hạn")
    at("2026-03-02 09:00")
    west = receive(cast, consent=True, title="Chậm cấp giấy khai sinh")
    justice = receive(cast, unit="justice", title="Phản ánh về Sở Tư pháp")
    unrouted = services.receive_feedback(
        actor=None, organiser=cast["province"], kind="official", title="Cán bộ một cửa", content="Không."
    )
    at("2026-03-10 09:00")
    return SimpleNamespace(old=old, west=west, justice=justice, unrouted=unrouted)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def etag(api, feedback) -> str:
    response = api.get(f"{URL}{feedback.pk}/")
    assert response.status_code == 200
    return response["ETag"]


def vietnamese(msgid: str) -> str:
    with translation.override("vi"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Vietnamese translation of {msgid!r}"
    return text


# -- reading --------------------------------------------------------------------------------------


def test_each_role_lists_only_the_feedback_in_reach(api, cast, world):
    everything = {world.old.pk, world.west.pk, world.justice.pk, world.unrouted.pk}
    expected = {
        "reform_admin": everything,
        "leader": everything,
        "commune_officer": {world.old.pk, world.west.pk},
        "justice_focal": {world.justice.pk},
    }
    for role, shown in expected.items():
        api.force_authenticate(cast[role])
        assert ids(api.get(URL)) == shown, role


def test_another_units_feedback_is_not_found_and_ones_own_has_an_etag(api, cast, world):
    api.force_authenticate(cast["commune_officer"])
    assert api.get(f"{URL}{world.justice.pk}/").status_code == 404
    assert api.get(f"{URL}{world.unrouted.pk}/").status_code == 404
    response = api.get(f"{URL}{world.west.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["receipt_code"] == world.west.receipt_code
    assert body["unit_name"] == "Xã Tây"
    assert body["allowed_actions"] == ["answer", "refuse", "request-info"]
    assert response["ETag"].startswith('"')
    api.force_authenticate(None)
    assert api.get(f"{URL}{world.west.pk}/").status_code in (401, 403)


def test_the_filters_and_pages(api, cast, world):
    api.force_authenticate(cast["reform_admin"])
    assert ids(api.get(URL, {"status": "received"})) == {world.unrouted.pk}
    assert ids(api.get(URL, {"kind": "official"})) == {world.unrouted.pk}
    assert ids(api.get(URL, {"unit": cast["justice"].pk})) == {world.justice.pk}
    assert ids(api.get(URL, {"unit": cast["province"].pk})) == {world.old.pk, world.west.pk, world.justice.pk}
    assert ids(api.get(URL, {"received_from": "2026-03-01"})) == {
        world.west.pk,
        world.justice.pk,
        world.unrouted.pk,
    }
    assert ids(api.get(URL, {"received_to": "2026-02-28"})) == {world.old.pk}
    assert ids(api.get(URL, {"overdue": "true"})) == {world.old.pk}
    assert api.get(URL, {"received_from": "mùng 1"}).status_code == 400
    first = api.get(URL, {"page_size": 3}).json()
    assert first["count"] == 4 and len(first["results"]) == 3 and first["next"]
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    # Newest first, the overdue one last.
    assert second["results"][0]["id"] == world.old.pk


# -- the steps ------------------------------------------------------------------------------------


def prepare(world, cast, state: str) -> Feedback:
    """Xã Tây's feedback brought to the state an action needs."""
    feedback, officer = world.west, cast["commune_officer"]
    if state == "info_requested":
        services.request_information(actor=officer, feedback=feedback, text="Số hồ sơ?")
    if state == "answered":
        services.answer_feedback(actor=officer, feedback=feedback, text="Đã cấp giấy khai sinh.")
    return Feedback.objects.get(pk=feedback.pk)


ACTIONS = [
    # action, state before, body, right user, users who see it but may not act, status after
    ("route", "routed", "unit", "reform_admin", ["commune_officer", "leader"], FeedbackStatus.ROUTED),
    ("refuse", "routed", {"reason": "Trùng lặp"}, "commune_officer", ["leader"], FeedbackStatus.REFUSED),
    ("request-info", "routed", {"text": "Số hồ sơ?"}, "commune_officer", ["leader"], "info_requested"),
    ("info-received", "info_requested", {}, "commune_officer", ["leader"], FeedbackStatus.ROUTED),
    ("answer", "routed", {"text": "Đã giải quyết."}, "commune_officer", ["leader"], FeedbackStatus.ANSWERED),
    ("publish", "answered", {}, "commune_officer", ["leader"], FeedbackStatus.ANSWERED),
    ("close", "answered", {}, "reform_admin", ["commune_officer", "leader"], FeedbackStatus.CLOSED),
]


@pytest.mark.parametrize(("action", "state", "body", "right", "wrong", "after"), ACTIONS)
def test_each_step_for_the_right_user_only(api, cast, world, action, state, body, right, wrong, after):
    feedback = prepare(world, cast, state)
    url = f"{URL}{feedback.pk}/{action}/"
    body = {"unit": cast["east_ward"].pk} if body == "unit" else body
    trail = AuditEntry.objects.for_object(feedback).count()
    api.force_authenticate(cast["reform_admin"])
    tag = etag(api, feedback)
    # Another unit does not even find it; who sees it without the right is refused, whatever the ETag.
    api.force_authenticate(cast["justice_focal"])
    assert api.post(url, body, format="json", HTTP_IF_MATCH=tag).status_code == 404
    for user in wrong:
        api.force_authenticate(cast[user])
        assert api.post(url, body, format="json", HTTP_IF_MATCH="*").status_code == 403, user
    assert AuditEntry.objects.for_object(feedback).count() == trail
    api.force_authenticate(cast[right])
    tag = etag(api, feedback)
    response = api.post(url, body, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == after
    assert response["ETag"] != tag
    assert response["ETag"] == etag(api, feedback)  # the new ETag is the one to send next
    done = Feedback.objects.get(pk=feedback.pk)
    assert done.status == after
    entries = list(AuditEntry.objects.for_object(feedback).order_by("id"))
    assert len(entries) == trail + 1
    last = entries[-1]
    assert last.actor == cast[right]
    assert last.before["status"] == feedback.status and last.after["status"] == after
    if action == "route":
        assert done.unit == cast["east_ward"] and last.after["unit"] == cast["east_ward"].pk
    if action == "publish":
        assert done.published_at is not None and last.after["published_at"]


def test_a_step_without_if_match_is_428_and_with_an_old_etag_412(api, cast, world):
    api.force_authenticate(cast["commune_officer"])
    url = f"{URL}{world.west.pk}/answer/"
    stale = etag(api, world.west)
    response = api.post(url, {"text": "Đã giải quyết."}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    # Someone else asks for information meanwhile: the answer written on the old reading is refused.
    services.request_information(actor=cast["reform_admin"], feedback=world.west, text="Số hồ sơ?")
    response = api.post(url, {"text": "Đã giải quyết."}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["detail"] == vietnamese(
        "Someone changed this object after you read it. Read it again, check their change and "
        "send yours with the new ETag."
    )
    fresh = Feedback.objects.get(pk=world.west.pk)
    assert fresh.status == FeedbackStatus.INFO_REQUESTED and fresh.answer == ""


def test_two_writes_with_the_same_etag_the_second_is_refused(api, cast, world):
    tag = etag_as(api, cast["reform_admin"], world.west)
    assert etag_as(api, cast["commune_officer"], world.west) != tag  # each reads their own actions
    api.force_authenticate(cast["reform_admin"])
    first = api.post(
        f"{URL}{world.west.pk}/refuse/", {"reason": "Trùng lặp"}, format="json", HTTP_IF_MATCH=tag
    )
    assert first.status_code == 200
    second = api.post(f"{URL}{world.west.pk}/answer/", {"text": "Đã xong."}, format="json", HTTP_IF_MATCH=tag)
    assert second.status_code == 412
    fresh = Feedback.objects.get(pk=world.west.pk)
    assert (fresh.status, fresh.answer) == (FeedbackStatus.REFUSED, "")
    actions = list(AuditEntry.objects.for_object(fresh).values_list("action", flat=True))
    assert actions.count("feedback.refuse") == 1 and "feedback.answer" not in actions


def etag_as(api, user, feedback) -> str:
    api.force_authenticate(user)
    return etag(api, feedback)


def test_bad_input_is_400_and_a_wrong_state_409_in_vietnamese(api, cast, world):
    api.force_authenticate(cast["reform_admin"])
    url = f"{URL}{world.justice.pk}/"
    response = api.post(f"{url}answer/", {"text": ""}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400 and "text" in response.json()
    response = api.post(f"{url}route/", {"unit": 999999}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400 and "unit" in response.json()
    # Routed to a unit outside the receiving authority: the service names the field.
    services.route_feedback(actor=cast["reform_admin"], feedback=world.justice, unit=cast["justice"])
    # Not answered: nothing to publish, and the citizen did not agree to publication anyway.
    response = api.post(f"{url}publish/", format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 409
    assert response.json()["detail"] == vietnamese(
        "This cannot be done while the feedback is “%(status)s”."
    ) % {"status": vietnamese("With the responsible unit")}
    services.answer_feedback(actor=cast["reform_admin"], feedback=world.justice, text="Đã giải quyết.")
    response = api.post(f"{url}publish/", format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 409
    assert response.json()["detail"] == vietnamese("The citizen did not agree to publish the answer.")
    assert Feedback.objects.get(pk=world.justice.pk).published_at is None


def test_information_cannot_arrive_in_the_future(api, cast, world):
    prepare(world, cast, "info_requested")
    api.force_authenticate(cast["commune_officer"])
    response = api.post(
        f"{URL}{world.west.pk}/info-received/",
        {"received_at": "2026-04-01T09:00:00+07:00"},
        format="json",
        HTTP_IF_MATCH=etag(api, world.west),
    )
    assert response.status_code == 400
    assert response.json()["received_at"] == [vietnamese("The information cannot arrive in the future.")]
    assert Feedback.objects.get(pk=world.west.pk).status == FeedbackStatus.INFO_REQUESTED


def test_get_is_not_a_step(api, cast, world):
    api.force_authenticate(cast["reform_admin"])
    assert api.get(f"{URL}{world.west.pk}/close/").status_code == 405


# -- steps and history ----------------------------------------------------------------------------


def test_the_steps_and_the_history(api, cast, world):
    services.answer_feedback(actor=cast["commune_officer"], feedback=world.west, text="Đã cấp.")
    api.force_authenticate(cast["commune_officer"])
    steps = api.get(f"{URL}{world.west.pk}/steps/").json()
    assert [step["step"] for step in steps] == ["refuse", "more_info", "handle", "publish"]
    handle = steps[2]
    assert handle["done"] and handle["due"] == "2026-03-23" and handle["late"] is False
    history = api.get(f"{URL}{world.west.pk}/history/").json()
    assert [entry["action"] for entry in history] == ["feedback.receive", "feedback.answer"]
    assert history[1]["before"]["status"] == "routed" and history[1]["after"]["status"] == "answered"
    assert api.get(f"{URL}{world.justice.pk}/steps/").status_code == 404
    assert api.get(f"{URL}{world.justice.pk}/history/").status_code == 404
