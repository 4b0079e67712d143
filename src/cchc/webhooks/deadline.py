"""A time limit on a whole webhook exchange, not only on each read.

urllib's timeout bounds every socket operation on its own: a receiver that answers one byte at a time
(a status line, then a header a byte every few seconds) would hold the worker as long as it liked, and
outlive the delivery's lease, after which another job may send the same delivery again. A `Deadline`
shuts the connection down when the exchange outlasts the limit; the blocked read then ends at once.
(The TCP connect, the sending of the body and the TLS handshake are already bounded as a whole.)
"""

import contextlib
import socket
import threading
import urllib.request
from typing import Any


def _shut(sock: socket.socket) -> None:
    # The plain socket's method, also for a TLS socket: it ends a read blocked in another thread
    # without touching the TLS object that thread is using. OSError: already closed.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Deadline:
    """`with Deadline(seconds):` the connections opened through `opener(deadline)` are shut down when
    the block lasts longer than `seconds`; `expired` then says so."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def __enter__(self) -> "Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:  # the connect itself took the whole time
                _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _watched(connection_class: type, deadline: Deadline) -> type:
    """`connection_class` whose socket, once connected, is handed to the deadline."""

    def connect(self: Any) -> None:
        connection_class.connect(self)
        deadline.watch(self.sock)

    return type(f"Watched{connection_class.__name__}", (connection_class,), {"connect": connect})


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        return super().do_open(_watched(http_class, self.deadline), req, **kwargs)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        return super().do_open(_watched(http_class, self.deadline), req, **kwargs)


def opener(deadline: Deadline, *handlers: Any) -> urllib.request.OpenerDirector:
    """An opener whose HTTP and HTTPS connections obey `deadline`, with the other `handlers`."""
    return urllib.request.build_opener(*handlers, _HTTPHandler(deadline), _HTTPSHandler(deadline))
