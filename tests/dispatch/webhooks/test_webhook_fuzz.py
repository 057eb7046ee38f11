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


# --- headers and raw bodies (issue 13 item 10): 400/403, never a 500 -------------------

SMSGATE_OK = (200, 400)


@pytest.mark.django_db
def test_a_json_body_to_the_twilio_hook_is_refused_not_a_server_error(demo_commune):
    client = Client(raise_request_exception=False)
    for signature in ("", "bm90LWEtc2lnbmF0dXJl", "x" * 5000):
        response = client.post(
            "/hooks/twilio/sms",
            b'{"Body": "Giup toi", "From": "+84912345678"}',
            content_type="application/json",
            HTTP_X_TWILIO_SIGNATURE=signature,
        )
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "stamp",
    ["１２３４", "²³", "١٧٠٠٠٠٠٠٠٠", "9" * 5000, "-1", "1e9", " ", "0x10", "１" * 40],
)
def test_a_strange_smsgate_timestamp_is_refused_not_a_server_error(demo_commune, stamp):
    body = json.dumps(fixture("smsgate_events.json")["sms_received"]).encode()
    client = Client(raise_request_exception=False)
    headers = {"HTTP_X_SIGNATURE": "ab" * 32, "HTTP_X_TIMESTAMP": stamp}
    response = client.post(
        "/hooks/smsgate", body, content_type="application/json", **headers
    )
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_a_signed_smsgate_body_with_a_lone_surrogate_is_stored_with_it_replaced(
    demo_commune, deliver
):
    envelope = json.loads(json.dumps(fixture("smsgate_events.json")["sms_received"]))
    envelope["id"] = "surrogate1"
    envelope["payload"]["message"] = "Giup toi \ud800 voi"
    envelope["payload"]["\udfff"] = "\udbff"
    body = json.dumps(envelope).encode()  # ASCII: the surrogate is a \ud800 escape
    response = deliver(post_smsgate, Client(raise_request_exception=False), body)

    assert response.status_code == 200
    inbound = InboundMessage.objects.get(provider_id="surrogate1")
    assert inbound.body == "Giup toi \ufffd voi"
    stored = json.dumps(inbound.payload, ensure_ascii=False)
    assert "\ufffd" in stored
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in stored)


@pytest.mark.django_db
def test_a_signed_smsgate_body_that_is_not_utf8_or_json_is_a_400(demo_commune):
    client = Client(raise_request_exception=False)
    for body in (b"\xff\xfe\x00", b"[1, 2", b'"text"', b"null", b'{"payload": 5}'):
        assert post_smsgate(client, body).status_code == 400


@pytest.mark.django_db
def test_a_signed_twilio_form_with_odd_bytes_is_stored(demo_commune, deliver):
    data = fixture("twilio_sms_inbound.json")
    data.update(Body="Giúp \ud800 tôi", MessageSid="SModd", SmsSid="SModd")
    clean = {
        k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        for k, v in data.items()
    }
    response = deliver(
        post_twilio, Client(raise_request_exception=False), "/hooks/twilio/sms", clean
    )
    assert response.status_code == 200
    assert "\ufffd" in InboundMessage.objects.get(provider_id="SModd").body


HEADER_TEXT = st.text(max_size=200)


@pytest.mark.django_db
@SLOW
@given(stamp=HEADER_TEXT, signature=HEADER_TEXT, raw=st.binary(max_size=3000))
def test_any_smsgate_headers_and_raw_body_never_make_a_server_error(
    demo_commune, stamp, signature, raw
):
    client = Client(raise_request_exception=False)
    headers = {"HTTP_X_SIGNATURE": signature, "HTTP_X_TIMESTAMP": stamp}
    try:
        response = client.post(
            "/hooks/smsgate", raw, content_type="application/json", **headers
        )
    except UnicodeEncodeError:
        return  # the test client itself cannot send a header that is not Latin-1
    assert response.status_code in (400, 403)


@pytest.mark.django_db
@SLOW
@given(
    raw=st.binary(max_size=3000),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "text/plain",
            "multipart/form-data; boundary=x",
        ]
    ),
    signature=HEADER_TEXT,
)
def test_any_raw_body_to_the_twilio_hooks_never_makes_a_server_error(
    demo_commune, raw, content_type, signature
):
    client = Client(raise_request_exception=False)
    for path in ("/hooks/twilio/sms", "/hooks/twilio/status", "/hooks/twilio/voice"):
        try:
            response = client.post(
                path, raw, content_type=content_type, HTTP_X_TWILIO_SIGNATURE=signature
            )
        except UnicodeEncodeError:
            return
        assert response.status_code in (400, 403), path


@pytest.mark.django_db
@SLOW
@given(raw=st.binary(max_size=2000))
def test_any_signed_raw_body_to_smsgate_is_answered_without_a_server_error(
    demo_commune, raw
):
    response = post_smsgate(Client(raise_request_exception=False), raw)
    assert response.status_code in (200, 400)
