"""Only the providers can talk to our hooks: a bad signature stores nothing."""

from __future__ import annotations

import json

import pytest

from dispatch.models import InboundMessage
from tests.dispatch.providers import fixture, post_smsgate, post_twilio

pytestmark = pytest.mark.django_db

TWILIO_HOOKS = [
    "/hooks/twilio/sms",
    "/hooks/twilio/status",
    "/hooks/twilio/voice",
    "/hooks/twilio/voice/menu",
    "/hooks/twilio/voice/done?category=vneid",
]


@pytest.mark.parametrize("path", TWILIO_HOOKS)
def test_an_unsigned_twilio_request_is_refused_and_nothing_is_stored(client, path):
    response = client.post(path, fixture("twilio_sms_inbound.json"))
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize("path", TWILIO_HOOKS)
def test_a_wrongly_signed_twilio_request_is_refused(client, path):
    response = post_twilio(
        client, path, fixture("twilio_sms_inbound.json"), signature="bm90IGl0"
    )
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_tampered_twilio_body_is_refused(client):
    data = fixture("twilio_sms_inbound.json")
    from tests.dispatch.providers import twilio_signature

    signature = twilio_signature("/hooks/twilio/sms", data)
    data["Body"] = "HUY DA-7K3Q9"
    response = post_twilio(client, "/hooks/twilio/sms", data, signature=signature)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_signature_for_another_host_is_refused(client, settings):
    data = fixture("twilio_sms_inbound.json")
    signature = post_twilio.__globals__["twilio_signature"]("/hooks/twilio/sms", data)
    settings.PUBLIC_BASE_URL = "https://hotline.example.vn"
    response = post_twilio(client, "/hooks/twilio/sms", data, signature=signature)
    assert response.status_code == 403


def test_twilio_signatures_use_the_public_base_url_not_the_host_django_sees(
    client, settings
):
    settings.PUBLIC_BASE_URL = "https://hotline.example.vn"
    response = post_twilio(
        client, "/hooks/twilio/sms", fixture("twilio_sms_inbound.json")
    )
    assert response.status_code == 200


def test_without_an_auth_token_every_twilio_request_is_refused(client, settings):
    data = fixture("twilio_sms_inbound.json")
    signature = post_twilio.__globals__["twilio_signature"]("/hooks/twilio/sms", data)
    settings.TWILIO_AUTH_TOKEN = ""
    response = post_twilio(client, "/hooks/twilio/sms", data, signature=signature)
    assert response.status_code == 403


def test_an_unsigned_smsgate_request_is_refused(client):
    body = json.dumps(fixture("smsgate_events.json")["sms_received"])
    response = client.post("/hooks/smsgate", body, content_type="application/json")
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_an_smsgate_request_signed_with_another_key_is_refused(client):
    envelope = fixture("smsgate_events.json")["sms_received"]
    response = post_smsgate(client, envelope, key="not-our-key")
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_stale_smsgate_request_is_refused(client, settings):
    import time

    envelope = fixture("smsgate_events.json")["sms_received"]
    stale = int(time.time()) - settings.SMSGATE_TIMESTAMP_WINDOW - 5
    response = post_smsgate(client, envelope, ts=stale)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_tampered_smsgate_body_is_refused(client):
    envelope = fixture("smsgate_events.json")["sms_received"]
    body = json.dumps(envelope).encode()
    from tests.dispatch.providers import smsgate_headers

    headers = smsgate_headers(body)
    tampered = body.replace(b"0912345678", b"0912345679")
    assert tampered != body
    response = client.post(
        "/hooks/smsgate", tampered, content_type="application/json", **headers
    )
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_signed_smsgate_request_is_accepted(client):
    envelope = fixture("smsgate_events.json")["sms_received"]
    response = post_smsgate(client, envelope)
    assert response.status_code == 200
    assert InboundMessage.objects.count() == 1


def test_hooks_refuse_get(client):
    assert client.get("/hooks/twilio/sms").status_code == 405


def test_a_signed_but_broken_smsgate_body_is_a_400_not_a_500(client):
    response = post_smsgate(client, b"{not json")
    assert response.status_code == 400
    assert InboundMessage.objects.count() == 0
