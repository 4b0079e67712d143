"""Creating users, granting or revoking roles, API tokens and two-step sign-in; every change is audited."""

import datetime
from typing import Any

import django_otp
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

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


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(hours=settings.CCHC_API_TOKEN_HOURS)


def token_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


@transaction.atomic
def issue_api_token(*, user: User) -> Token:
    """The user's API token: the current one while it is valid, else a new one (one token per user)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    if token is not None:
        token.delete()
    token = Token.objects.create(user=user)
    audit.record(
        actor=user, action="api_token.issue", obj=user, after={"expires": token_expires_at(token).isoformat()}
    )
    return token


@transaction.atomic
def revoke_api_tokens(*, actor: Any, user: User, reason: str) -> int:
    """Delete the user's API tokens (on signing out, by API or on the web); audited when one existed."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor=actor, action="api_token.revoke", obj=user, reason=reason)
    return deleted


def pending_totp_device(*, user: User, fresh: bool = False) -> TOTPDevice:
    """The authenticator the user is setting up (not yet confirmed), made on first need.

    With `fresh`, any earlier unconfirmed one is replaced by one with a new secret: a secret shown once
    (to someone who then held the password, or on a screen seen by others) must not become the
    secret the owner confirms later.
    """
    if fresh:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="CCHC", confirmed=False)


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice, code: str) -> bool:
    """Turn two-step sign-in on once the user shows a code from the new device; False if the code is wrong."""
    if django_otp.verify_token(user, device.persistent_id, code.strip()) is None:
        return False
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit.record(actor=user, action="user.two_factor_on", obj=user)
    return True


@transaction.atomic
def remove_totp_devices(*, actor: Any, user: User, reason: str = "") -> None:
    """Turn two-step sign-in off (the user, or an administrator for someone who lost their phone)."""
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor=actor, action="user.two_factor_off", obj=user, reason=reason)
