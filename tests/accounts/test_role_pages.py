"""Granting and withdrawing roles from a unit's page."""

import pytest
from django.urls import reverse

from cchc.accounts.models import RoleAssignment
from cchc.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_grants_a_role_by_user_name(client, cast):
    client.force_login(cast["reform_admin"])
    url = reverse("accounts:grant-role", args=[cast["justice"].pk])
    response = client.post(url, {"username": "XATAY.CANBO", "role": "viewer"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("units:detail", args=[cast["justice"].pk])
    assert RoleAssignment.objects.filter(
        user=cast["commune_officer"], unit=cast["justice"], role="viewer"
    ).exists()
    assert AuditEntry.objects.filter(
        action="role.grant", actor=cast["reform_admin"], unit=cast["justice"]
    ).exists()


def test_an_unknown_user_name_is_explained_and_nothing_changes(client, cast):
    client.force_login(cast["reform_admin"])
    before = RoleAssignment.objects.count()
    response = client.post(
        reverse("accounts:grant-role", args=[cast["justice"].pk]),
        {"username": "khong.co", "role": "viewer"},
        follow=True,
    )
    assert "khong.co" in response.content.decode()
    assert RoleAssignment.objects.count() == before


def test_a_forged_role_is_refused(client, cast):
    client.force_login(cast["reform_admin"])
    client.post(
        reverse("accounts:grant-role", args=[cast["justice"].pk]), {"username": "lanhdao", "role": "king"}
    )
    assert not RoleAssignment.objects.filter(role="king").exists()


def test_a_focal_point_cannot_grant_roles_on_its_own_unit(client, cast):
    client.force_login(cast["justice_focal"])
    response = client.post(
        reverse("accounts:grant-role", args=[cast["justice"].pk]), {"username": "lanhdao", "role": "leader"}
    )
    assert response.status_code == 403
    assert not RoleAssignment.objects.filter(user=cast["leader"], unit=cast["justice"]).exists()


def test_withdrawing_a_role(client, cast):
    assignment = RoleAssignment.objects.get(user=cast["justice_focal"])
    client.force_login(cast["justice_focal"])
    assert client.post(reverse("accounts:revoke-role", args=[assignment.pk])).status_code == 403
    client.force_login(cast["reform_admin"])
    client.post(reverse("accounts:revoke-role", args=[assignment.pk]))
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke", unit=cast["justice"]).exists()


def test_role_endpoints_refuse_get(client, cast):
    client.force_login(cast["reform_admin"])
    assert client.get(reverse("accounts:grant-role", args=[cast["justice"].pk])).status_code == 405
