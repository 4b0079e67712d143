"""Review findings on the webhooks: receivers that answer badly or slowly, addresses that mean another
port, imported past years (each of these failed before its fix), and guards for what the review
checked and found right: the delivery log's queries, two workers racing (on PostgreSQL), the secret
kept off every page but its own."""

import socket
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.core.models import AuditEntry
from cchc.webhooks import services
from cchc.webhooks.models import DeliveryState, EventType, WebhookAttempt, WebhookDelivery
from cchc.webhooks.sending import send_delivery
from tests.parindex.test_result_pages import last_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw_receiver():
    """A TCP server on 127.0.0.1 that reads the request and then plays `answer(connection)`: for answers
    no well-behaved HTTP server gives (garbage, a status line whose headers come one byte at a time)."""
    state = {"answer": None, "requests": 0}
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _address = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    conn.recv(65536)
                    state["requests"] += 1
                    state["answer"](conn)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    state["url"] = f"http://127.0.0.1:{server.getsockname()[1]}/hook"
    yield state
    stop.set()
    thread.join(5)
    server.close()


def _delivery(subscription):
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event_type=EventType.REPORT_ACCEPTED,
        event_id=AuditEntry.objects.first().pk,
        payload={"event": "report.accepted"},
    )


def _subscription(cast, url):
    return services.create_subscription(
        actor=cast["reform_admin"],
        unit=cast["justice"],
        data={"name": "Hệ thống nhận", "url": url, "event_types": [EventType.REPORT_ACCEPTED]},
    )


def test_an_answer_that_is_not_http_is_an_attempt_not_a_crashed_job(cast, raw_receiver, webhook_settings):
    # http.client raises BadStatusLine (not an OSError) on such an answer: the job crashed, no attempt
    # was logged and the delivery stayed leased with its attempt counted.
    raw_receiver["answer"] = lambda conn: conn.sendall(b"this is not http\r\n\r\n")
    delivery = _delivery(_subscription(cast, raw_receiver["url"]))
    assert send_delivery.call(delivery.pk) == DeliveryState.PENDING
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status) == (1, None) and delivery.last_error
    assert WebhookAttempt.objects.filter(delivery=delivery, status_code=None).count() == 1


def test_a_receiver_that_trickles_its_answer_is_cut_at_the_timeout(cast, raw_receiver, webhook_settings):
    # The timeout bounded each read, not the exchange: a byte every half second kept the worker (and
    # the delivery's lease, after which another job may send it again) for as long as the peer liked.
    webhook_settings.CCHC_WEBHOOK_TIMEOUT_SECONDS = 1

    def trickle(conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for _byte in range(12):
            time.sleep(0.5)
            conn.sendall(b"X")

    raw_receiver["answer"] = trickle
    delivery = _delivery(_subscription(cast, raw_receiver["url"]))
    started = time.monotonic()
    assert send_delivery.call(delivery.pk) == DeliveryState.PENDING
    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, None)
    assert "timed out" in delivery.last_error


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/nhan", "https://may-chu.tinh.gov.vn:70000/"])
def test_an_address_with_an_impossible_port_is_refused(url):
    # 99999 was accepted, and the connection then went to port 99999 - 65536 = 34463.
    with pytest.raises(ValidationError) as refusal:
        services.clean_url(url)
    assert "url" in refusal.value.message_dict


def test_importing_a_past_years_scores_tells_no_one(cast, receiver, subscribe, committed):
    # A past year typed in from a spreadsheet (and each re-import of it) is not news for other systems:
    # only the publication of a campaign run in the system is sent.
    subscribe(cast["province"], EventType.PAR_PUBLISHED)
    with committed():
        last_year(cast)
    assert AuditEntry.objects.filter(action="par_campaign.import_scores").exists()
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_the_delivery_log_reads_a_fixed_number_of_queries(client, cast, receiver):
    subscription = _subscription(cast, receiver.url)

    def add(count):
        for _number in range(count):
            delivery = WebhookDelivery.objects.create(
                subscription=subscription,
                event_type=EventType.REPORT_ACCEPTED,
                event_id=1000 + WebhookDelivery.objects.count(),
                payload={},
                attempts=2,
                last_status=500,
            )
            for attempt in (1, 2):
                WebhookAttempt.objects.create(
                    delivery=delivery, number=attempt, at=delivery.created_at, status_code=500
                )

    client.force_login(cast["reform_admin"])
    url = reverse("webhooks:deliveries", args=[subscription.pk])
    add(2)
    client.get(url)  # warm the per-user caches of the layout
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count('data-testid="attempt"') == 4
    add(8)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('data-testid="attempt"') == 20
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_delivery_send_it_once(cast, receiver, webhook_settings):
    # Two jobs for the same delivery start together (a retried job, or the retry command beside the
    # worker). The claim under a row lock lets one send; the other finds it taken. On PostgreSQL
    # (DATABASE_URL) this is the real race; on SQLite the database serialises the two writers.
    receiver.delay = 0.5
    delivery = _delivery(_subscription(cast, receiver.url))
    start = threading.Barrier(2)
    outcomes = []

    def work():
        start.wait()
        try:
            outcomes.append(send_delivery.call(delivery.pk))
        except Exception as error:  # SQLite only: "database is locked" for the second writer
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert len(receiver.requests) == 1
    assert DeliveryState.DELIVERED in outcomes and len(outcomes) == 2
    if connection.vendor == "postgresql":
        assert sorted(outcomes) == [DeliveryState.DELIVERED, "skipped"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 1)


def test_the_secret_is_on_no_page_but_the_secret_page(client, cast, receiver):
    # A guard: the audit trail (create, rotate, delete), the list, the form and the delivery log.
    subscription = _subscription(cast, receiver.url)
    _delivery(subscription)
    secrets = [subscription.secret]
    client.force_login(cast["reform_admin"])
    client.post(reverse("webhooks:rotate", args=[subscription.pk]))
    subscription.refresh_from_db()
    secrets.append(subscription.secret)
    pages = [
        reverse("webhooks:list"),
        reverse("webhooks:edit", args=[subscription.pk]),
        reverse("webhooks:deliveries", args=[subscription.pk]),
    ]
    bodies = [client.get(url).content.decode() for url in pages]
    client.post(reverse("webhooks:delete", args=[subscription.pk]))
    audit = client.get(reverse("core:audit"))
    assert audit.status_code == 200 and "Hệ thống nhận" in audit.content.decode()
    bodies.append(audit.content.decode())
    for body in bodies:
        assert not any(secret in body for secret in secrets)


def _set_active(cast, subscription, active):
    return services.update_subscription(
        actor=cast["reform_admin"],
        subscription=subscription,
        data={
            "name": subscription.name,
            "url": subscription.url,
            "event_types": subscription.event_types,
            "active": active,
        },
    )


def test_a_paused_subscriptions_pending_delivery_goes_out_when_it_is_resumed(cast, receiver, committed):
    # Its job found it paused and left it, spent; nothing sent it on resuming until a `webhooks retry`.
    subscription = _subscription(cast, receiver.url)
    delivery = _delivery(subscription)
    _set_active(cast, subscription, False)
    assert send_delivery.call(delivery.pk) == "skipped" and receiver.requests == []
    with committed():
        _set_active(cast, subscription, True)
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 1)
    with committed():  # a change that does not resume it queues nothing more
        subscription = _set_active(cast, subscription, True)
    assert len(receiver.requests) == 1
