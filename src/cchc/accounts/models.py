"""Users and the roles they hold on units."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import ScopedQuerySet


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
