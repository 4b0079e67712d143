"""Users and role assignments. Role changes go through the services so they are checked and audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cchc.accounts import services
from cchc.accounts.models import RoleAssignment, User
from cchc.core.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "position", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Official"), {"fields": ["full_name", "position", "phone"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # People who acted stay named in the audit trail: deactivate instead.
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["unit"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        assignment = services.grant_role(actor=request.user, user=obj.user, unit=obj.unit, role=obj.role)
        obj.pk = assignment.pk

    def delete_model(self, request, obj):
        services.revoke_role(actor=request.user, assignment=obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
