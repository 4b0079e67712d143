"""A PostgreSQL restart costs only the requests in flight (CONN_HEALTH_CHECKS with persistent connections).

A web thread keeps its database connection between requests (CONN_MAX_AGE). When the server restarts,
or an administrator ends the session, that connection is dead; without a check before reuse the next
request on the thread fails with a 500, and so does every thread's next request. The test plays the
application server's part: it calls the WSGI handler itself, which (unlike the test client) runs
Django's start- and end-of-request connection handling as gunicorn does.
"""

import io

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="persistent connections and pg_terminate_backend are PostgreSQL's",
    ),
    pytest.mark.django_db(transaction=True),
]


def _get(handler: WSGIHandler, path: str, cookie: str) -> str:
    """GET `path` through the WSGI handler as an application server would; the status line."""
    statuses = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(response)
    finally:
        response.close()  # the end of the request: Django keeps or closes the connection here
    return statuses[0]


def _terminate_from_elsewhere(pid: int) -> None:
    """End the server side of the app's connection from a second connection, as a restart would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        terminated = other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
    assert terminated


def test_a_request_after_the_database_dropped_the_connection_succeeds(leader):
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    client = Client()
    client.force_login(leader)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    handler = WSGIHandler()

    assert _get(handler, "/", cookie).startswith("200")
    assert connection.connection is not None  # kept for the next request
    pid = connection.connection.info.backend_pid
    _terminate_from_elsewhere(pid)

    assert _get(handler, "/", cookie).startswith("200")
    assert connection.connection.info.backend_pid != pid
