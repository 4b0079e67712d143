"""The counts of pending dossiers shared between requests (`onestop.queries.live`) are never read back
once the dossiers changed, even after the version key expired or was evicted from the cache."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.backends import filebased
from django.utils import timezone

from cchc.onestop.queries.live import VERSION_KEY, cached_pending, dossiers_changed

pytestmark = pytest.mark.django_db


def _counter(value: int):
    return lambda units, now: {unit.pk: (value, 0) for unit in units}


@pytest.fixture
def shared_for_an_hour(settings):
    settings.CCHC_ONESTOP_LIVE_SECONDS = 3600
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "live-counts"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CCHC_ONESTOP_LIVE_SECONDS = 3600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    cache.clear()
    yield
    cache.clear()


def test_counts_from_before_a_change_are_not_found_after_the_version_was_evicted(
    province, shared_for_an_hour
):
    now = timezone.now()
    assert cached_pending([province], now, _counter(1))[province.pk] == (1, 0)
    dossiers_changed()
    assert cached_pending([province], now, _counter(2))[province.pk] == (2, 0)
    cache.delete(VERSION_KEY)  # culled by a full cache
    assert cached_pending([province], now, _counter(3))[province.pk] == (3, 0)
    assert cached_pending([province], now, _counter(4))[province.pk] == (3, 0)  # shared again


def test_the_version_outlives_the_file_caches_default_expiry(province, file_cache):
    now = timezone.now()
    assert cached_pending([province], now, _counter(1))[province.pk] == (1, 0)
    dossiers_changed()
    dossiers_changed()
    assert cached_pending([province], now, _counter(2))[province.pk] == (2, 0)
    later = now.timestamp() + 10 * 60  # the file cache's default expiry (5 minutes) has passed
    with mock.patch.object(filebased.time, "time", return_value=later):
        assert cached_pending([province], now, _counter(3))[province.pk] == (2, 0)
