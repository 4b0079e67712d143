"""Named API keys, from the review: signing out with a key, the end date's last day, an administrator of
a lower unit, a double submission of the form, and the list's queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.accounts import api_tokens, services
from cchc.accounts.models import ApiToken, Role
from cchc.core.models import AuditEntry
from tests.accounts.test_api_tokens import make_key, with_key

pytestmark = pytest.mark.django_db


def test_signing_out_with_a_named_key_revokes_that_key_and_nothing_else(api, cast):
    focal = cast["justice_focal"]
    token, key = make_key(focal)
    _other, other_key = make_key(focal, name="Báo cáo")
    session_token = services.issue_api_token(user=focal)
    assert with_key(api, key).post("/api/v1/auth/logout/").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == focal
    assert with_key(api, key).get("/api/v1/units/").status_code == 401
    # The owner's other key and their per-user token still work: the program signed out, not the person.
    assert with_key(api, other_key).get("/api/v1/units/").status_code == 200
    assert with_key(api, session_token.key, scheme="Token").get("/api/v1/units/").status_code == 200
    entry = AuditEntry.objects.get(action="accounts.token.revoke")
    assert entry.object_id == str(token.pk) and entry.via == "qua khoá API «Đồng bộ»"
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()


def test_a_key_works_through_its_last_day_and_stops_at_midnight(api, cast, time_machine):
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    _token, key = make_key(cast["justice_focal"], expires_on=datetime.date(2026, 3, 31))
    time_machine.move_to("2026-03-31 23:59:30 +07:00", tick=False)
    assert with_key(api, key).get("/api/v1/units/").status_code == 200
    time_machine.move_to("2026-04-01 00:00:05 +07:00", tick=False)
    assert with_key(api, key).get("/api/v1/units/").status_code == 401


def test_an_administrator_of_a_lower_unit_gets_404_for_a_province_key(as_user, cast):
    province_key, _key = make_key(cast["reform_admin"], role=Role.REFORM_OFFICE)
    agency_admin = cast["leader"]
    services.grant_role(actor=None, user=agency_admin, unit=cast["justice"], role=Role.ADMINISTRATOR)
    client = as_user(agency_admin)
    assert province_key.prefix not in client.get(reverse("accounts:api-tokens")).content.decode()
    url = reverse("accounts:api-token-revoke", args=[province_key.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    province_key.refresh_from_db()
    assert province_key.revoked_at is None
    assert not AuditEntry.objects.filter(action="accounts.token.revoke").exists()


def test_a_second_submission_with_the_same_name_is_a_form_error_not_a_500(as_user, cast, monkeypatch):
    focal = cast["justice_focal"]
    make_key(focal, name="Đồng bộ")
    # The second of two simultaneous submissions: its check for the name ran before the first was saved.
    monkeypatch.setattr(api_tokens, "_name_taken", lambda owner, name: False)
    response = as_user(focal).post(
        reverse("accounts:api-token-create"),
        {"name": "Đồng bộ", "role_assignment": focal.role_assignments.get().pk},
    )
    assert response.status_code == 200
    assert "api_token_secret.html" not in [template.name for template in response.templates]
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.filter(owner=focal).count() == 1
    assert AuditEntry.objects.filter(action="accounts.token.create").count() == 1


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:api-tokens")).status_code == 200
    return len(queries)


def test_the_list_reads_who_revoked_each_key_without_a_query_per_row(as_user, cast):
    focal, admin = cast["justice_focal"], cast["reform_admin"]
    client = as_user(admin)
    first, _key = make_key(focal, name="Khoá 0")
    api_tokens.revoke_token(actor=admin, token=first)
    api_tokens.revoke_token(actor=admin, token=make_key(admin, role=Role.REFORM_OFFICE, name="Riêng")[0])
    one = _list_queries(client)
    for number in range(1, 5):
        token, _key = make_key(focal, name=f"Khoá {number}")
        api_tokens.revoke_token(actor=admin, token=token)
        token, _key = make_key(admin, role=Role.REFORM_OFFICE, name=f"Riêng {number}")
        api_tokens.revoke_token(actor=admin, token=token)
    page = client.get(reverse("accounts:api-tokens")).content.decode()
    assert "Nguyễn Thị Quản Trị" in page.split('data-testid="token-state"')[1][:300]
    assert _list_queries(client) == one


def test_the_list_and_the_secret_page_read_right_in_vietnamese(client, cast):
    focal = cast["justice_focal"]
    make_key(focal, name="Đồng bộ")
    client.force_login(focal)
    listing = client.get(reverse("accounts:api-tokens")).content.decode()
    header = listing.split("<thead>")[1].split("</thead>")[0]
    # "Created" is also the count of records an import added ("Thêm mới"): the key's column is a date.
    assert "<th>Ngày tạo</th>" in header and "Thêm mới" not in header
    secret = client.post(
        reverse("accounts:api-token-create"),
        {"name": "Báo cáo", "role_assignment": focal.role_assignments.get().pk},
    ).content.decode()
    assert 'for="api-key-secret">Khoá API</label>' in secret


def test_markup_in_a_key_name_stays_text_on_every_page_that_shows_it(api, as_user, cast):
    # The walk of tests/e2e/test_markup_injection.py has no key yet: these are the pages naming one.
    admin = cast["reform_admin"]
    name = '<img src=x onerror="alert(1)">Đồng bộ'
    client = as_user(admin)
    secret = client.post(
        reverse("accounts:api-token-create"),
        {"name": name, "role_assignment": admin.role_assignments.get(role=Role.REFORM_OFFICE).pk},
    )
    key, token = secret.context["key"], secret.context["token"]
    body = {"issuing_unit": cast["province"].pk, "title": "Kế hoạch", "year_from": 2026, "year_to": 2026}
    assert with_key(api, key).post("/api/v1/plans/", body).status_code == 201
    pages = [
        secret,
        client.get(reverse("accounts:api-tokens")),
        client.get(reverse("accounts:api-token-revoke", args=[token.pk])),
        client.get(reverse("core:audit")),
    ]
    for page in pages:
        html = page.content.decode()
        assert "<img src=x" not in html and "&lt;img src=x" in html, page.request["PATH_INFO"]


def test_settings_of_no_unit_follow_the_keys_role_not_the_owners(api, cast):
    # The calendar needs ADMINISTER on a top-level unit (has_global_permission): the province's
    # administrator holds it, but a key made with their reform-office role does not, nor a superuser's.
    admin = cast["reform_admin"]
    _office, office_key = make_key(admin, role=Role.REFORM_OFFICE, name="Báo cáo")
    _admin, admin_key = make_key(admin, role=Role.ADMINISTRATOR, name="Lịch")
    overrides = "/api/v1/workdays/overrides/"
    day = {"date": "2026-03-06", "kind": "day_off", "name": "Nghỉ do bão", "reason": "Bão số 3"}
    assert with_key(api, office_key).post(overrides, day, format="json").status_code == 403
    root = cast["leader"]  # a viewer of the province
    root.is_superuser = True
    root.save()
    _root, root_key = make_key(root)
    assert with_key(api, root_key).post(overrides, day, format="json").status_code == 403
    assert not AuditEntry.objects.filter(action="calendar_override.create", actor__isnull=False).exists()
    assert with_key(api, admin_key).post(overrides, day, format="json").status_code == 201
    entry = AuditEntry.objects.get(action="calendar_override.create", actor__isnull=False)
    assert entry.actor == admin and entry.via == "qua khoá API «Lịch»"
