from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, roles and the scoping rules."""

    name = "cchc.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Models below this app scope their rows through core.scoping; give it the rules.
        from cchc.accounts import checks, permissions, signals  # noqa: F401 (signals and checks connect)
        from cchc.core import scoping

        scoping.install(permissions)
