"""Named API keys: made on the page "Khoá API", stored as a hash, acting with one role, revoked, audited."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.accounts import api_tokens, services
from cchc.accounts.models import ApiToken, Role, RoleAssignment
from cchc.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def make_key(user, role=None, unit=None, name="Đồng bộ", **kwargs):
    """A key of `user` acting with their role `role` on `unit` (their only role when not given)."""
    assignments = user.role_assignments.all()
    if role is not None:
        assignments = assignments.filter(role=role)
    if unit is not None:
        assignments = assignments.filter(unit=unit)
    return api_tokens.create_token(
        actor=user, owner=user, name=name, role_assignment=assignments.get(), **kwargs
    )


def shows_secret(response):
    return "accounts/api_token_secret.html" in [template.name for template in response.templates]


def with_key(api, key, scheme="Bearer"):
    api.credentials(HTTP_AUTHORIZATION=f"{scheme} {key}")
    return api


def test_the_page_shows_the_secret_once_and_keeps_only_its_hash(as_user, cast):
    focal = cast["justice_focal"]
    client = as_user(focal)
    page = client.get(reverse("accounts:api-token-create"))
    assert page.status_code == 200 and "Sở Tư pháp" in page.content.decode()
    assignment = focal.role_assignments.get()
    response = client.post(
        reverse("accounts:api-token-create"),
        {"name": "Đồng bộ một cửa", "role_assignment": assignment.pk, "expires_on": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")
    key = response.context["key"]
    assert key.startswith("cchc_") and key in response.content.decode()
    token = ApiToken.objects.get(owner=focal)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in [getattr(token, field.attname) for field in ApiToken._meta.concrete_fields]
    assert token.prefix == key[: len(token.prefix)] and len(token.prefix) < 15
    assert token.expires_on == timezone.localdate() + datetime.timedelta(days=365)
    listing = client.get(reverse("accounts:api-tokens")).content.decode()
    assert "Đồng bộ một cửa" in listing and token.prefix in listing and key not in listing
    entry = AuditEntry.objects.get(action="accounts.token.create")
    assert entry.unit == cast["justice"] and key not in str(entry.after)


def test_a_name_is_unique_per_owner_and_the_role_must_be_ones_own(as_user, cast):
    focal = cast["justice_focal"]
    make_key(focal, name="Đồng bộ")
    client = as_user(focal)
    response = client.post(
        reverse("accounts:api-token-create"),
        {"name": "đồng bộ", "role_assignment": focal.role_assignments.get().pk},
    )
    assert response.status_code == 200 and not shows_secret(response)
    other = cast["commune_officer"].role_assignments.get()
    response = client.post(
        reverse("accounts:api-token-create"), {"name": "Khác", "role_assignment": other.pk}
    )
    assert not shows_secret(response)
    assert ApiToken.objects.filter(owner=focal).count() == 1


def test_an_end_date_beyond_the_longest_life_is_refused_in_vietnamese(client, cast, settings):
    settings.CCHC_API_KEY_MAX_DAYS = 30
    focal = cast["justice_focal"]
    latest = timezone.localdate() + datetime.timedelta(days=30)
    fields = {"name": "Đồng bộ", "role_assignment": focal.role_assignments.get().pk}
    client.force_login(focal)
    too_late = latest + datetime.timedelta(days=1)
    response = client.post(
        reverse("accounts:api-token-create"), {**fields, "expires_on": too_late.isoformat()}
    )
    assert not shows_secret(response) and not ApiToken.objects.exists()
    assert f"Khoá chỉ được có hiệu lực đến hết ngày {latest:%d/%m/%Y}." in response.content.decode()
    response = client.post(reverse("accounts:api-token-create"), {**fields, "expires_on": latest.isoformat()})
    assert shows_secret(response) and ApiToken.objects.get().expires_on == latest


def test_the_key_opens_the_api_and_its_last_use_is_shown(api, as_user, cast, time_machine):
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    token, key = make_key(cast["justice_focal"])
    assert with_key(api, key).get("/api/v1/units/").status_code == 200
    assert with_key(api, key, scheme="Token").get("/api/v1/units/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_from == "127.0.0.1"
    first = token.last_used_at
    time_machine.move_to("2026-03-02 08:00:30 +07:00", tick=False)
    with_key(api, key).get("/api/v1/units/")
    token.refresh_from_db()
    assert token.last_used_at == first  # written at most once a minute
    time_machine.move_to("2026-03-02 08:02 +07:00", tick=False)
    with_key(api, key).get("/api/v1/units/")
    token.refresh_from_db()
    assert token.last_used_at > first
    page = as_user(cast["justice_focal"]).get(reverse("accounts:api-tokens"))
    assert "02/03/2026" in page.content.decode().split('data-testid="last-used"')[1][:80]


def test_the_key_acts_with_its_one_role_only(api, cast):
    focal = cast["justice_focal"]
    services.grant_role(actor=None, user=focal, unit=cast["west_commune"], role=Role.FOCAL_POINT)
    _token, key = make_key(focal, unit=cast["justice"])
    west = f"/api/v1/units/{cast['west_commune'].pk}/"
    api.force_authenticate(focal)
    assert api.get(west).status_code == 200  # the person, signed in, holds both roles
    api.force_authenticate(None)
    assert with_key(api, key).get(west).status_code == 404
    assert with_key(api, key).get(f"/api/v1/units/{cast['justice'].pk}/").status_code == 200
    # A focal point enters its unit's data but issues no plan: the key may not either.
    body = {
        "issuing_unit": cast["justice"].pk,
        "title": "Kế hoạch của Sở",
        "year_from": 2026,
        "year_to": 2026,
    }
    assert with_key(api, key).post("/api/v1/plans/", body).status_code == 403


def test_a_superusers_key_is_not_a_superuser(api, cast):
    root = cast["leader"]
    root.is_superuser = root.is_staff = True
    root.save()
    RoleAssignment.objects.filter(user=root).delete()
    services.grant_role(actor=None, user=root, unit=cast["west_commune"], role=Role.VIEWER)
    _token, key = make_key(root)
    assert with_key(api, key).get(f"/api/v1/units/{cast['justice'].pk}/").status_code == 404
    users = with_key(api, key).get("/api/v1/users/").json()["results"]
    assert "stp.daumoi" not in [row["username"] for row in users]
    entries = with_key(api, key).get("/api/v1/audit/").json()["results"]
    assert all(row["unit"] in (None, cast["west_commune"].pk) for row in entries)
    assert all(row["unit"] is not None for row in entries)  # entries of no unit need a whole province


@pytest.mark.parametrize("case", ["revoked", "expired", "unknown", "role withdrawn", "deactivated"])
def test_a_key_that_no_longer_works_is_refused_in_vietnamese(api, cast, case, time_machine):
    time_machine.move_to("2026-03-02 08:00 +07:00", tick=False)
    focal = cast["justice_focal"]
    token, key = make_key(focal, expires_on=datetime.date(2026, 3, 31))
    assert with_key(api, key).get("/api/v1/units/").status_code == 200
    if case == "revoked":
        api_tokens.revoke_token(actor=focal, token=token)
    elif case == "expired":
        time_machine.move_to("2026-04-01 08:00 +07:00", tick=False)
    elif case == "unknown":
        key = key[:-2] + ("AA" if not key.endswith("AA") else "BB")
    elif case == "role withdrawn":
        services.revoke_role(actor=None, assignment=focal.role_assignments.get())
    else:
        services.set_active(actor=cast["reform_admin"], user=focal, active=False)
    response = with_key(api, key).get("/api/v1/units/")
    assert response.status_code == 401
    detail = response.json()["detail"]
    assert any(word in detail for word in ("khoá", "Khoá", "tài khoản", "Tài khoản")), detail
    assert response.has_header("WWW-Authenticate")


def test_an_api_write_names_the_key_in_the_audit_trail(api, as_user, cast):
    admin = cast["reform_admin"]
    _token, key = make_key(admin, role=Role.REFORM_OFFICE, name="Phần mềm kế hoạch")
    body = {
        "issuing_unit": cast["province"].pk,
        "title": "Kế hoạch CCHC 2026",
        "year_from": 2026,
        "year_to": 2026,
    }
    response = with_key(api, key).post("/api/v1/plans/", body)
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.filter(object_id=str(response.json()["id"])).exclude(via="").get()
    assert entry.actor == admin and entry.via == "qua khoá API «Phần mềm kế hoạch»"
    row = with_key(api, key).get(f"/api/v1/audit/{entry.pk}/").json()
    assert row["via"] == "qua khoá API «Phần mềm kế hoạch»"
    page = as_user(admin).get(reverse("core:audit")).content.decode()
    assert (
        '<div class="small text-muted" data-testid="audit-via">qua khoá API «Phần mềm kế hoạch»</div>' in page
    )
    # The same write from a web session names no key.
    api.credentials()
    api.force_authenticate(admin)
    assert api.post("/api/v1/plans/", {**body, "title": "Kế hoạch khác"}).status_code == 201
    assert AuditEntry.objects.filter(action="plan.create", via="").exists()


def test_nobody_else_sees_or_revokes_a_key(as_user, cast):
    token, _key = make_key(cast["justice_focal"])
    client = as_user(cast["commune_officer"])
    assert token.prefix not in client.get(reverse("accounts:api-tokens")).content.decode()
    url = reverse("accounts:api-token-revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_administrator_revokes_the_keys_of_their_scope_only(as_user, cast):
    token, _key = make_key(cast["justice_focal"])
    admin = cast["reform_admin"]
    client = as_user(admin)
    listing = client.get(reverse("accounts:api-tokens")).content.decode()
    assert token.prefix in listing and "Trần Văn Đầu Mối" in listing
    url = reverse("accounts:api-token-revoke", args=[token.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin
    entry = AuditEntry.objects.get(action="accounts.token.revoke")
    assert entry.actor == admin and entry.unit == cast["justice"]
    # An administrator of Sở Tư pháp alone reaches no key of Xã Tây.
    services.grant_role(actor=None, user=cast["leader"], unit=cast["justice"], role=Role.ADMINISTRATOR)
    outside, _key = make_key(cast["commune_officer"])
    other = as_user(cast["leader"])
    assert outside.prefix not in other.get(reverse("accounts:api-tokens")).content.decode()
    assert other.post(reverse("accounts:api-token-revoke", args=[outside.pk])).status_code == 404
    outside.refresh_from_db()
    assert outside.revoked_at is None


def test_a_forged_post_changes_nothing(cast):
    token, _key = make_key(cast["justice_focal"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["justice_focal"])
    url = reverse("accounts:api-token-revoke", args=[token.pk])
    assert client.post(url).status_code == 403
    focal = cast["justice_focal"]
    create = client.post(
        reverse("accounts:api-token-create"),
        {"name": "Lén", "role_assignment": focal.role_assignments.get().pk},
    )
    assert create.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1


def test_the_page_offers_keys_from_the_account_menu(as_user, cast):
    page = as_user(cast["justice_focal"]).get(reverse("web:dashboard")).content.decode()
    assert reverse("accounts:api-tokens") in page


def test_a_write_with_the_older_sign_in_token_names_that_channel(api, cast):
    token = api.post("/api/v1/auth/token/", {"username": "snv.admin", "password": "mat-khau-thu-1"})
    assert token.status_code == 200, token.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    body = {
        "issuing_unit": cast["province"].pk,
        "title": "Kế hoạch qua mã",
        "year_from": 2026,
        "year_to": 2026,
    }
    response = api.post("/api/v1/plans/", body)
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.get(action="plan.create", object_id=str(response.json()["id"]))
    assert entry.via == "qua mã truy cập API cấp khi đăng nhập"
