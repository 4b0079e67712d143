"""Every kind of API error reaches the client in Vietnamese, never in the English of DRF, django-filter
or Django, and a missing object never names its model.

Each test makes one request that triggers one family of error (as a client would, with no language
cookie and whatever Accept-Language its HTTP library sends) and compares the text with the Vietnamese
one; the English text it replaces is asserted absent, so a catalogue that loses an entry fails here.
"""

import datetime

import pytest
from django.utils import translation
from rest_framework import exceptions

from cchc.core.api import exception_handler
from cchc.plans.services import tasks as task_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api, cast):
    """The province's reform office on the API, with an English-speaking HTTP client."""
    api.force_authenticate(cast["reform_admin"])
    api.credentials(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    return api


def plan_body(cast, **changes):
    body = {"issuing_unit": cast["province"].pk, "title": "Kế hoạch CCHC 2027", "year_from": 2027}
    body.update(changes)
    return body


def errors_of(response, field):
    assert response.status_code == 400, response.content
    return response.json()[field]


def test_a_missing_object_is_not_found_without_its_model_name(admin_api):
    response = admin_api.get("/api/v1/plans/987654/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    assert "Plan" not in response.content.decode()


def test_an_object_out_of_scope_reads_the_same_as_a_missing_one(api, cast):
    api.force_authenticate(cast["commune_officer"])
    response = api.get(f"/api/v1/units/{cast['justice'].pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_an_invalid_page(admin_api, cast):
    response = admin_api.get("/api/v1/units/", {"page": 99})
    assert response.status_code == 404
    assert response.json() == {"detail": "Trang không hợp lệ."}


def test_a_bad_primary_key_in_a_body(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", plan_body(cast, issuing_unit=987654), format="json")
    assert errors_of(response, "issuing_unit") == ["Mã “987654” không hợp lệ: không có đối tượng này."]


def test_a_primary_key_of_the_wrong_type(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", plan_body(cast, issuing_unit="ba"), format="json")
    assert errors_of(response, "issuing_unit") == ["Sai kiểu dữ liệu: cần mã khoá chính, nhận được str."]


def test_null_where_a_value_is_required(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", plan_body(cast, title=None), format="json")
    assert errors_of(response, "title") == ["Trường này không được để trống (null)."]


def test_a_missing_required_field(admin_api, cast):
    body = plan_body(cast)
    del body["title"]
    response = admin_api.post("/api/v1/plans/", body, format="json")
    assert errors_of(response, "title") == ["Trường này là bắt buộc."]


def test_not_a_whole_number(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", plan_body(cast, year_from="hai nghìn"), format="json")
    assert errors_of(response, "year_from") == ["Cần một số nguyên hợp lệ."]


def test_not_a_string(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", plan_body(cast, title={"a": 1}), format="json")
    assert errors_of(response, "title") == ["Không phải chuỗi ký tự hợp lệ."]


def test_too_long(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", plan_body(cast, title="x" * 2000), format="json")
    [message] = errors_of(response, "title")
    assert message.startswith("Trường này không được dài quá ")
    assert message.endswith(" ký tự.")


def test_a_date_in_the_wrong_format(admin_api, cast, draft_plan):
    body = {
        "plan": draft_plan.pk,
        "text": "Rà soát",
        "lead_unit": cast["justice"].pk,
        "deadline": "31-12-2026x",
    }
    response = admin_api.post("/api/v1/tasks/", body, format="json")
    [message] = errors_of(response, "deadline")
    assert message.startswith("Ngày sai định dạng. Hãy dùng một trong các định dạng sau: ")
    assert "wrong format" not in message


def test_not_a_boolean(admin_api, cast, draft_plan):
    task = task_services.add_task(
        actor=cast["reform_admin"],
        plan=draft_plan,
        text="Rà soát thủ tục hành chính",
        lead_unit=cast["province"],
        deadline=datetime.date(2026, 6, 30),
    )
    update = task_services.report_progress(
        actor=cast["reform_admin"], task=task, status=task.status, progress=40, narrative="Đã rà soát."
    )
    response = admin_api.post(f"/api/v1/task-updates/{update.pk}/review/", {"accept": "có lẽ"}, format="json")
    assert errors_of(response, "accept") == ["Cần một giá trị đúng/sai (boolean) hợp lệ."]


def test_a_filter_choice_that_does_not_exist(admin_api, draft_plan):
    response = admin_api.get("/api/v1/plans/", {"status": "bogus"})
    [message] = errors_of(response, "status")
    assert "bogus" in message
    assert "Select a valid choice" not in message
    assert message.startswith("Hãy chọn")


def test_a_filter_number_that_is_not_one(admin_api, draft_plan):
    response = admin_api.get("/api/v1/plans/", {"year_from": "abc"})
    assert errors_of(response, "year_from") == ["Nhập một số."]


def test_a_filter_object_that_does_not_exist(admin_api, draft_plan):
    response = admin_api.get("/api/v1/plans/", {"issuing_unit": 987654})
    [message] = errors_of(response, "issuing_unit")
    assert "Select a valid choice" not in message
    assert message.startswith("Hãy chọn")


def test_no_credentials(api, cast):
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = api.get("/api/v1/units/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Chưa cung cấp thông tin xác thực (khoá API hoặc đăng nhập)."}


def test_a_wrong_token(api, cast):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = api.get("/api/v1/units/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Mã truy cập API này không hợp lệ")


def test_a_token_header_with_spaces(api, cast):
    api.credentials(HTTP_AUTHORIZATION="Token not a token")
    response = api.get("/api/v1/units/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Tiêu đề khoá API không hợp lệ: khoá không được chứa dấu cách."}


def test_a_method_not_allowed(admin_api, draft_plan):
    response = admin_api.delete(f"/api/v1/plans/{draft_plan.pk}/")
    assert response.status_code == 405
    assert response.json() == {"detail": "Phương thức “DELETE” không được phép."}


def test_an_unsupported_content_type(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", "title=x", content_type="text/plain")
    assert response.status_code == 415
    assert response.json() == {"detail": "Kiểu nội dung “text/plain” trong yêu cầu không được hỗ trợ."}


def test_malformed_json(admin_api, cast):
    response = admin_api.post("/api/v1/plans/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nội dung gửi lên không phải JSON hợp lệ: lỗi ở dòng 1, cột 2."}


def test_a_language_cookie_still_gives_english(api, cast, settings):
    """The UI's language menu also switches the API: someone who chose English reads English."""
    api.force_authenticate(cast["reform_admin"])
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert api.get("/api/v1/plans/987654/").json() == {"detail": "Not found."}


def test_a_filter_date_that_is_not_one(admin_api):
    """Django's own form messages (through django-filter) come from Django's Vietnamese catalogue."""
    response = admin_api.get("/api/v1/audit/", {"date_from": "hôm qua"})
    [message] = errors_of(response, "date_from")
    assert message != "Enter a valid date."
    assert message == "Nhập một ngày hợp lệ."


def test_an_answer_format_that_cannot_be_given(admin_api):
    response = admin_api.get("/api/v1/units/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json() == {"detail": "Không trả được định dạng mà tiêu đề Accept của yêu cầu đòi hỏi."}


def test_throttling_in_vietnamese():
    """No endpoint throttles yet (so no request to make): the handler's answer once one does."""
    with translation.override("vi"):
        response = exception_handler(exceptions.Throttled(wait=30), {})
        assert response.status_code == 429
        assert response.data == {"detail": "Bạn gửi quá nhiều yêu cầu. Hãy thử lại sau 30 giây."}
