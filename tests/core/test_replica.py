"""Reads from a real PostgreSQL streaming replica (cchc.core.replica): dashboards read there, writes
and reads inside a transaction stay on the primary, and a replica that lags past the bound, is down
or dies in the middle of a page costs nothing but a read of the primary.

PostgreSQL only. CI starts a replica with scripts/pg_replica.sh before the run and names it in
CCHC_TEST_REPLICA_URL (only these tests use it); without it, they start one of their own on another port
with the same script. Rows must be
committed to reach the replica, hence `transaction=True`; the replica is a test mirror, so the test
database on it is the one replication copied from the primary.
"""

import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.accounts.models import User
from cchc.core import replica
from cchc.env import database_from_url

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"])]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg_replica.sh"
OWN_PORT = 5434  # not CI's 5433: a local run may share the machine with a CI run
CATCH_UP_SECONDS = 30  # a bound against hanging, not a measure


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """The "replica" alias, pointing at the test database on a running streaming replica."""
    default = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL (PostgreSQL pass only)")
    if replica.configured():
        yield connections["replica"].settings_dict
        return
    env = {"PGHOST": default["HOST"] or "127.0.0.1", "PGPORT": str(default["PORT"] or 5432)}
    env["PGUSER"] = default["USER"] or "postgres"
    # CI starts the replica before the run (.ci/run) and names it here only, so that the rest of the
    # suite keeps reading the primary; a local run starts its own.
    started_by_ci = os.environ.get("CCHC_TEST_REPLICA_URL")
    if started_by_ci:
        url = started_by_ci.rsplit("/", 1)[0] + f"/{default['NAME']}"
    else:
        subprocess.run(
            ["bash", str(SCRIPT), "start", str(OWN_PORT)], check=True, env={**env, "PATH": _path()}
        )
        url = f"postgres://{env['PGUSER']}@127.0.0.1:{OWN_PORT}/{default['NAME']}"
    config = database_from_url(url)
    config["TEST"] = {"MIRROR": "default"}
    configured = connections.configure_settings(
        {"default": connections.settings["default"], "replica": config}
    )
    connections.settings["replica"] = configured["replica"]
    try:
        yield connections["replica"].settings_dict
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]
        if not started_by_ci:
            subprocess.run(
                ["bash", str(SCRIPT), "stop", str(OWN_PORT)], check=True, env={**env, "PATH": _path()}
            )


def _path() -> str:
    return os.environ.get("PATH", "/usr/bin:/bin")


@pytest.fixture(autouse=True)
def fresh_verdict(replica_alias, settings):
    """Every read asks the replica again, under a bound of 30 seconds unless a test sets another."""
    settings.CCHC_REPLICA_CHECK_SECONDS = 0
    settings.CCHC_REPLICA_MAX_LAG_SECONDS = 30
    replica.health.forget()
    yield
    replica.health.forget()


def replica_conninfo(alias_settings) -> str:
    host, port, user = alias_settings["HOST"], alias_settings["PORT"], alias_settings["USER"]
    return f"host={host} port={port} user={user} dbname=postgres"


def logged(alias: str) -> CaptureQueriesContext:
    """Log the queries of one alias's connection in this thread."""
    return CaptureQueriesContext(connections[alias])


def caught_up() -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + CATCH_UP_SECONDS
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


def test_a_dashboard_reads_from_the_replica(reform_client):
    caught_up()
    with logged("replica") as on_replica, logged("default") as on_primary:
        response = reform_client.get(reverse("onestop:dashboard"))
    assert response.status_code == 200
    read_there = [q["sql"] for q in on_replica.captured_queries if "pg_last_wal" not in q["sql"]]
    assert read_there, "the dashboard read nothing from the replica"
    assert any("onestop_" in sql or "units_" in sql for sql in read_there)
    # The primary served only what runs around the view: the session and the signed-in user.
    assert not [q["sql"] for q in on_primary.captured_queries if "onestop_" in q["sql"]]


def test_a_write_request_reads_the_primary(reform_client):
    caught_up()
    with logged("replica") as on_replica, logged("default") as on_primary:
        response = reform_client.post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert on_replica.captured_queries == []
    assert on_primary.captured_queries


def test_a_read_inside_a_transaction_goes_to_the_primary(reform_admin):
    caught_up()
    with replica.replica_reads():
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert User.objects.filter(pk=reform_admin.pk).exists()
        assert [q for q in on_replica.captured_queries if "accounts_user" in q["sql"]]
        with logged("replica") as on_replica, logged("default") as on_primary, transaction.atomic():
            user = User.objects.select_for_update().get(pk=reform_admin.pk)
            user.save(update_fields=["last_login"])
    assert on_replica.captured_queries == []
    assert [q for q in on_primary.captured_queries if "FOR UPDATE" in q["sql"]]
    # Outside the scope, the router has no reason to leave the primary.
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert User.objects.filter(pk=reform_admin.pk).exists()
    assert on_replica.captured_queries == []


def test_a_lagging_replica_sends_reads_to_the_primary(replica_alias, settings, reform_admin):
    settings.CCHC_REPLICA_MAX_LAG_SECONDS = 1
    caught_up()
    with psycopg.connect(replica_conninfo(replica_alias), autocommit=True) as control:
        control.execute("SELECT pg_wal_replay_pause()")
        try:
            User.objects.create(username="moi_tao", full_name="Người Mới Tạo")
            time.sleep(1.5)  # past the bound: the replica has received the row but not replayed it
            with replica.replica_reads(), logged("replica") as on_replica:
                assert User.objects.filter(username="moi_tao").exists()
            assert not [q for q in on_replica.captured_queries if "accounts_user" in q["sql"]]
            assert replica.health.usable is False
        finally:
            control.execute("SELECT pg_wal_replay_resume()")
    caught_up()
    # Back under a wider bound: measured by the age of the last replayed commit, a replica that has
    # replayed the row but just received other WAL still looks as old as that commit for a moment.
    settings.CCHC_REPLICA_MAX_LAG_SECONDS = 30
    with replica.replica_reads(), CaptureQueriesContext(connections["replica"]) as on_replica:
        assert User.objects.filter(username="moi_tao").exists()
    assert [q for q in on_replica.captured_queries if "accounts_user" in q["sql"]]


def test_a_replica_within_the_bound_may_be_behind(replica_alias, settings, reform_admin):
    """The other side of the bound: a lag under it is accepted, and the page reads older data."""
    settings.CCHC_REPLICA_MAX_LAG_SECONDS = 600
    caught_up()
    with psycopg.connect(replica_conninfo(replica_alias), autocommit=True) as control:
        control.execute("SELECT pg_wal_replay_pause()")
        try:
            User.objects.create(username="chua_toi", full_name="Chưa Tới Bản Sao")
            with replica.replica_reads():
                assert not User.objects.filter(username="chua_toi").exists()
        finally:
            control.execute("SELECT pg_wal_replay_resume()")


def test_a_replica_that_is_down_sends_reads_to_the_primary(replica_alias, reform_client, caplog):
    caught_up()
    connections["replica"].close()
    port = replica_alias["PORT"]
    replica_alias["PORT"] = 1  # nothing listens there: as good as a replica that is down
    try:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            response = reform_client.get(reverse("onestop:dashboard"))
            again = reform_client.get(reverse("onestop:dashboard"))
    finally:
        connections["replica"].close()
        replica_alias["PORT"] = port
    assert response.status_code == again.status_code == 200
    assert [q for q in on_primary.captured_queries if "onestop_" in q["sql"]]
    warnings = [
        r for r in caplog.records if r.name == "cchc.core.replica" and "does not answer" in r.getMessage()
    ]
    assert len(warnings) == 1, "a replica that stays down is logged once"


def test_a_replica_dying_mid_request_is_retried_on_the_primary(replica_alias, settings, reform_admin):
    settings.CCHC_REPLICA_CHECK_SECONDS = 60  # the first read's verdict stands: the page meets the dead link
    caught_up()
    runs = []

    @replica.reads_from_replica
    def view(request):
        runs.append([User.objects.filter(pk=reform_admin.pk).exists()])
        if len(runs) == 1:  # the replica connection dies between the page's two reads
            with connections["replica"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            with psycopg.connect(replica_conninfo(replica_alias), autocommit=True) as control:
                control.execute("SELECT pg_terminate_backend(%s)", [pid])
        runs[-1].append(User.objects.filter(pk=reform_admin.pk).exists())
        return HttpResponse("ok")

    with CaptureQueriesContext(connections["default"]) as on_primary:
        response = view(RequestFactory().get("/thong-ke/"))
    assert response.status_code == 200
    assert runs == [[True], [True, True]]  # the first run broke off at the dead connection
    assert len([q for q in on_primary.captured_queries if "accounts_user" in q["sql"]]) == 2
    assert replica.health.usable is False


def test_an_error_of_the_primary_is_not_blamed_on_the_replica(reform_admin):
    caught_up()
    runs = []

    @replica.reads_from_replica
    def view(request):
        runs.append(User.objects.filter(pk=reform_admin.pk).exists())
        with connections["default"].cursor() as cursor:
            cursor.execute("SET statement_timeout = 1")
            try:
                cursor.execute("SELECT pg_sleep(1)")  # cancelled by the primary: its error, not the replica's
            finally:
                cursor.execute("RESET statement_timeout")
        return HttpResponse("ok")

    with pytest.raises(OperationalError):
        view(RequestFactory().get("/thong-ke/"))
    assert runs == [True]
    assert replica.health.usable is True
