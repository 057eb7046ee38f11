"""/metrics shows the office's monitoring how the machine is doing, and no one else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch.models import InboundMessage, Offer
from tests.dispatch.live_fixtures import presence_redis  # noqa: F401 (fixture)
from tests.dispatch.providers import fixture, post_twilio
from tests.personas import open_offer_of, submit_for_lan

TOKEN = "scrape-me-please-0123456789"


def value(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in /metrics")


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    settings.METRICS_TOKEN = TOKEN

    def get(**headers):
        return client.get("/metrics", REMOTE_ADDR="127.0.0.1", **headers)

    return get


@pytest.mark.django_db
@pytest.mark.usefixtures("presence_redis")
def test_prometheus_on_an_allowed_address_reads_the_figures(scrape, duc_an):
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    Offer.objects.filter(pk=offer.pk).update(
        state=Offer.State.ACCEPTED, answered_at=offer.offered_at + timedelta(seconds=40)
    )

    response = scrape()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'caunoi_requests_received_total{channel="sms"} 1.0' in text
    assert 'caunoi_offers_total{state="accepted"} 1.0' in text
    assert 'caunoi_offer_answer_seconds_bucket{le="30.0"} 0.0' in text
    assert 'caunoi_offer_answer_seconds_bucket{le="60.0"} 1.0' in text
    assert value(text, "caunoi_offer_answer_seconds_sum") == pytest.approx(40)
    assert "caunoi_task_queue_depth" in text
    assert value(text, "caunoi_volunteer_sockets") == 0
    assert request.resident_phone not in text  # nothing personal


@pytest.mark.django_db
def test_an_sms_that_waits_shows_as_the_oldest_unprocessed_age(
    scrape, client, demo_commune
):
    post_twilio(client, "/hooks/twilio/sms", fixture("twilio_sms_inbound.json"))
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=3))

    text = scrape().content.decode()

    assert value(text, "caunoi_inbound_oldest_unprocessed_seconds") >= 180
    assert 'caunoi_inbound_received_total{provider="twilio_sms"} 1.0' in text
    assert 'caunoi_inbound_processed_total{provider="twilio_sms"}' not in text


@pytest.mark.django_db
def test_another_address_needs_the_token(client, scrape):
    outside = {"REMOTE_ADDR": "203.0.113.9"}

    refused = client.get("/metrics", **outside)
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", **outside)
    right = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **outside)

    assert refused.status_code == 403 and b"caunoi_" not in refused.content
    assert wrong.status_code == 403 and b"caunoi_" not in wrong.content
    assert right.status_code == 200 and b"caunoi_requests_received" in right.content


@pytest.mark.django_db
def test_without_a_token_only_the_listed_addresses_may_scrape(client, settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    settings.METRICS_TOKEN = ""

    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer "
    )

    assert response.status_code == 403
