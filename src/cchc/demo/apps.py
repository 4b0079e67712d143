"""The demo app: installed only so that Django finds its `demo` management command."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cchc.demo"
    label = "demo"
    verbose_name = "Demonstration data"
