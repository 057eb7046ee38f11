"""Whatever a phone sends, both SMS hooks answer, and never with a server error."""

from __future__ import annotations

import itertools
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch.models import InboundMessage, OutboundMessage
from tests.dispatch.providers import fixture, post_smsgate, post_twilio

COUNTER = itertools.count()
SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any unicode, long or short, surrogates excluded (not encodable in a form or JSON).
BODIES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=2000
)


@pytest.fixture(autouse=True)
def no_flood_limit(settings):
    """Every example comes from one phone; the hourly SMS limit is tested elsewhere."""
    settings.SMS_INTAKE_LIMIT_PER_HOUR = 10_000


@pytest.mark.django_db
@SLOW
@given(body=BODIES)
def test_any_twilio_sms_body_gets_a_twiml_reply(demo_commune, deliver, body):
    data = fixture("twilio_sms_inbound.json")
    n = next(COUNTER)
    sid = f"SMfuzz{n}"
    # A new phone each time: one phone's flood would (rightly) stop being answered.
    data.update(
        Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=f"+8491{n:07d}"
    )
    response = deliver(
        post_twilio, Client(raise_request_exception=False), "/hooks/twilio/sms", data
    )
    assert response.status_code == 200
    assert b"<Response" in response.content
    inbound = InboundMessage.objects.get(provider_id=sid)
    assert inbound.processed_at is not None
    assert OutboundMessage.objects.filter(dedupe_key=f"reply:{inbound.pk}").exists()


@pytest.mark.django_db
@SLOW
@given(body=BODIES)
def test_any_smsgate_sms_body_is_accepted_and_answered(demo_commune, deliver, body):
    envelope = json.loads(json.dumps(fixture("smsgate_events.json")["sms_received"]))
    n = next(COUNTER)
    envelope["id"] = f"fuzz{n}"
    envelope["payload"]["sender"] = f"+8498{n:07d}"
    envelope["payload"]["message"] = body
    envelope["payload"]["messageId"] = envelope["id"]
    response = deliver(post_smsgate, Client(raise_request_exception=False), envelope)
    assert response.status_code == 200
    inbound = InboundMessage.objects.get(provider_id=envelope["id"])
    assert OutboundMessage.objects.filter(dedupe_key=f"reply:{inbound.pk}").exists()
