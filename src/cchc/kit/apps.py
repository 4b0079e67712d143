from django.apps import AppConfig


class KitConfig(AppConfig):
    """An app only so that Django finds the kit's templates (the field and period-picker partials)."""

    name = "cchc.kit"
    label = "kit"
    verbose_name = "Shared kit"
