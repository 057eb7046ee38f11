"""POST /hooks/zalo: signed for real, stored once, answered at once."""

from __future__ import annotations

import json

import pytest

from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from tests.dispatch.providers import ZALO_USER, post_zalo, zalo_event, zalo_signature

pytestmark = pytest.mark.django_db


def test_a_signed_text_makes_a_routed_request_and_zalo_gets_the_acknowledgement(
    client, demo_commune, zalo_api, deliver
):
    response = deliver(post_zalo, client, zalo_event("user_send_text"))

    assert response.status_code == 200
    request = HelpRequest.objects.get()
    assert request.channel == "zalo"
    assert request.category == "vneid"
    assert request.village.name == "Thôn 5"
    assert request.current_team is not None
    assert request.zalo_contact.user_id == ZALO_USER
    assert request.resident_name == "Bà Lan"  # from user/detail
    [sent] = zalo_api.messages
    assert sent["recipient"] == {
        "user_id": ZALO_USER,
        "message_id": "a6b5d0e1f4c3ae2bbd01",
    }
    text = sent["message"]["text"]
    assert f"Cầu Nối đã nhận yêu cầu {request.code}." in text
    assert request.current_team.name in text
    assert f"/t/{request.code}" in text
    assert "số điện thoại" in text  # no phone known yet: asks for one
    reply = OutboundMessage.objects.get(request=request, transport="zalo")
    assert (reply.transport, reply.status) == ("zalo", "sent")
    assert reply.provider_id == "zalo-out-1"


def test_zalo_retrying_the_same_event_makes_nothing_new(
    client, demo_commune, zalo_api, deliver
):
    event = zalo_event("user_send_text")
    for _ in range(3):
        assert deliver(post_zalo, client, event).status_code == 200

    assert InboundMessage.objects.count() == 1
    assert HelpRequest.objects.count() == 1
    assert len(zalo_api.messages) == 1


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "mac=" + "0" * 64,
        "wrong-secret",
        "mac=zz",
    ],
)
def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(
    client, demo_commune, zalo_api, deliver, signature
):
    body = json.dumps(zalo_event("user_send_text")).encode()
    if signature == "wrong-secret":
        signature = zalo_signature(body, secret="not-the-oa-secret")

    response = deliver(post_zalo, client, body, signature=signature)

    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0
    assert HelpRequest.objects.count() == 0
    assert zalo_api.messages == []


def test_a_body_changed_after_signing_is_refused(client, demo_commune, zalo_api):
    body = json.dumps(zalo_event("user_send_text")).encode()
    signature = zalo_signature(body)
    tampered = body.replace(b"thon 5", b"thon 6")

    assert post_zalo(client, tampered, signature=signature).status_code == 403
    assert InboundMessage.objects.count() == 0


def test_the_hook_is_closed_when_zalo_is_not_configured(client, demo_commune):
    response = post_zalo(client, zalo_event("user_send_text"))

    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_an_event_for_another_app_is_refused(client, demo_commune, zalo_api):
    event = zalo_event("user_send_text", app_id="999")

    assert post_zalo(client, event).status_code == 403
