"""No inbound SMS is dropped in silence: a failure is retried, then shown to people.

(Call steps: test_call_step_retries.py. Numbers no commune has: test_unknown_hotline_triage.py.)

The fault is injected where a real one would come from: the SMS handling raises
(once, or always). What a user sees is asserted: the resident's request and reply
after a retry; the board's notice and the admin's "không xử lý được" after the last.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dispatch import tasks
from dispatch.intake import sms as sms_intake
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from dispatch.push import broadcast
from teams.models import StaffMember
from tests import personas
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.providers import fixture, post_twilio

pytestmark = pytest.mark.django_db


@pytest.fixture
def breaking(monkeypatch):
    """Make the SMS handling raise the next `times` runs (None: always)."""
    real = sms_intake.process_inbound
    state = {"left": 0}

    def broken(*, inbound_id: int) -> str:
        if state["left"] is None or state["left"] > 0:
            if state["left"] is not None:
                state["left"] -= 1
            raise RuntimeError("database went away")
        return real(inbound_id=inbound_id)

    monkeypatch.setattr(sms_intake, "process_inbound", broken)

    def set_times(times: int | None) -> None:
        state["left"] = times

    return set_times


def _receive(deliver) -> InboundMessage:
    data = fixture("twilio_sms_inbound.json")
    deliver(post_twilio, Client(), "/hooks/twilio/sms", data)
    return InboundMessage.objects.get(provider_id=data["MessageSid"])


def _later(minutes: float):
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_failure_is_written_on_the_row_and_the_sweep_retries_it(
    demo_commune, deliver, breaking
):
    breaking(1)
    inbound = _receive(deliver)

    inbound.refresh_from_db()
    assert inbound.processed_at is None
    assert "RuntimeError: database went away" in inbound.last_error
    assert not HelpRequest.objects.exists()

    # Within the first minute nothing is retried; after it, the sweep does.
    assert tasks.retries.retry_unprocessed(now=_later(0.5))["retried"] == 0
    result = deliver(tasks.retries.retry_unprocessed, now=_later(1.5))

    assert result == {"retried": 1, "gave_up": 0}
    inbound.refresh_from_db()
    assert inbound.processed_at is not None and inbound.attempts == 1
    assert HelpRequest.objects.count() == 1
    assert OutboundMessage.objects.filter(dedupe_key=f"reply:{inbound.pk}").exists()


def test_after_the_last_try_the_board_and_the_admin_show_it_and_a_secretary_retries(
    demo_commune, deliver, breaking, settings, admin_client
):
    settings.INBOUND_MAX_ATTEMPTS = 2
    breaking(None)
    inbound = _receive(deliver)
    board = listen(broadcast.board_group(demo_commune.pk))
    minutes = 0.0
    for _ in range(4):  # enough sweeps, each after its backoff
        minutes += 10
        deliver(tasks.retries.retry_unprocessed, now=_later(minutes))
    pushed = drain(board)
    inbound.refresh_from_db()
    assert inbound.attempts == 2 and inbound.gave_up_at is not None
    notices = [m for m in pushed if m.get("type") == broadcast.NOTICE]
    assert len(notices) == 1
    assert "không xử lý được" in notices[0]["text"]

    page = admin_client.get("/admin/dispatch/inboundmessage/?xu_ly=khong-duoc")
    body = page.content.decode()
    assert "không xử lý được: RuntimeError: database went away" in body

    breaking(0)  # the cause is fixed; the secretary asks for another try
    deliver(
        admin_client.post,
        "/admin/dispatch/inboundmessage/",
        {"action": "process_again", "_selected_action": [inbound.pk]},
    )
    inbound.refresh_from_db()
    assert inbound.processed_at is not None and inbound.gave_up_at is None
    assert HelpRequest.objects.count() == 1


def test_a_failed_sms_with_no_request_is_its_hotline_communes_secretarys_to_retry(
    duc_an, deliver, breaking, settings
):
    settings.INBOUND_MAX_ATTEMPTS = 1
    nam_binh = personas.nam_binh_commune(hotline_numbers=["0263 3888 000"])
    nam_binh_secretary = personas.nam_binh_staff(nam_binh, StaffMember.Role.SECRETARY)
    breaking(None)
    inbound = _receive(deliver)  # to Đức An's hotline
    for minutes in (10, 20, 30):
        deliver(tasks.retries.retry_unprocessed, now=_later(minutes))
    inbound.refresh_from_db()
    assert inbound.gave_up_at is not None and inbound.request is None

    secretary = personas.client_for(duc_an.secretary.user)
    listing = secretary.get("/admin/dispatch/inboundmessage/?xu_ly=khong-duoc")
    body = listing.content.decode()
    assert inbound.provider_id in body
    assert "không xử lý được: RuntimeError: database went away" in body
    assert "process_again" in body  # her retry action is offered
    board = secretary.get("/board/").content.decode()
    assert "tin nhắn · RuntimeError: database went away" in board
    other = personas.client_for(nam_binh_secretary.user)
    assert (
        inbound.provider_id
        not in other.get("/admin/dispatch/inboundmessage/").content.decode()
    )
    assert "database went away" not in other.get("/board/").content.decode()

    breaking(0)
    deliver(
        secretary.post,
        "/admin/dispatch/inboundmessage/",
        {"action": "process_again", "_selected_action": [inbound.pk]},
    )
    inbound.refresh_from_db()
    assert inbound.processed_at is not None
    assert inbound.request.commune == duc_an.commune
