"""Webhook fixtures: a real HTTP receiver on 127.0.0.1 that records what it is sent, subscriptions, and
queued tasks run in the test once the service's transaction commits."""

import http.server
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from cchc.webhooks import services
from cchc.webhooks.models import EventType
from tests.plans.reports.conftest import (  # noqa: F401  (fixtures)
    commune_leader,
    justice_leader,
    plan,
    q1,
    report,
    rounds,
)


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    headers: Any  # the request's headers, read without regard to case
    body: bytes


@dataclass
class Receiver:
    """What the receiver answers: `fail_first` requests get `fail_status`, then `status` (200), each
    after `delay` seconds."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    fail_first: int = 0
    fail_status: int = 500
    status: int = 200
    delay: float = 0.0  # seconds to wait before answering (to outlast the sender's timeout)


@pytest.fixture
def receiver():
    state = Receiver()
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.requests.append(Received(self.path, self.headers, body))
                failing = len(state.requests) <= state.fail_first
            time.sleep(state.delay)
            self.send_response(state.fail_status if failing else state.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/cchc-hook"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    """Short timeouts and few attempts, for every webhook test; `committed` (tests/conftest.py) adds the
    immediate task backend where a test wants its jobs run at once."""
    settings.CCHC_WEBHOOK_TIMEOUT_SECONDS = 2
    settings.CCHC_WEBHOOK_MAX_ATTEMPTS = 3
    settings.CCHC_WEBHOOK_RETRY_SECONDS = 60
    settings.CCHC_SITE_URL = "https://cchc.tinh.gov.vn"
    return settings


@pytest.fixture
def subscribe(cast, receiver):
    """subscribe(unit, *types): a subscription of `unit`'s subtree to the receiver, made by the admin."""

    def make(unit=None, *types, url=None):
        return services.create_subscription(
            actor=cast["reform_admin"],
            unit=unit or cast["province"],
            data={
                "name": "Hệ thống tổng hợp tỉnh",
                "url": url or receiver.url,
                "event_types": list(types) or list(EventType.values),
            },
        )

    return make
