"""The citizens' public pages: a unit's survey link, feedback with its receipt code, published answers,
and the protection of every public POST (honeypot, signed stamp, rate limit, CSRF)."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.surveys import antispam
from cchc.surveys.models import (
    Feedback,
    FeedbackStatus,
    PublicPostCount,
    SurveyAnswerValue,
    SurveyCampaign,
    SurveyResponse,
    UnitQuota,
)
from cchc.surveys.services import feedback as feedback_services
from cchc.surveys.services import sipas
from cchc.units.models import UnitType
from cchc.units.services import units as unit_services
from tests.conftest import START
from tests.surveys.conftest import satisfied_answers
from tests.test_permission_walk import PUBLIC_URLS

# Every test here posts citizens' forms: no waiting, submission counts fresh for each test.
pytestmark = pytest.mark.usefixtures("public_forms")

CONTACT = "0912 345 678, nguoidan@example.vn"


@pytest.fixture
def campaign(sipas_campaign):
    """The open campaign without its calendar period, so that these page tests do not age."""
    SurveyCampaign.objects.filter(pk=sipas_campaign.pk).update(starts_on=None, ends_on=None)
    sipas_campaign.refresh_from_db()
    return sipas_campaign


@pytest.fixture
def token(cast, campaign):
    return UnitQuota.objects.get(campaign=campaign, unit=cast["west_commune"]).link_token


def _guards(form_kind, **extra):
    return {antispam.STAMP_FIELD: antispam.new_stamp(form_kind), antispam.HONEYPOT_FIELD: ""} | extra


def _survey_data(answers, **extra):
    return _guards("survey", **{f"q-{code}": value for code, value in answers.items()}) | extra


def _post_survey(client, token, answers, **extra):
    return client.post(reverse("public:survey", args=[token]), _survey_data(answers, **extra))


def _feedback_data(**extra):
    data = {
        "kind": "procedure",
        "title": "Hồ sơ chậm trả kết quả",
        "content": "Hồ sơ cấp bản sao trích lục nộp ngày 02/11 đến nay chưa có kết quả.",
        "contact": CONTACT,
        "procedure_code": "HT-01",
        "consent_to_publish": "on",
    }
    return _guards("feedback", **(data | extra))


def _answered(cast, *, answer="Sở đã trả kết quả ngày 20/11.", consent=True, publish=False, **extra):
    received = feedback_services.receive_feedback(
        actor=None,
        organiser=cast["province"],
        kind="procedure",
        title=extra.get("title", "Chậm trả kết quả"),
        content=extra.get("content", "Hồ sơ chưa có kết quả."),
        contact=extra.get("contact", CONTACT),
        consent_to_publish=consent,
    )
    admin = cast["reform_admin"]
    routed = feedback_services.route_feedback(actor=admin, feedback=received, unit=cast["justice"])
    answered = feedback_services.answer_feedback(actor=admin, feedback=routed, text=answer)
    if publish:
        answered = feedback_services.publish_answer(actor=admin, feedback=answered)
    return answered


def _receipt_shown(response, code):
    return f'data-testid="receipt-code">{code}<' in response.content.decode()


# -- the survey -----------------------------------------------------------------------------------


def test_the_survey_opens_without_signing_in_and_an_unknown_link_is_404(client, cast, campaign, token):
    response = client.get(reverse("public:survey", args=[token]), {"ma": "ABCD2345"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="survey-form"' in body
    assert cast["west_commune"].name in body
    assert cast["province"].name in body
    # No staff navigation on a citizen's page.
    assert 'id="sidebar"' not in body and f'href="{reverse("web:dashboard")}"' not in body
    assert f'name="{antispam.STAMP_FIELD}"' in body and f'name="{antispam.HONEYPOT_FIELD}"' in body
    for question in campaign.questions.filter(kind="satisfaction"):
        assert body.count(f'name="q-{question.code}"') == 5
    assert response.context["form"]["invitation"].value() == "ABCD2345"
    assert client.get(reverse("public:survey", args=["KHONGCO"])).status_code == 404
    assert client.get(reverse("public:survey-done", args=["KHONGCO"])).status_code == 404


def test_a_good_survey_post_stores_one_response_and_shows_its_receipt(client, cast, campaign, token):
    answers = satisfied_answers(4, TC1="Đồng ý", MD="Giảm giấy tờ phải nộp", YK="Cán bộ nhiệt tình")
    response = _post_survey(client, token, answers, field="Hộ tịch")
    assert response.status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.unit == cast["west_commune"] and stored.campaign == campaign
    assert stored.channel == "web" and stored.field == "Hộ tịch"
    assert SurveyAnswerValue.objects.filter(response=stored).count() == len(answers)
    done = client.get(response["Location"])
    assert done.status_code == 200 and _receipt_shown(done, stored.receipt_code)
    assert not _receipt_shown(Client().get(response["Location"]), stored.receipt_code)  # another browser


def test_bad_answers_store_nothing_and_keep_what_was_answered(client, cast, campaign, token):
    for answers in (satisfied_answers(6), {"TC-HL": "4"}, satisfied_answers(4, TC1="Có lẽ")):
        response = _post_survey(client, token, answers)
        assert response.status_code == 200
        assert 'data-testid="form-errors"' in response.content.decode()
        assert response.context["form"]["q-TC-HL"].value() == answers["TC-HL"]
    response = _post_survey(client, token, satisfied_answers(5), invitation="ZZZZZZZZ")
    assert "invitation" in response.context["form"].errors  # refused by the service, shown on its field
    assert response.context["form"]["q-KQ-HL"].value() == "5"
    assert SurveyResponse.objects.count() == 0


def test_an_invitation_code_admits_one_response(client, cast, campaign, token):
    [invitation] = sipas.create_invitations(
        actor=cast["commune_officer"], campaign=campaign, unit=cast["west_commune"], count=1
    )
    first = _post_survey(client, token, satisfied_answers(5), invitation=invitation.code.lower())
    assert first.status_code == 302
    again = _post_survey(client, token, satisfied_answers(5), invitation=invitation.code)
    assert again.status_code == 200 and "invitation" in again.context["form"].errors
    assert SurveyResponse.objects.get().invitation == invitation


@pytest.mark.parametrize("status", ["closed", "draft"])
def test_a_survey_not_collecting_answers_says_so_and_stores_nothing(client, campaign, token, status):
    sipas.set_status(actor=None, campaign=campaign, status=status)
    response = client.get(reverse("public:survey", args=[token]))
    assert response.status_code == 200 and 'data-testid="survey-closed"' in response.content.decode()
    response = _post_survey(client, token, satisfied_answers(5))
    assert 'data-testid="survey-closed"' in response.content.decode()
    assert SurveyResponse.objects.count() == 0


# -- protection of the POSTs ----------------------------------------------------------------------


def test_a_filled_honeypot_saves_nothing(client, campaign, token):
    data = _survey_data(satisfied_answers(5)) | {antispam.HONEYPOT_FIELD: "http://spam.example"}
    response = client.post(reverse("public:survey", args=[token]), data)
    assert response.status_code == 400
    assert SurveyResponse.objects.count() == 0
    assert response.context["form"]["q-TC-HL"].value() == "5"  # a person who tripped it keeps the answers
    response = client.post(reverse("public:feedback"), _feedback_data(**{antispam.HONEYPOT_FIELD: "x"}))
    assert response.status_code == 400 and Feedback.objects.count() == 0


def test_too_quick_forged_and_expired_stamps_are_refused(client, campaign, token, settings, monkeypatch):
    url = reverse("public:survey", args=[token])
    settings.CCHC_PUBLIC_MIN_SECONDS = 3
    too_quick = _survey_data(satisfied_answers(5))
    stamp = too_quick[antispam.STAMP_FIELD]
    now = antispam._now()
    monkeypatch.setattr(antispam, "_now", lambda: now - 2 * 60 * 60 - 5)
    expired = antispam.new_stamp("survey")
    monkeypatch.setattr(antispam, "_now", lambda: now - 4)
    in_time = antispam.new_stamp("survey")
    monkeypatch.undo()
    refused = [
        too_quick,
        too_quick | {antispam.STAMP_FIELD: stamp[:-1] + ("A" if stamp[-1] != "A" else "B")},  # altered
        too_quick | {antispam.STAMP_FIELD: ""},
        too_quick | {antispam.STAMP_FIELD: antispam.new_stamp("feedback")},  # another form's stamp
        too_quick | {antispam.STAMP_FIELD: expired},
    ]
    for data in refused:
        assert client.post(url, data).status_code == 400
    assert SurveyResponse.objects.count() == 0
    assert client.post(url, too_quick | {antispam.STAMP_FIELD: in_time}).status_code == 302
    assert SurveyResponse.objects.count() == 1


def test_the_twenty_first_post_within_an_hour_gets_429(client, campaign, token):
    url = reverse("public:survey", args=[token])
    for _number in range(20):
        assert client.post(url, {}).status_code == 400  # refused, but counted
    response = client.post(url, _survey_data(satisfied_answers(5)))
    assert response.status_code == 429
    assert SurveyResponse.objects.count() == 0


def test_the_limit_is_per_client_and_form_and_slides_with_the_hour(
    client, cast, campaign, token, settings, monkeypatch
):
    settings.CCHC_PUBLIC_POSTS_PER_HOUR = 2
    address = "203.0.113.77"
    url = reverse("public:survey", args=[token])
    for _number in range(2):
        assert client.post(url, _survey_data(satisfied_answers(5)), REMOTE_ADDR=address).status_code == 302
    assert client.post(url, _survey_data(satisfied_answers(5)), REMOTE_ADDR=address).status_code == 429
    assert SurveyResponse.objects.count() == 2
    assert client.post(url, _survey_data(satisfied_answers(5)), REMOTE_ADDR="198.51.100.9").status_code == 302
    assert client.post(reverse("public:feedback"), _feedback_data(), REMOTE_ADDR=address).status_code == 302
    stored = list(PublicPostCount.objects.values_list("client", flat=True))  # the counters as written
    assert stored and not any(address in client for client in stored)
    # Last hour's posts weigh on this hour's allowance as they slide out; two hours on, nothing is left.
    later = antispam._now() + 2 * 60 * 60 + 1
    monkeypatch.setattr(antispam, "_now", lambda: later)
    stamp = {antispam.STAMP_FIELD: antispam.new_stamp("survey")}
    data = _survey_data(satisfied_answers(5)) | stamp
    assert client.post(url, data, REMOTE_ADDR=address).status_code == 302
    assert SurveyResponse.objects.count() == 4


def test_csrf_stays_on_for_the_public_forms(cast, campaign, token):
    guarded = Client(enforce_csrf_checks=True)
    assert (
        guarded.post(reverse("public:survey", args=[token]), _survey_data(satisfied_answers(5))).status_code
        == 403
    )
    assert guarded.post(reverse("public:feedback"), _feedback_data()).status_code == 403
    assert SurveyResponse.objects.count() == 0 and Feedback.objects.count() == 0


# -- feedback -------------------------------------------------------------------------------------


def test_feedback_is_received_by_the_province_from_the_web(client, cast):
    assert client.get(reverse("public:feedback")).status_code == 200
    response = client.post(reverse("public:feedback"), _feedback_data())
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.organiser == cast["province"] and feedback.channel == "web"
    assert feedback.status == FeedbackStatus.RECEIVED and feedback.created_by is None
    assert feedback.contact == CONTACT and feedback.consent_to_publish and feedback.procedure_code == "HT-01"
    done = client.get(response["Location"])
    assert _receipt_shown(done, feedback.receipt_code)
    assert not _receipt_shown(Client().get(response["Location"]), feedback.receipt_code)


def test_incomplete_feedback_is_shown_again_and_not_stored(client, cast):
    response = client.post(reverse("public:feedback"), _feedback_data(content="", kind=""))
    assert response.status_code == 200
    assert {"content", "kind"} <= set(response.context["form"].errors)
    assert response.context["form"]["title"].value() == "Hồ sơ chậm trả kết quả"
    assert Feedback.objects.count() == 0


def test_with_several_provinces_the_citizen_chooses_one(client, cast):
    other = unit_services.create_unit(
        actor=None, name="Tỉnh Bên Cạnh", type=UnitType.PROVINCE, code="98", kind="Tỉnh", valid_from=START
    )
    response = client.get(reverse("public:feedback"))
    assert 'data-testid="provinces"' in response.content.decode()
    assert client.post(reverse("public:feedback"), _feedback_data()).status_code == 200
    assert Feedback.objects.count() == 0
    response = client.post(f"{reverse('public:feedback')}?tinh=98", _feedback_data())
    assert response.status_code == 302
    assert Feedback.objects.get().organiser == other


def test_the_status_page_shows_a_feedback_only_to_its_receipt_code(client, cast):
    answered = _answered(cast, answer="Đã trả kết quả cho ông ngày 20/11.")
    waiting = feedback_services.receive_feedback(
        actor=None,
        organiser=cast["province"],
        kind="other",
        title="Đề nghị thêm ghế chờ",
        content="Thiếu ghế.",
    )
    url = reverse("public:feedback-status")
    own = client.get(url, {"ma": answered.receipt_code.lower()})
    assert own.status_code == 200
    assert answered.answer in own.content.decode() and 'data-testid="answer"' in own.content.decode()
    assert 'data-testid="rate"' in own.content.decode() and 'data-testid="reopen"' in own.content.decode()
    assert CONTACT not in own.content.decode()
    other = client.get(url, {"ma": waiting.receipt_code}).content.decode()
    assert waiting.title in other and answered.answer not in other and answered.title not in other
    assert 'data-testid="rate"' not in other and 'data-testid="reopen"' not in other
    for wrong in ("PA2345678999", answered.receipt_code[:-1], "' OR 1=1 --"):
        response = client.get(url, {"ma": wrong})
        body = response.content.decode()
        assert response.status_code == 200 and 'data-testid="not-found"' in body
        assert (
            answered.title not in body
            and answered.answer not in body
            and 'data-testid="feedback"' not in body
        )
    blank = client.get(url).content.decode()
    assert 'data-testid="not-found"' not in blank and 'data-testid="feedback"' not in blank


def test_rating_and_reopening_change_the_feedback(client, cast):
    answered = _answered(cast)
    code = answered.receipt_code
    rate = client.post(
        reverse("public:feedback-rate"), _guards("feedback-rate", code=code.lower(), rating="unsatisfied")
    )
    assert rate.status_code == 302 and rate["Location"].endswith(f"?ma={code}")
    answered.refresh_from_db()
    assert answered.rating == "unsatisfied" and answered.rated_at is not None
    reopen = client.post(
        reverse("public:feedback-reopen"),
        _guards("feedback-reopen", code=code, reason="Chưa nhận được bản sao."),
    )
    assert reopen.status_code == 302
    answered.refresh_from_db()
    assert answered.reopened_count == 1 and answered.status == FeedbackStatus.ROUTED
    assert answered.reopen_reason == "Chưa nhận được bản sao."
    page = client.get(reverse("public:feedback-status"), {"ma": code}).content.decode()
    assert answered.answer not in page  # the old answer is no longer the answer
    assert 'data-testid="rate"' not in page and 'data-testid="reopen"' not in page


def test_refused_rating_and_reopening_change_nothing(client, cast):
    answered = _answered(cast)
    waiting = feedback_services.receive_feedback(
        actor=None, organiser=cast["province"], kind="other", title="Góp ý", content="Nội dung."
    )
    posts = [
        ("feedback-rate", {"code": waiting.receipt_code, "rating": "satisfied"}),  # not answered yet
        ("feedback-rate", {"code": "PA2345678999", "rating": "satisfied"}),
        ("feedback-rate", {"code": answered.receipt_code, "rating": "perfect"}),
        ("feedback-reopen", {"code": answered.receipt_code, "reason": "  "}),
        ("feedback-reopen", {"code": waiting.receipt_code, "reason": "Chưa xử lý."}),
        ("feedback-reopen", {"code": "PA2345678999", "reason": "Chưa xử lý."}),
    ]
    for name, data in posts:
        response = client.post(reverse(f"public:{name}"), _guards(name, **data))
        assert response.status_code == 200, name
    stamped_for_rating = _guards("feedback-rate", code=answered.receipt_code, reason="Chưa xử lý.")
    assert client.post(reverse("public:feedback-reopen"), stamped_for_rating).status_code == 400
    answered.refresh_from_db()
    waiting.refresh_from_db()
    assert (
        answered.rating == "" and answered.reopened_count == 0 and answered.status == FeedbackStatus.ANSWERED
    )
    assert waiting.rating == "" and waiting.reopened_count == 0 and waiting.status == FeedbackStatus.RECEIVED
    assert client.get(reverse("public:feedback-rate")).status_code == 405


def test_only_published_answers_are_listed_without_codes_or_contacts(client, cast):
    published = _answered(cast, publish=True, title="Công khai", answer="Trả lời công khai.")
    _answered(cast, title="Chưa công khai", answer="Trả lời chưa công khai.")
    _answered(cast, consent=False, title="Không đồng ý", answer="Trả lời riêng.")
    reopened = _answered(cast, publish=True, title="Mở lại", answer="Trả lời cũ.")
    feedback_services.reopen_feedback(receipt_code=reopened.receipt_code, reason="Chưa thỏa đáng.")
    response = client.get(reverse("public:feedback-published"))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["page"].paginator.count == 1
    assert published.title in body and published.answer in body
    for hidden in ("Chưa công khai", "Không đồng ý", "Trả lời riêng.", "Trả lời cũ.", CONTACT):
        assert hidden not in body
    assert published.receipt_code not in body and reopened.receipt_code not in body


def test_published_answers_come_newest_first_in_pages(client, cast):
    for number in range(23):
        _answered(cast, publish=True, title=f"Phản ánh số {number:02d}", answer=f"Trả lời {number:02d}.")
    first = client.get(reverse("public:feedback-published"))
    titles = [item.title for item in first.context["page"]]
    assert titles[0] == "Phản ánh số 22" and len(titles) == 20
    second = client.get(reverse("public:feedback-published"), {"page": 2})
    assert [item.title for item in second.context["page"]] == [
        "Phản ánh số 02",
        "Phản ánh số 01",
        "Phản ánh số 00",
    ]


# -- the list of public pages ---------------------------------------------------------------------


def _public_names(resolver=None):
    """Every named page of the "public" namespace, wherever it is included."""
    for entry in (resolver or get_resolver()).url_patterns:
        if getattr(entry, "namespace", None) == "public":
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern):
                    yield f"public:{pattern.name}"
        elif isinstance(entry, URLResolver) and entry.namespace is None:
            yield from _public_names(entry)


def test_every_public_page_is_declared_and_opens_without_an_account(client, cast, token):
    names = set(_public_names())
    assert names == {name for name in PUBLIC_URLS if name.startswith("public:")}
    for name in names:
        args = [token] if name.startswith("public:survey") else None
        response = client.get(reverse(name, args=args))
        assert response.status_code in (200, 405), f"{name} answered {response.status_code}"


def test_behind_a_proxy_the_rate_limit_counts_the_forwarded_address(settings, rf):
    from cchc.surveys.antispam import client_key

    settings.CCHC_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    first = rf.post("/phan-anh/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
    second = rf.post("/phan-anh/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.6")
    assert client_key(first, "feedback") != client_key(second, "feedback")
    settings.CCHC_CLIENT_ADDRESS_HEADER = ""
    assert client_key(first, "feedback") == client_key(second, "feedback")


def test_a_forwarded_list_counts_the_address_the_proxy_appended_not_the_clients_choice(settings, rf):
    """nginx's `$proxy_add_x_forwarded_for` appends the real address to whatever the client sent: a
    robot that varies the first entry must not get a fresh allowance with each post."""
    from cchc.surveys.antispam import client_key

    settings.CCHC_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    one = rf.post("/phan-anh/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    other = rf.post("/phan-anh/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2, 203.0.113.5")
    assert client_key(one, "feedback") == client_key(other, "feedback")
