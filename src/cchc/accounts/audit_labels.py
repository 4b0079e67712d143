"""Names of this app's audit actions for the change log (read by cchc.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from cchc.core.audit_labels import register

register(
    actions={
        "accounts.token.create": _("API key created"),
        "accounts.token.revoke": _("API key revoked"),
        "api_token.issue": _("API token issued"),
        "api_token.revoke": _("API token revoked"),
        "role.grant": _("Role granted"),
        "role.revoke": _("Role revoked"),
        "user.activate": _("Account activated"),
        "user.create": _("Account created"),
        "user.deactivate": _("Account deactivated"),
        "user.two_factor_off": _("Two-step sign-in turned off"),
        "user.two_factor_on": _("Two-step sign-in turned on"),
    },
    # A role is recorded on the user it is granted to; its values are the assignment's fields.
    models={"role.grant": "accounts.RoleAssignment", "role.revoke": "accounts.RoleAssignment"},
)
