"""No outbound SMS stays "sending" for ever: a dead worker's claim expires.

A worker claims a row ("sending") and dies before the provider answers. After the
lease the sweep queues it again and it is sent; the SMSGate phone refuses a second
message with our id, so nothing is sent twice. Out of tries, it fails where the board
shows failures.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from dispatch import tasks
from dispatch.models import OutboundMessage
from dispatch.push import broadcast
from dispatch.sms import delivery, outbox
from dispatch.sms.gateways import smsgate
from dispatch.sms.outbox import queue_sms
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.conftest import submit_for_lan

pytestmark = pytest.mark.django_db

Status = OutboundMessage.Status


def _claimed_by_a_dead_worker(message: OutboundMessage, minutes_ago: float) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING,
        attempts=1,
        sending_since=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_gateway_timeouts_are_shorter_than_the_task_timeout():
    task_timeout = django_settings.Q_CLUSTER["timeout"]
    connect, read = smsgate.timeouts()
    assert connect + read < task_timeout
    assert django_settings.SMS_SENDING_LEASE_SECONDS > task_timeout


def test_a_row_left_sending_is_reclaimed_after_its_lease_and_sent_once(
    duc_an, settings, fake_provider, sync_tasks, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "smsgate"
    settings.SMSGATE_BASE_URL = fake_provider.url + "/3rdparty/v1"
    settings.SMSGATE_USERNAME, settings.SMSGATE_PASSWORD = "caunoi", "x"
    message = queue_sms(to="+84912345678", text="Cầu Nối: đã nhận yêu cầu")
    _claimed_by_a_dead_worker(message, minutes_ago=1)

    assert delivery.reclaim_stuck_sending() == 0  # still inside the lease
    _claimed_by_a_dead_worker(message, minutes_ago=10)
    assert tasks.reclaim_stuck_sms() == 1

    message.refresh_from_db()
    assert message.status == Status.QUEUED  # back in the queue, retry scheduled
    fake_provider.answer(202, {"id": str(message.pk), "state": "Pending"})
    assert delivery.send_outbound(message_id=str(message.pk)) == Status.SENDING
    message.refresh_from_db()
    assert message.attempts == 2 and message.provider_id
    # Sent once: the only request the phone saw carries our id (its idempotency key).
    assert [json.loads(r["body"])["id"] for r in fake_provider.requests] == [
        str(message.pk)
    ]
    # Handed over: a later sweep leaves it alone.
    OutboundMessage.objects.filter(pk=message.pk).update(
        sending_since=timezone.now() - dt.timedelta(hours=1)
    )
    assert delivery.reclaim_stuck_sending() == 0


def test_out_of_tries_a_stuck_sms_fails_and_the_board_is_told(
    duc_an, settings, django_capture_on_commit_callbacks
):
    settings.SMS_MAX_ATTEMPTS = 1
    request = submit_for_lan(duc_an)
    message = queue_sms(to=request.resident_phone, text="Đã nhận", request=request)
    _claimed_by_a_dead_worker(message, minutes_ago=10)
    board = listen(broadcast.board_group(duc_an.commune.pk))

    with django_capture_on_commit_callbacks(execute=True):
        delivery.reclaim_stuck_sending()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "worker stopped" in message.last_error
    pushed = drain(board)
    assert any(request.code in str(m) for m in pushed)


def test_an_sms_a_task_sends_itself_is_written_already_claimed_and_sent_once(
    duc_an, sync_tasks
):
    """Inside `sent_here` (a task that sends its own reply) the row is written
    "sending" with its first try: no second write to claim it, and a worker that dies
    before sending leaves it to the lease like any claimed row."""
    with outbox.sent_here() as held:
        message = queue_sms(to="+84912345679", text="Cầu Nối: đã nhận yêu cầu")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 1)
    assert message.sending_since is not None

    assert delivery.send_held(held) == [Status.DELIVERED]  # the console gateway
    assert delivery.send_held(held) == [Status.DELIVERED]  # not sent a second time
    message.refresh_from_db()
    assert message.attempts == 1


def test_an_sms_queued_outside_a_task_waits_queued_for_its_send_task(duc_an):
    message = queue_sms(to="+84912345670", text="Cầu Nối: đã nhận yêu cầu")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 0)
