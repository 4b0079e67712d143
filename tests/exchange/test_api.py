"""The endpoint (a DRF view named `exchange-packages`, in the schema) and the national page of received
packages, with who may use each."""

import pytest
from django.urls import reverse

from cchc.exchange.models import ExchangePackage, PackageStatus
from tests.exchange.conftest import field_row, make

pytestmark = pytest.mark.django_db


def _post(client, data: bytes, token: str | None = "token-99", **headers):
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(reverse("exchange-packages"), data=data, content_type="application/zip", **headers)


def test_the_endpoint_receives_a_province_package(client, registered, settings):
    settings.CCHC_NATIONAL = True
    first = _post(client, make(registered["99"]), HTTP_ACCEPT_LANGUAGE="vi")
    assert first.status_code == 201, first.content
    assert first.json()["revision"] == 1
    again = _post(client, make(registered["99"]), HTTP_ACCEPT_LANGUAGE="vi")
    assert (again.status_code, again.json()["status"]) == (200, "unchanged")
    assert "Đã nhận, không thay đổi" in again.json()["message"]
    foreign = _post(client, make(registered["99"], [field_row("98001")]))
    assert (foreign.status_code, foreign.json()["reason"]) == (422, "out_of_scope")


def test_without_a_province_token_the_answer_is_401_and_for_a_person_403(
    client, registered, settings, reform_admin
):
    settings.CCHC_NATIONAL = True
    data = make(registered["99"])
    for token in (None, "wrong", ""):
        answer = _post(client, data, token)
        assert answer.status_code == 401, token
        assert answer["WWW-Authenticate"].startswith("Bearer")
    client.force_login(reform_admin)
    assert _post(client, data, None).status_code == 403
    assert not ExchangePackage.objects.exists()


def test_a_province_instance_has_no_endpoint_and_a_large_body_is_refused(client, registered, settings):
    settings.CCHC_NATIONAL = False
    assert _post(client, make(registered["99"])).status_code == 404
    settings.CCHC_NATIONAL = True
    settings.CCHC_EXCHANGE_MAX_BYTES = 100
    answer = _post(client, make(registered["99"]))
    assert (answer.status_code, answer.json()["reason"]) == (413, "too_large")
    assert not ExchangePackage.objects.exists()


def test_the_schema_describes_the_endpoint(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/exchange/packages/"]["post"]
    assert "application/zip" in operation["requestBody"]["content"]
    assert {"200", "201", "401", "403", "413", "422"} <= set(operation["responses"])
    assert {"provinceToken": []} in operation["security"]


def test_the_national_page_lists_packages_for_its_administrators(
    client, registered, settings, reform_admin, commune_officer
):
    settings.CCHC_NATIONAL = True
    _post(client, make(registered["99"]))
    _post(client, make(registered["99"], [field_row("99001", received=12)]))
    _post(client, make(registered["99"], [field_row("98001")]), HTTP_ACCEPT_LANGUAGE="vi")
    assert ExchangePackage.objects.filter(status=PackageStatus.REFUSED).count() == 1
    url = reverse("exchange:packages")
    client.force_login(commune_officer)
    assert client.get(url).status_code == 403
    client.force_login(reform_admin)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Tỉnh Thử Nghiệm" in text and "10/2026" in text and "2026-10" not in text
    assert text.count('data-testid="package-') == 3
    assert "out_of_scope" not in text  # the reason in words, never its key
    assert url in client.get(reverse("web:dashboard")).content.decode()  # the sidebar's entry
    settings.CCHC_NATIONAL = False
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("web:dashboard")).content.decode()
