"""A running import's heartbeat must not vanish from the shared cache while the job is alive: the
sweep takes a job without one for a dead one. The file cache deletes a third of its entries at random
once it holds MAX_ENTRIES of them, and the dashboard's counts add a new entry every minute."""

from django.conf import settings as django_settings
from django.core.cache import cache

from cchc.onestop.services import jobs


def test_a_busy_cache_keeps_the_heartbeat_of_a_running_job(settings, tmp_path):
    # The project's own cache, in a folder of the test's own.
    settings.CACHES = {"default": {**django_settings.CACHES["default"], "LOCATION": str(tmp_path)}}
    cache.set(jobs.heartbeat_key(1), 1234.5, jobs.PROGRESS_SECONDS)
    for minute in range(1_000):  # about a day of the dashboard's per-minute counts
        cache.set(f"onestop:pending:{minute}", minute, 60)
    assert cache.get(jobs.heartbeat_key(1)) == 1234.5
