from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys and citizen feedback")

    def ready(self):
        # Publishing the module's metrics is an import side effect: the registry fills at start-up.
        from cchc.surveys import metrics  # noqa: F401
