"""Every provider's phone is stored in one form (E.164), so erasure finds every row."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from dispatch.models import InboundMessage
from tests.dispatch.providers import fixture, post_smsgate


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    settings.SMS_INTAKE_LIMIT_PER_HOUR = 10_000


@pytest.mark.django_db
@pytest.mark.parametrize("sender", ["0912345670", "84912345670", "+84 912 345 670"])
def test_an_smsgate_sender_in_national_format_is_stored_as_e164(
    demo_commune, deliver, sender
):
    envelope = json.loads(json.dumps(fixture("smsgate_events.json")["sms_received"]))
    envelope["id"] = envelope["payload"]["messageId"] = "national1"
    envelope["payload"]["sender"] = sender
    envelope["payload"]["message"] = "Giup toi kich hoat VNeID o thon 1"

    response = deliver(post_smsgate, Client(), envelope)

    assert response.status_code == 200
    inbound = InboundMessage.objects.get(provider_id="national1")
    assert inbound.from_number == "+84912345670"


@pytest.mark.django_db
def test_a_sender_name_that_is_not_a_number_is_kept_as_text(demo_commune, deliver):
    envelope = json.loads(json.dumps(fixture("smsgate_events.json")["sms_received"]))
    envelope["id"] = envelope["payload"]["messageId"] = "alpha1"
    envelope["payload"]["sender"] = "VIETTEL"

    deliver(post_smsgate, Client(), envelope)

    assert InboundMessage.objects.get(provider_id="alpha1").from_number == "VIETTEL"
