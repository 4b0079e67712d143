"""A stand-in feed server on a loopback port and a feed source pointing at it."""

import pytest

from cchc.onestop.models import FeedSource
from tests.onestop.feed.standin import Standin, serve, url_of


@pytest.fixture
def standin():
    """25 records (FEED-00000 … FEED-00024), one a minute from 05/01/2026 08:00."""
    data = Standin(25)
    server = serve(data)
    data.url = url_of(server)
    yield data
    server.shutdown()
    server.server_close()


@pytest.fixture
def source(db, standin, justice, procedures, settings):
    settings.CCHC_FEED_BACKOFF_SECONDS = 0.01
    return FeedSource.objects.create(
        name="Hệ thống một cửa tỉnh",
        base_url=standin.url,
        credentials="Bearer bi-mat-1234",
        page_size=10,
        timeout_seconds=1,
        max_retries=3,
    )
