"""Closing the loop, with the clock frozen: 3 days after "resolved" the resident is
asked "Việc đã xong chưa?"; "2" reopens, "1" closes (the retention clock starts), and
no answer twice flags the request for the team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dispatch import tasks
from dispatch.help_requests import followup, lifecycle
from dispatch.models import EventKind, OutboundMessage, Status
from tests.dispatch.conftest import open_offer_of, submit_for_lan
from tests.dispatch.providers import fixture, post_twilio

RESIDENT = "+84912345678"
# 09:00 in Đức An (UTC+7) on a Monday.
MONDAY_9AM = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self, monkeypatch, start: dt.datetime) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY_9AM)


def resolved_for_lan(duc_an, deliver):
    request = deliver(submit_for_lan, duc_an)
    deliver(lifecycle.accept_offer, offer=open_offer_of(request), volunteer=duc_an.an)
    deliver(
        lifecycle.resolve_request,
        request=request,
        outcome="solved_visit",
        volunteer=duc_an.an,
    )
    return request


def questions_to_lan() -> list[str]:
    return [
        m.body
        for m in OutboundMessage.objects.filter(to_number=RESIDENT).order_by(
            "created_at"
        )
        if "da xong chua" in m.body
    ]


def reply(client, deliver, body: str, sid: str) -> str:
    data = fixture("twilio_sms_inbound.json")
    data.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=RESIDENT)
    deliver(post_twilio, client, "/hooks/twilio/sms", data)
    return (
        OutboundMessage.objects.filter(
            to_number=RESIDENT, purpose=OutboundMessage.Purpose.REPLY
        )
        .order_by("created_at")
        .last()
        .body
    )


def test_resolved_then_asked_after_three_days_and_2_reopens(
    duc_an, clock, deliver, client
):
    request = resolved_for_lan(duc_an, deliver)
    clock.advance(days=2, hours=23)
    deliver(tasks.sweep_followups)
    assert questions_to_lan() == []
    clock.advance(hours=1)
    deliver(tasks.sweep_followups)
    deliver(tasks.sweep_followups)  # twice: still one question
    clock.advance(minutes=1)
    assert questions_to_lan() == [
        f"Cau Noi: viec {request.code} da xong chua? Tra loi 1 neu xong, 2 neu chua."
    ]

    answer = reply(client, deliver, "2", "SMF1")
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer == duc_an.an
    assert request.events.filter(kind=EventKind.REOPENED).exists()
    assert "To Thon 1" in answer and request.code in answer


def test_no_answer_twice_flags_the_request_for_the_team(duc_an, clock, deliver):
    request = resolved_for_lan(duc_an, deliver)
    clock.advance(days=3)
    deliver(tasks.sweep_followups)
    clock.advance(days=2)
    deliver(tasks.sweep_followups)
    assert len(questions_to_lan()) == 2
    request.refresh_from_db()
    assert not request.followup_flagged
    clock.advance(days=2)
    deliver(tasks.sweep_followups)
    request.refresh_from_db()
    assert request.followup_flagged and request.status == Status.RESOLVED
    flagged = request.events.get(kind=EventKind.FOLLOWUP_FLAGGED)
    assert flagged.team == duc_an.team_thon_1
    assert len(questions_to_lan()) == 2


def test_1_closes_asks_for_a_rating_and_starts_the_retention_clock(
    duc_an, clock, deliver, client
):
    request = resolved_for_lan(duc_an, deliver)
    clock.advance(days=3)
    deliver(tasks.sweep_followups)
    answer = reply(client, deliver, "1", "SMF2")
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert request.closed_at == clock.now
    assert "Danh gia: tra loi so 1 (te) den 5 (tot)" in answer
    # The next digit (a minute later) is the rating, no longer the follow-up answer.
    clock.advance(minutes=1)
    assert "4 sao" in reply(client, deliver, "4", "SMF3")
    request.refresh_from_db()
    assert request.rating == 4 and request.status == Status.CLOSED


def test_nothing_is_sent_at_night(duc_an, clock, deliver):
    resolved_for_lan(duc_an, deliver)
    clock.advance(days=3, hours=14)  # 23:00 local
    assert followup.sweep() == 0
    assert questions_to_lan() == []
