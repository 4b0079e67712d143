"""Users and the roles they hold on units."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ADMINISTER, ScopedQuerySet, scope_filter


class User(AbstractUser):
    """A person who signs in: an official of an agency or commune, or a leader.

    What they may see and do comes only from their role assignments (and `is_superuser`
    for the technical administrator of the installation).
    """

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("e.g. Chuyên viên, Phó Giám đốc")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._password_changed = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_changed = True

    def save(self, *args, **kwargs):
        # A new password ends the user's API token, whichever way it was set (the admin, `cchc
        # changepassword`, a reset link), and so does turning password sign-in off: a token taken with
        # the old password must not outlive it. Web sessions end by themselves, since Django signs them
        # with the password hash. Django also calls set_password when it re-hashes the same password at
        # sign-in (a stronger hasher after an upgrade); it then clears `_password`, and that is no change.
        changed = (
            getattr(self, "_password_changed", False)
            and self.pk is not None
            and (self._password is not None or not self.has_usable_password())
        )
        super().save(*args, **kwargs)
        if changed:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()
        self._password_changed = False


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    REFORM_OFFICE = "reform_office", _("Reform office (Sở Nội vụ)")
    FOCAL_POINT = "focal_point", _("Unit focal point")
    LEADER = "leader", _("Unit leader")
    APPRAISER = "appraiser", _("Appraiser")
    VIEWER = "viewer", _("Viewer")


class RoleAssignment(models.Model):
    """A user's role on a unit. It covers the unit and every unit below it."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit.name}"


class ApiTokenQuerySet(ScopedQuerySet):
    """Keys are their owner's secret: others see a key only when they administer the unit it acts on."""

    scope_path = "role_assignment__unit__path"

    def scope(self, user, action: str) -> Q:
        administered = scope_filter(user, ADMINISTER, self.scope_path)
        if not getattr(user, "is_authenticated", False):
            return administered
        return administered | (Q(owner=user) & scope_filter(user, action, self.scope_path))


class ApiToken(models.Model):
    """A named, long-lived key for the API that acts with one of its owner's roles on that role's unit only.

    Only the SHA-256 hash of the key is stored, with a short visible prefix to tell keys apart: a copy
    of the database gives no working key. The secret is shown once, when the key is made. Nothing is
    deleted: a revoked key stays listed (and named in the audit trail) with who revoked it and when.
    Whether a key opens the API is decided in `accounts.api_token_auth`.
    """

    owner = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key begins with"), max_length=20)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # SET_NULL, not CASCADE: withdrawing the role ends the key (the authenticator refuses a key without
    # its role) but keeps it listed, so the owner sees why it stopped working.
    role_assignment = models.ForeignKey(
        RoleAssignment,
        verbose_name=_("role"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="api_tokens",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["owner", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="api_token_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
