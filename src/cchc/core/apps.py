from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cchc.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app names its audit actions in its own `audit_labels` module; core never imports apps.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("audit_labels")
