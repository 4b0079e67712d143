from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = _("Plans, targets and tasks")

    def ready(self):
        # Publishing the module's metrics is an import side effect: the registry fills at start-up.
        from cchc.plans import metrics  # noqa: F401
