"""A start-up check: CCHC_REQUIRE_2FA_ROLES names only existing roles (a typo would require nothing)."""

from django.conf import settings
from django.core.checks import Error, register

from cchc.accounts.models import Role


@register()
def two_factor_roles_exist(app_configs, **kwargs):
    unknown = [code for code in settings.CCHC_REQUIRE_2FA_ROLES if code not in Role.values]
    if not unknown:
        return []
    return [
        Error(
            f"CCHC_REQUIRE_2FA_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use role codes among: {', '.join(Role.values)}.",
            id="cchc.accounts.E001",
        )
    ]
