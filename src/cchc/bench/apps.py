"""The bench app: installed only so that Django finds its `bench` management command."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "cchc.bench"
    label = "bench"
    verbose_name = "Benchmarks"
