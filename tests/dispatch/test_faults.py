"""Fault experiments that fit in the test suite (the others are scripts in bench/):

(c) the SMS gateway answers with errors, then stops answering at all: every try is
    counted, retried with backoff, and after the last one the message is "failed" where
    staff look (the admin's failed list), never sent twice;
(d) SQLite under a burst of concurrent writers: every resident gets their tracking page,
    no "database is locked" reaches anyone, no write is lost.
"""

from __future__ import annotations

import socket
import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from dispatch.models import HelpRequest, OutboundMessage
from dispatch.sms import delivery
from dispatch.sms.outbox import queue_sms


@pytest.fixture
def silent_gateway(settings, monkeypatch):
    """A port that accepts connections and never answers: a hung provider."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    settings.SMS_BACKEND = "smsgate"
    settings.SMSGATE_BASE_URL = f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    settings.SMSGATE_USERNAME, settings.SMSGATE_PASSWORD = "caunoi", "x"
    # The test does not wait the real timeouts.
    settings.SMS_GATEWAY_CONNECT_TIMEOUT = settings.SMS_GATEWAY_READ_TIMEOUT = 0.3
    yield server
    server.close()


@pytest.mark.django_db
def test_a_gateway_that_errors_then_hangs_is_retried_then_marked_failed(
    fake_provider, silent_gateway, settings, admin_client
):
    settings.SMS_MAX_ATTEMPTS = 4
    message = queue_sms(
        to="+84912345678", text="Cầu Nối: yêu cầu DA-7K3Q9 đã có người nhận"
    )
    # Two server errors from a gateway that answers, then one that hangs.
    settings.SMSGATE_BASE_URL = fake_provider.url + "/3rdparty/v1"
    fake_provider.answer(500, {"message": "internal error"})
    fake_provider.answer(503, {"message": "busy"})
    outcomes = [delivery.send_outbound(message_id=str(message.pk)) for _ in range(2)]
    settings.SMSGATE_BASE_URL = f"http://127.0.0.1:{silent_gateway.getsockname()[1]}/v1"
    outcomes += [delivery.send_outbound(message_id=str(message.pk)) for _ in range(2)]

    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == 4
    assert "unreachable" in message.last_error or "Timeout" in message.last_error
    assert len(outcomes) == 4
    # A fifth run (a late retry) changes nothing and sends nothing.
    delivery.send_outbound(message_id=str(message.pk))
    message.refresh_from_db()
    assert message.attempts == 4
    assert len(fake_provider.requests) == 2
    page = admin_client.get("/admin/dispatch/outboundmessage/?status__exact=failed")
    assert str(message.to_number)[-4:] in page.content.decode() or message.body[
        :20
    ] in (page.content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_concurrent_form_posts_on_sqlite_loses_nothing(settings):
    from teams.demo import seed_demo_commune

    settings.SMS_BACKEND = "console"
    settings.HELP_FORM_LIMIT_PER_IP = 10_000
    settings.HELP_FORM_LIMIT_PER_PHONE = 10_000
    cache.clear()
    commune = seed_demo_commune().commune
    village = commune.villages.order_by("number").first()
    threads, per_thread = 8, 6
    statuses: list[int] = []
    errors: list[str] = []
    barrier = threading.Barrier(threads)

    def resident(n: int) -> None:
        client = Client(raise_request_exception=False)
        barrier.wait()
        try:
            for i in range(per_thread):
                response = client.post(
                    "/help/",
                    {
                        "village": village.pk,
                        "category": "vneid",
                        "resident_phone": f"09123{n:02d}{i:03d}",
                        "description": "Cần kích hoạt VNeID",
                        "consent": "on",
                        "website": "",
                    },
                )
                statuses.append(response.status_code)
                if response.status_code >= 500:
                    errors.append(response.content.decode()[:200])
        finally:
            connections.close_all()

    workers = [threading.Thread(target=resident, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)

    assert errors == []
    assert statuses == [302] * (threads * per_thread)
    assert HelpRequest.objects.count() == threads * per_thread
    assert not any("locked" in e for e in errors)
