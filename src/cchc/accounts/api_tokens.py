"""Named API keys (`ApiToken`): making, revoking, finding one by its secret, and who may see which.

A key reads `cchc_` followed by 43 random URL-safe characters. Only its SHA-256 hash is kept, with the
first characters (`prefix`) to tell keys apart on the page. A key acts with one of its owner's role
assignments, on that role's unit only (see `permissions.scope_paths`).
"""

import datetime
import hashlib
import ipaddress
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.accounts.models import ApiToken, RoleAssignment, User
from cchc.accounts.permissions import ADMINISTER, has_unit_permission, scope_filter
from cchc.core import audit

KEY_PREFIX = "cchc_"
VISIBLE_CHARS = len(KEY_PREFIX) + 6
# The last use is written at most this often per key, so a busy client does not write on every call.
USE_PRECISION = datetime.timedelta(minutes=1)
AUDIT_FIELDS = ["name", "prefix", "role_assignment", "expires_on", "revoked_at"]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.CCHC_API_KEY_DAYS)


def _details(token: ApiToken) -> dict[str, Any]:
    values = audit.snapshot(token, AUDIT_FIELDS)
    assignment = token.role_assignment
    if assignment is not None:  # kept by name, so the entry still reads once the role is withdrawn
        values["unit_name"] = assignment.unit.name
    return values


@transaction.atomic
def create_token(
    *,
    actor: Any,
    owner: User,
    name: str,
    role_assignment: RoleAssignment,
    expires_on: datetime.date | None = None,
) -> tuple[ApiToken, str]:
    """A new key for `owner` and its secret, which is not kept: the caller shows it once."""
    if actor is not None and actor.pk != owner.pk:
        # Keys are made by their owner only: an administrator could otherwise act as anyone.
        raise PermissionDenied(_("You may only make API keys for yourself."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the key a name.")})
    if _name_taken(owner, name):
        raise _name_error(name)
    if role_assignment.user_id != owner.pk:
        raise ValidationError({"role_assignment": _("Choose one of your own roles.")})
    if expires_on is None:
        expires_on = default_expiry()
    if expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("The end date has already passed.")})
    latest = timezone.localdate() + datetime.timedelta(days=settings.CCHC_API_KEY_MAX_DAYS)
    if expires_on > latest:
        raise ValidationError(
            {
                "expires_on": _("A key may last until %(date)s at the latest.")
                % {"date": latest.strftime("%d/%m/%Y")}
            }
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    try:
        # A form sent twice (a double click): both requests may pass the check above before either
        # saves; the unique constraint then refuses the second, which must read as the same error.
        with transaction.atomic():
            token = ApiToken.objects.create(
                owner=owner,
                name=name,
                prefix=key[:VISIBLE_CHARS],
                key_hash=hash_key(key),
                role_assignment=role_assignment,
                created_by=audit.signed_in(actor),
                expires_on=expires_on,
            )
    except IntegrityError:
        raise _name_error(name) from None
    audit.record(
        actor=actor,
        action="accounts.token.create",
        obj=token,
        unit=role_assignment.unit,
        after=_details(token),
    )
    return token, key


def _name_taken(owner: User, name: str) -> bool:
    # Compared in Python: SQLite folds the case of ASCII letters only, and names are Vietnamese.
    taken = ApiToken.objects.filter(owner=owner).values_list("name", flat=True)
    return any(other.casefold() == name.casefold() for other in taken)


def _name_error(name: str) -> ValidationError:
    return ValidationError({"name": _("You already have a key called %(name)s.") % {"name": name}})


def may_revoke(user: Any, token: ApiToken) -> bool:
    """The owner, or whoever administers the unit the key acts on."""
    if token.owner_id == user.pk:
        return True
    return token.role_assignment is not None and has_unit_permission(
        user, ADMINISTER, token.role_assignment.unit
    )


@transaction.atomic
def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """The key stops working at once; revoking it again changes nothing."""
    # Only the key row is locked: PostgreSQL refuses FOR UPDATE on the outer join to a withdrawn role.
    token = (
        ApiToken.objects.select_for_update(of=("self",))
        .select_related("owner", "role_assignment__unit")
        .get(pk=token.pk)
    )
    if actor is not None and not may_revoke(actor, token):
        raise PermissionDenied(_("You may not revoke this key."))
    if token.revoked_at is not None:
        return token
    before = _details(token)
    token.revoked_at = timezone.now()
    token.revoked_by = audit.signed_in(actor)
    token.save(update_fields=["revoked_at", "revoked_by"])
    unit = token.role_assignment.unit if token.role_assignment else None
    audit.record(
        actor=actor,
        action="accounts.token.revoke",
        obj=token,
        unit=unit,
        before=before,
        after=_details(token),
    )
    return token


def is_expired(token: ApiToken) -> bool:
    return token.expires_on is not None and timezone.localdate() > token.expires_on


def state(token: ApiToken) -> str:
    """What the page says of the key: revoked, expired, without its role, or working."""
    if token.revoked_at is not None:
        return _("revoked")
    if is_expired(token):
        return _("expired")
    if token.role_assignment_id is None:
        return _("role withdrawn")
    if not token.owner.is_active:
        return _("account deactivated")
    return _("active")


def find_by_key(key: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("owner", "role_assignment__unit")
        .filter(key_hash=hash_key(key))
        .first()
    )


def note_use(token: ApiToken, address: str | None) -> None:
    """Write the last use (time and address), at most once a minute per key; not audited."""
    now = timezone.now()
    try:
        address = str(ipaddress.ip_address(address or ""))
    except ValueError:
        address = None  # a proxy header holding something else must not break the call
    if token.last_used_at is not None and now - token.last_used_at < USE_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address


# Everything the list and the revocation page show of a key, read with the key (no query per row).
SHOWN_WITH = ("owner", "role_assignment__unit", "revoked_by")


def own_tokens(user: User):
    return ApiToken.objects.filter(owner=user).select_related(*SHOWN_WITH)


def administered_tokens(user: User):
    """Other people's keys acting on units the user administers (none for someone who administers nothing)."""
    condition = scope_filter(user, ADMINISTER, "role_assignment__unit__path")
    return (
        ApiToken.objects.filter(condition, role_assignment__isnull=False)
        .exclude(owner=user)
        .select_related(*SHOWN_WITH)
        .order_by("owner__username", "-created_at")
    )


def visible_tokens(user: User):
    """The keys a person may open: their own and those of the units they administer."""
    return ApiToken.objects.filter(
        Q(owner=user) | Q(pk__in=ApiToken.objects.for_user(user, ADMINISTER).values("pk"))
    ).select_related(*SHOWN_WITH)
