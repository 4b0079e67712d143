"""Fetching one page of a one-stop system's feed, with retries and exponential backoff.

The protocol (docs/onestop-feed.md): GET {base_url}?updated_since=<ISO>&after=<code>&limit=N answers
{"items": [...], "next": {...} | null}, the items in ascending (update time, dossier code) order,
all strictly after the (updated_since, after) pair. Only the standard library is used: one GET of
JSON does not justify a new dependency.
"""

import datetime
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

UPDATED_FIELD = "NgayCapNhat"  # the record's update time, added by the source to the portal's fields
CODE_FIELD = "MaHoSo"
MAX_PAGE_BYTES = 64 * 2**20  # a bound against a source that never stops sending


class FeedUnavailable(Exception):
    """The source did not answer usably after every retry; the message is for the official.
    `retries`: the requests repeated before giving up (counted on the run)."""

    def __init__(self, message: str, retries: int = 0) -> None:
        super().__init__(message)
        self.retries = retries


class _Transient(Exception):
    """A failure worth retrying: a timeout, a refused connection, a 5xx answer."""


@dataclass
class Page:
    items: list[Any]
    has_next: bool
    retries: int


def page_url(base_url: str, since: datetime.datetime | None, after: str, limit: int) -> str:
    query: dict[str, str] = {"limit": str(limit)}
    if since is not None:
        query["updated_since"] = since.isoformat()
        query["after"] = after
    separator = "&" if urllib.parse.urlsplit(base_url).query else "?"
    return f"{base_url}{separator}{urllib.parse.urlencode(query)}"


def fetch_page(
    source: Any,
    since: datetime.datetime | None,
    after: str,
    *,
    beat: Callable[[], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Page:
    """One page from `source` (a FeedSource), retrying transient failures `source.max_retries` times
    with waits of base, 2·base, 4·base … seconds (CCHC_FEED_BACKOFF_SECONDS). `beat` is called before
    every attempt, so that a run waiting on a slow source does not look dead."""
    url = page_url(source.base_url, since, after, source.page_size)
    base = float(settings.CCHC_FEED_BACKOFF_SECONDS)
    last = ""
    for attempt in range(source.max_retries + 1):
        if attempt:
            sleep(base * 2 ** (attempt - 1))
        if beat:
            beat()
        try:
            data = _get_json(url, source)
        except _Transient as error:
            last = str(error)
            continue
        except FeedUnavailable as error:
            error.retries = attempt
            raise
        return _page(data, attempt)
    raise FeedUnavailable(
        _("The source did not answer after %(tries)s attempts (%(error)s).")
        % {"tries": source.max_retries + 1, "error": last},
        retries=source.max_retries,
    )


def _get_json(url: str, source: Any) -> Any:
    headers = {"Accept": "application/json"}
    if source.credentials:
        headers["Authorization"] = source.credentials
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=source.timeout_seconds) as response:
            body = _read(response, time.monotonic() + source.timeout_seconds)
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            raise _Transient(_("the source answered with error %(code)s") % {"code": error.code}) from error
        # 4xx: a wrong address or credentials; retrying would only repeat it.
        raise FeedUnavailable(
            _("The source refused the request (error %(code)s): check its address and credentials.")
            % {"code": error.code}
        ) from error
    except TimeoutError as error:
        raise _Transient(_("no answer within the time limit")) from error
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        raise _Transient(_("the connection failed")) from error
    if len(body) > MAX_PAGE_BYTES:
        raise FeedUnavailable(_("The source sent a page larger than allowed."))
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than Python's stack
        # A page cut short by the network reads as broken JSON: worth another try.
        raise _Transient(_("the answer was not valid JSON")) from error


def _read(response: Any, deadline: float) -> bytes:
    """The body, at most MAX_PAGE_BYTES + 1 bytes, read by the end of `deadline`: the socket's time
    limit holds for each read only, and a source sending a few bytes at a time would otherwise keep
    the run (and the source's schedule) waiting for ever, without a heartbeat."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_PAGE_BYTES:
        chunk = response.read1(min(2**16, MAX_PAGE_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


def _page(data: Any, retries: int) -> Page:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedUnavailable(
            _('The answer of the source has no "items" list; check the address of the API.')
        )
    return Page(items=data["items"], has_next=bool(data.get("next")), retries=retries)
