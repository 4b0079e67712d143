from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Signed data exchange packages from province instances to the national instance."""

    name = "cchc.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")
