"""Users and role assignments. Role changes go through the services so they are checked and audited."""

import rest_framework.authtoken.admin  # noqa: F401 (registers TokenProxy, unregistered below)
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

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


# The admin pages that django-otp and DRF register for authenticators and API tokens would show a
# device's secret and every token (whoever reads one can act as its owner, in the owner's name in the
# audit trail) and let an administrator make either for someone else. API tokens get no admin page at
# all (a token's text is its name on every admin page and in the admin's log); an administrator ends
# one with a new password or by deactivating the account. Authenticators can only be removed (a lost
# phone), audited; their owners set them up on the set-up page.
admin.site.unregister(TOTPDevice)
admin.site.unregister(TokenProxy)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(TOTPDeviceAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.remove_totp_devices(
            actor=request.user, user=obj.user, reason=gettext("Removed by an administrator.")
        )

    def get_actions(self, request):
        return {}
