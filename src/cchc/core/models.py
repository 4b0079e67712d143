"""Models shared by every app: legal documents, the audit trail and site-wide settings."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.scoping import has_global_permission, scope_filter


class LegalDocument(models.Model):
    """A legal text (decision, decree, official letter) that a rule, a threshold or a calendar row rests on.

    Every number that comes from the law points at one of these, so the interface can say
    where it comes from and a change of law is a change of data.
    """

    number = models.CharField(_("number and symbol"), max_length=100, help_text=_("e.g. 19/2025/QĐ-TTg"))
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    verified = models.BooleanField(
        _("verified against the text"),
        default=True,
        help_text=_("Unticked when the reference is known only from a secondary source."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["-issued_on", "number"]
        constraints = [models.UniqueConstraint(fields=["number", "issued_on"], name="legal_document_unique")]

    def __str__(self) -> str:
        if self.issued_on:
            return f"{self.number} ({self.issued_on:%d/%m/%Y})"
        return self.number


class AuditEntryQuerySet(models.QuerySet):
    """Audit entries can be added and read, never changed or removed through the ORM."""

    def update(self, **kwargs):
        raise PermissionDenied("Audit entries are immutable.")

    def delete(self):
        raise PermissionDenied("Audit entries are immutable.")

    def for_user(self, user, action: str = "view"):
        """Entries about units the user may see; entries tied to no unit (users, the calendar) only
        for those who see a whole province, since they may name people of any unit."""
        condition = scope_filter(user, action, "unit__path")
        if has_global_permission(user, action):
            condition |= models.Q(unit__isnull=True)
        return self.filter(condition)

    def for_object(self, obj):
        return self.filter(object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One change made through a service: who, when, what, on which object and unit, before and after.

    Written in the same transaction as the change it records. Never updated or deleted:
    the ORM refuses and, in the database, a trigger refuses UPDATE (see migration 0002).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for changes made by the system itself (imports from the command line, jobs)."),
    )
    actor_label = models.CharField(_("user name"), max_length=200, blank=True)
    # How the person acted when not in person on the web, e.g. "qua khoá API «Đồng bộ»" (core.audit).
    via = models.CharField(_("via"), max_length=200, blank=True, default="")
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit entries are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries are immutable.")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs; used by the history pages."""
        before = self.before or {}
        after = self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(key, before.get(key), after.get(key)) for key in keys if before.get(key) != after.get(key)]


class SystemSetting(models.Model):
    """A site-wide switch or value that is not law, e.g. whether this database holds demonstration data."""

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField(null=True)

    class Meta:
        verbose_name = _("system setting")
        verbose_name_plural = _("system settings")

    def __str__(self) -> str:
        # The change log names a setting by this; the demo's marks ("demo_surveys") read as one phrase.
        if self.key.startswith("demo_"):
            return str(_("demonstration data loaded"))
        return self.key
