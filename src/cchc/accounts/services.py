"""Creating users and granting or revoking roles; every change is audited."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.accounts.models import Role, RoleAssignment, User
from cchc.accounts.permissions import ADMINISTER, forget_cached_scope, has_unit_permission
from cchc.core import audit
from cchc.units.models import Unit

USER_FIELDS = ["username", "full_name", "email", "phone", "position", "is_active"]


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    position: str = "",
) -> User:
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("A user name is required.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The user name %(name)s is taken.") % {"name": username}})
    user = User(
        username=username, full_name=full_name.strip(), email=email.strip(), phone=phone, position=position
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor=actor, action="user.create", obj=user, after=audit.snapshot(user, USER_FIELDS))
    return user


@transaction.atomic
def grant_role(*, actor: Any, user: User, unit: Unit, role: str) -> RoleAssignment:
    if actor is not None and not has_unit_permission(actor, ADMINISTER, unit):
        raise PermissionDenied(_("You cannot assign roles on %(unit)s.") % {"unit": unit.name})
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit.record(
            actor=actor,
            action="role.grant",
            obj=user,
            unit=unit,
            after={"role": role, "unit": unit.pk, "unit_name": unit.name},
        )
    forget_cached_scope(user)
    return assignment


@transaction.atomic
def revoke_role(*, actor: Any, assignment: RoleAssignment) -> None:
    if actor is not None and not has_unit_permission(actor, ADMINISTER, assignment.unit):
        raise PermissionDenied(_("You cannot change roles on %(unit)s.") % {"unit": assignment.unit.name})
    audit.record(
        actor=actor,
        action="role.revoke",
        obj=assignment.user,
        unit=assignment.unit,
        before={"role": assignment.role, "unit": assignment.unit_id, "unit_name": assignment.unit.name},
    )
    assignment.delete()
    forget_cached_scope(assignment.user)


@transaction.atomic
def set_active(*, actor: Any, user: User, active: bool) -> User:
    """Deactivate instead of deleting: a user who acted stays named in the audit trail."""
    before = audit.snapshot(user, USER_FIELDS)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        obj=user,
        before=before,
        after=audit.snapshot(user, USER_FIELDS),
    )
    return user
