"""A stand-in for a provincial one-stop system's feed API, for the tests and for trying by hand.

It serves generated records with the national portal's field names and an update time (NgayCapNhat),
by keyset pages as docs/onestop-feed.md describes, and injects failures on request: `plan` is a
list of what to do with the next requests, one item each ("ok", "timeout", "500", "duplicate": the
previous answer again); `delay` slows every answer; `malformed` lists records served broken.

By hand: `python -m tests.onestop.feed.standin --records 2000 --port 8765` then point a feed source
at http://127.0.0.1:8765/dossiers.
"""

import argparse
import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ICT = datetime.timezone(datetime.timedelta(hours=7))
UTC = datetime.UTC
START = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=ICT)


def record(n: int, updated: datetime.datetime, status: str = "4") -> dict[str, Any]:
    """Dossier n as the national portal names its fields (HT-01 of Sở Tư pháp, as tests/onestop use)."""
    return {
        "MaHoSo": f"FEED-{n:05d}",
        "MaTTHC": "HT-01",
        "MaDonVi": "99.STP",
        "NgayTiepNhan": "2026-01-05 09:00",
        "TrangThaiHoSo": status,
        "KenhThucHien": "2",
        "NgayCapNhat": updated.isoformat(),
    }


def _key(row: dict[str, Any]) -> tuple[datetime.datetime, str]:
    return datetime.datetime.fromisoformat(row["NgayCapNhat"]), row["MaHoSo"]


class Standin:
    """The served data and the failures to inject; `requests` counts what was asked (for assertions)."""

    def __init__(self, count: int = 0, *, delay: float = 0.0) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.plan: list[str] = []
        self.delay = delay
        self.timeout_seconds = 3.0  # how long a "timeout" answer makes the client wait
        self.drip = 0.0  # when set, the body goes out in 64-byte pieces this many seconds apart
        self.malformed: set[str] = set()
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self._last: bytes = b""
        for n in range(count):
            self.put(n, START + datetime.timedelta(minutes=n))

    def put(self, n: int, updated: datetime.datetime, status: str = "4") -> None:
        with self.lock:
            self.records[f"FEED-{n:05d}"] = record(n, updated, status)

    def page(self, query: dict[str, str]) -> dict[str, Any]:
        limit = int(query.get("limit", "100"))
        since = query.get("updated_since")
        with self.lock:
            # By the moment, not by the text: "01:00+00:00" and "08:00+07:00" are the same time.
            rows = sorted(self.records.values(), key=_key)
        if since:
            cursor = (datetime.datetime.fromisoformat(since), query.get("after", ""))
            rows = [r for r in rows if _key(r) > cursor]
        items = [self._served(r) for r in rows[:limit]]
        more = len(rows) > limit
        last = rows[limit - 1] if more else None
        return {
            "items": items,
            "next": {"updated_since": last["NgayCapNhat"], "after": last["MaHoSo"]} if last else None,
        }

    def _served(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["MaHoSo"] in self.malformed:
            return {**row, "NgayTiepNhan": "ngày không rõ"}  # an unreadable receipt date
        return row

    def answer(self, query: dict[str, str]) -> tuple[int, bytes, float]:
        """(status, body, seconds to wait before answering) for one request."""
        with self.lock:
            self.requests.append(query)
            action = self.plan.pop(0) if self.plan else "ok"
        if action == "timeout":
            return 200, b'{"items": [], "next": null}', self.timeout_seconds
        if action == "500":
            return 500, b'{"error": "internal"}', self.delay
        if action == "duplicate" and self._last:
            return 200, self._last, self.delay
        body = json.dumps(self.page(query), ensure_ascii=False).encode()
        self._last = body
        return 200, body, self.delay


def serve(standin: Standin, port: int = 0) -> ThreadingHTTPServer:
    """Start serving `standin` on 127.0.0.1 in a daemon thread; the caller calls `shutdown()`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
            status, body, wait = standin.answer(query)
            time.sleep(wait)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not standin.drip:
                    self.wfile.write(body)
                for start in range(0, len(body), 64) if standin.drip else ():
                    self.wfile.write(body[start : start + 64])
                    self.wfile.flush()
                    time.sleep(standin.drip)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its time limit): nothing to tell it

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="feed-standin", daemon=True).start()
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/dossiers"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    options = parser.parse_args()
    server = serve(Standin(options.records, delay=options.delay), options.port)
    print(f"Serving {options.records} records at {url_of(server)} (Ctrl+C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
