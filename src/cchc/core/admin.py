"""Configuration screens. Changes made here are audited like any other change."""

from django.contrib import admin
from django.db import transaction

from cchc.core import audit
from cchc.core.models import AuditEntry, LegalDocument, SystemSetting


def concrete_fields(obj) -> list[str]:
    return [field.name for field in obj._meta.concrete_fields if field.name not in {"password", "id"}]


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an audit entry for every save and delete made in the admin, in the same transaction."""

    def save_model(self, request, obj, form, change):
        fields = concrete_fields(obj)
        before = None
        if change:
            stored = type(obj).objects.get(pk=obj.pk)
            before = audit.snapshot(stored, fields)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
                obj=obj,
                before=before,
                after=audit.snapshot(obj, fields),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=f"{obj._meta.model_name}.delete",
                obj=obj,
                before=audit.snapshot(obj, concrete_fields(obj)),
            )
            super().delete_model(request, obj)

    def get_actions(self, request):
        # Bulk delete bypasses delete_model and so the audit trail.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(LegalDocument)
class LegalDocumentAdmin(AuditedModelAdmin):
    list_display = ["number", "issued_on", "issuer", "title", "verified"]
    list_filter = ["verified", "issuer"]
    search_fields = ["number", "title"]


@admin.register(SystemSetting)
class SystemSettingAdmin(AuditedModelAdmin):
    list_display = ["key", "value"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries can be searched here but never changed or removed."""

    list_display = ["at", "actor_label", "action", "object_repr", "unit"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
