"""Outbound SMS: the real provider clients against a local fake, retries, status."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from django_q.models import Schedule

from dispatch.models import InboundMessage, OutboundMessage
from dispatch.sms import delivery
from dispatch.sms.outbox import queue_sms
from tests.dispatch.providers import (
    fixture,
    post_smsgate,
    post_twilio,
    twilio_message_json,
)

pytestmark = pytest.mark.django_db
Status = OutboundMessage.Status
SID = "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9"


@pytest.fixture
def smsgate_api(fake_provider, settings):
    settings.SMS_BACKEND = "smsgate"
    settings.SMSGATE_BASE_URL = fake_provider.url + "/3rdparty/v1"
    settings.SMSGATE_USERNAME = "caunoi"
    settings.SMSGATE_PASSWORD = "mat-khau-cong"
    return fake_provider


def queued(text: str = "Cầu Nối đã nhận yêu cầu DA-7K3Q9WX.") -> OutboundMessage:
    return queue_sms(to="+84912345678", text=text)


def test_twilio_sends_through_the_real_client_with_a_status_callback(twilio_api):
    twilio_api.answer(201, twilio_message_json(SID))
    message = queued()

    assert delivery.send_outbound(message_id=str(message.pk)) == Status.SENDING

    [sent] = twilio_api.requests
    assert sent["path"].endswith("/Messages.json")
    form = parse_qs(sent["body"])
    assert form["To"] == ["+84912345678"]
    assert form["Body"] == ["Cau Noi da nhan yeu cau DA-7K3Q9WX."]
    assert form["StatusCallback"][0].endswith("/hooks/twilio/status")
    message.refresh_from_db()
    assert (message.provider_id, message.backend, message.attempts) == (
        SID,
        "twilio",
        1,
    )


def test_a_transient_twilio_error_schedules_a_retry_with_backoff(twilio_api, settings):
    twilio_api.answer(503, {"code": 20500, "message": "Service unavailable"})
    message = queued()

    assert delivery.send_outbound(message_id=str(message.pk)) == Status.QUEUED

    message.refresh_from_db()
    assert message.last_error.startswith("Twilio 503")
    retry = Schedule.objects.get(name=f"sms-retry-{message.pk}-1")
    assert retry.func == "dispatch.tasks.send_outbound"
    assert retry.schedule_type == Schedule.ONCE
    wait = (retry.next_run - message.created_at).total_seconds()
    assert wait >= settings.SMS_RETRY_BASE_SECONDS - 1


def test_backoff_doubles_each_try():
    assert [delivery.backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]


def test_after_the_last_try_the_message_is_failed_and_stays_failed(
    twilio_api, settings
):
    settings.SMS_MAX_ATTEMPTS = 2
    twilio_api.answer(500, {"code": 20500, "message": "boom"})
    twilio_api.answer(500, {"code": 20500, "message": "boom"})
    message = queued()

    delivery.send_outbound(message_id=str(message.pk))
    assert delivery.send_outbound(message_id=str(message.pk)) == Status.FAILED

    message.refresh_from_db()
    assert message.failed_at is not None and message.attempts == 2
    assert len(twilio_api.requests) == 2
    assert delivery.send_outbound(message_id=str(message.pk)) == Status.FAILED
    assert len(twilio_api.requests) == 2


def test_a_landline_number_fails_at_once_without_retry(twilio_api):
    twilio_api.answer(400, {"code": 21614, "message": "'To' is not a mobile number"})
    message = queued()

    assert delivery.send_outbound(message_id=str(message.pk)) == Status.FAILED
    assert not Schedule.objects.exists()


def test_an_unreachable_twilio_is_retried(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    message = queued()
    assert delivery.send_outbound(message_id=str(message.pk)) == Status.QUEUED
    assert Schedule.objects.filter(name__startswith="sms-retry-").exists()


def test_smsgate_sends_with_our_own_message_id(smsgate_api):
    smsgate_api.answer(202, {"id": "x", "state": "Pending"})
    message = queued()

    assert delivery.send_outbound(message_id=str(message.pk)) == Status.SENDING

    [sent] = smsgate_api.requests
    assert sent["path"] == "/3rdparty/v1/messages"
    assert sent["headers"]["Authorization"].startswith("Basic ")
    body = json.loads(sent["body"])
    assert body["id"] == str(message.pk)
    assert body["phoneNumbers"] == ["+84912345678"]
    assert body["textMessage"]["text"] == message.body
    message.refresh_from_db()
    assert message.provider_id == str(message.pk)


def test_smsgate_already_having_the_message_counts_as_sent(smsgate_api):
    smsgate_api.answer(409, {"message": "message with id already exists"})
    message = queued()
    assert delivery.send_outbound(message_id=str(message.pk)) == Status.SENDING


def test_an_smsgate_server_error_is_retried(smsgate_api):
    smsgate_api.answer(502, {})
    message = queued()
    assert delivery.send_outbound(message_id=str(message.pk)) == Status.QUEUED


def twilio_status(client, data: dict) -> int:
    return post_twilio(client, "/hooks/twilio/status", data).status_code


def test_twilio_status_callbacks_are_monotonic_and_idempotent(client):
    sent, delivered, undelivered = fixture("twilio_status_callbacks.json")
    message = queued()
    OutboundMessage.objects.filter(pk=message.pk).update(
        provider_id=SID, status=Status.SENDING
    )

    assert twilio_status(client, delivered) == 200
    assert twilio_status(client, sent) == 200  # late
    assert twilio_status(client, delivered) == 200  # retried
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert message.delivered_at is not None
    assert twilio_status(client, undelivered) == 200
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert InboundMessage.objects.filter(provider="twilio_status").count() == 3


def test_a_twilio_failure_callback_records_the_error(client):
    _sent, _delivered, undelivered = fixture("twilio_status_callbacks.json")
    message = queued()
    OutboundMessage.objects.filter(pk=message.pk).update(provider_id=SID, status="sent")
    twilio_status(client, undelivered)
    message.refresh_from_db()
    assert (message.status, message.last_error) == (Status.FAILED, "30003")


def test_a_status_callback_for_an_unknown_message_answers_200(client):
    sent, *_ = fixture("twilio_status_callbacks.json")
    assert twilio_status(client, {**sent, "MessageSid": "SMunknown"}) == 200


def test_smsgate_status_events_update_our_message_by_its_id(client):
    events = fixture("smsgate_events.json")
    message = queued()
    OutboundMessage.objects.filter(pk=message.pk).update(status=Status.SENDING)

    def post(name: str) -> None:
        envelope = json.loads(json.dumps(events[name]))
        envelope["payload"]["messageId"] = str(message.pk)
        assert post_smsgate(client, envelope).status_code == 200

    post("sms_delivered")
    post("sms_sent")
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert post_smsgate(client, events["system_ping"]).status_code == 200


def test_smsgate_failure_event_marks_the_message_failed(client):
    envelope = fixture("smsgate_events.json")["sms_failed"]
    message = queued()
    envelope["payload"]["messageId"] = str(message.pk)
    post_smsgate(client, envelope)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "GENERIC_FAILURE" in message.last_error


def test_a_status_callback_that_beats_the_send_answer_is_not_lost(client, twilio_api):
    _sent, delivered, _ = fixture("twilio_status_callbacks.json")
    assert twilio_status(client, delivered) == 200  # before we know the sid
    twilio_api.answer(201, twilio_message_json(SID))
    message = queued()
    delivery.send_outbound(message_id=str(message.pk))
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def test_failed_messages_are_listed_for_staff_and_can_be_sent_again(
    admin_client, twilio_api, django_capture_on_commit_callbacks, sync_tasks
):
    twilio_api.answer(400, {"code": 21614, "message": "not a mobile"})
    message = queued()
    delivery.send_outbound(message_id=str(message.pk))

    page = admin_client.get("/admin/dispatch/outboundmessage/?status__exact=failed")
    assert "Twilio 400 error 21614" in page.content.decode()

    twilio_api.answer(201, twilio_message_json(SID))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/dispatch/outboundmessage/",
            {"action": "send_again", "_selected_action": [str(message.pk)]},
        )
    message.refresh_from_db()
    assert message.status == Status.SENDING and message.provider_id == SID
