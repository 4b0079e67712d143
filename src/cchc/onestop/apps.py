from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "cchc.onestop"
    verbose_name = _("One-stop dossiers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the metrics that plan targets and the PAR Index read.
        from cchc.onestop import metrics  # noqa: F401
