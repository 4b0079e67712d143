"""Role assignments decide everything a user sees and changes; they cover the unit and all below it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.accounts import services
from cchc.accounts.models import Role, RoleAssignment
from cchc.accounts.permissions import (
    ADMINISTER,
    APPRAISE,
    ENTER,
    PLAN,
    VIEW,
    has_global_permission,
    has_unit_permission,
    scope_paths,
)
from cchc.core.models import AuditEntry
from cchc.units.models import Unit

pytestmark = pytest.mark.django_db


def test_a_focal_point_covers_its_unit_and_sub_units_only(cast):
    focal = cast["justice_focal"]
    assert has_unit_permission(focal, ENTER, cast["justice"])
    assert has_unit_permission(focal, ENTER, cast["justice_division"])
    assert not has_unit_permission(focal, ENTER, cast["home_affairs"])
    assert not has_unit_permission(focal, VIEW, cast["province"])
    assert not has_unit_permission(focal, APPRAISE, cast["justice"])


def test_scoped_querysets_follow_the_unit_tree(cast):
    visible = set(Unit.objects.for_user(cast["justice_focal"]).values_list("name", flat=True))
    assert visible == {"Sở Tư pháp", "Phòng Hành chính tư pháp"}
    assert Unit.objects.for_user(cast["leader"]).count() == 6


def test_a_viewer_reads_everything_below_but_changes_nothing(cast):
    leader = cast["leader"]
    assert has_unit_permission(leader, VIEW, cast["west_commune"])
    for action in (ENTER, PLAN, ADMINISTER):
        assert not has_unit_permission(leader, action, cast["west_commune"])


def test_the_reform_office_plans_province_wide(cast):
    assert has_unit_permission(cast["reform_admin"], PLAN, cast["east_ward"])
    assert not has_unit_permission(cast["justice_focal"], PLAN, cast["justice"])


def test_global_settings_need_administration_of_a_top_level_unit(cast):
    assert has_global_permission(cast["reform_admin"], ADMINISTER)
    assert not has_global_permission(cast["leader"], ADMINISTER)
    services.grant_role(
        actor=None, user=cast["commune_officer"], unit=cast["west_commune"], role=Role.ADMINISTRATOR
    )
    assert not has_global_permission(cast["commune_officer"], ADMINISTER)


def test_inactive_and_anonymous_users_see_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    focal = cast["justice_focal"]
    services.set_active(actor=cast["reform_admin"], user=focal, active=False)
    focal.refresh_from_db()
    assert Unit.objects.for_user(focal).count() == 0
    assert Unit.objects.for_user(AnonymousUser()).count() == 0


def test_unknown_action_is_a_programming_error(cast):
    with pytest.raises(ValueError):
        scope_paths(cast["leader"], "fly")


def test_granting_a_role_is_audited_and_takes_effect_at_once(cast):
    officer = cast["commune_officer"]
    assert not has_unit_permission(officer, VIEW, cast["east_ward"])
    services.grant_role(actor=cast["reform_admin"], user=officer, unit=cast["east_ward"], role=Role.VIEWER)
    assert has_unit_permission(officer, VIEW, cast["east_ward"])
    entry = AuditEntry.objects.filter(action="role.grant", unit=cast["east_ward"]).get()
    assert entry.actor == cast["reform_admin"]
    assert entry.after["role"] == "viewer"


def test_only_an_administrator_of_the_unit_may_grant_roles_there(cast):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=cast["justice_focal"], user=cast["commune_officer"], unit=cast["justice"], role=Role.VIEWER
        )
    assert not RoleAssignment.objects.filter(user=cast["commune_officer"], unit=cast["justice"]).exists()


def test_revoking_a_role_is_audited(cast):
    assignment = RoleAssignment.objects.get(user=cast["justice_focal"])
    services.revoke_role(actor=cast["reform_admin"], assignment=assignment)
    assert not has_unit_permission(cast["justice_focal"], VIEW, cast["justice"])
    assert AuditEntry.objects.filter(action="role.revoke", unit=cast["justice"]).exists()


def test_unknown_role_and_taken_user_name_are_refused(cast):
    with pytest.raises(ValidationError):
        services.grant_role(actor=None, user=cast["leader"], unit=cast["justice"], role="king")
    with pytest.raises(ValidationError):
        services.create_user(actor=None, username="LANHDAO", password="x")


def test_whoever_sees_a_unit_reads_the_units_it_came_from(cast):
    import datetime

    from cchc.units.models import UnitType
    from cchc.units.services import units as unit_services

    old_province = unit_services.create_unit(
        actor=None,
        name="Tỉnh Trước Sáp Nhập",
        type=UnitType.PROVINCE,
        code="97",
        valid_to=datetime.date(2025, 6, 30),
    )
    old_commune = unit_services.create_unit(
        actor=None,
        name="Xã Cũ",
        type=UnitType.COMMUNE,
        code="97001",
        parent=old_province,
        valid_to=datetime.date(2025, 6, 30),
    )
    unrelated = unit_services.create_unit(
        actor=None,
        name="Xã Khác",
        type=UnitType.COMMUNE,
        code="97002",
        parent=old_province,
        valid_to=datetime.date(2025, 6, 30),
    )
    unit_services.add_lineage(
        actor=None,
        predecessor=old_commune,
        successor=cast["west_commune"],
        relation="merge",
        effective_date=datetime.date(2025, 7, 1),
    )
    officer = cast["commune_officer"]
    assert has_unit_permission(officer, VIEW, old_commune)
    assert not has_unit_permission(officer, ENTER, old_commune)
    assert not has_unit_permission(officer, VIEW, unrelated)
    assert not has_unit_permission(officer, VIEW, old_province)
    # Province-level lineage opens the whole old province to the new province's people.
    unit_services.add_lineage(
        actor=None,
        predecessor=old_province,
        successor=cast["province"],
        relation="merge",
        effective_date=datetime.date(2025, 7, 1),
    )
    leader = cast["leader"]
    assert has_unit_permission(leader, VIEW, unrelated)
    assert not has_unit_permission(cast["reform_admin"], ADMINISTER, unrelated)
