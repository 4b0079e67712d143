"""Fixtures for the calendar tests: a clean calendar cache, and the shipped overrides present."""

import pytest
from django.apps import apps as django_apps

from cchc.workdays import calendar, official
from cchc.workdays.models import CalendarOverride


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test starts from the database, not from a calendar another test left in the cache."""
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


@pytest.fixture
def official_data(db):
    """The overrides the migration ships, put back if a transactional test elsewhere flushed them."""
    if not CalendarOverride.objects.exists():
        official.install(django_apps)
    calendar.invalidate_cache()
