"""Duty rosters: slots turn volunteers on and off on time; quiet hours hush offer SMS."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dispatch.help_requests import duty, lifecycle, offer_notices
from dispatch.models import DutyChange, OutboundMessage
from teams.models import DutySlot
from teams.rosters import roster_gaps
from tests.dispatch.conftest import open_offer_of, submit_for_lan

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.date(2026, 12, 7)


def at(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=VN)


@pytest.fixture
def evening_slot(duc_an):
    """Tổ Thôn 1 keeps Monday evenings, 17:00–21:00, with An on the roster."""
    slot = DutySlot.objects.create(
        team=duc_an.team_thon_1,
        weekday=DutySlot.Weekday.MONDAY,
        starts=dt.time(17),
        ends=dt.time(21),
    )
    slot.members.set([duc_an.an])
    duc_an.an.on_duty = False
    duc_an.an.save()
    return slot


def shift_end_texts(volunteer) -> list[str]:
    return list(
        OutboundMessage.objects.filter(
            to_number=volunteer.phone, dedupe_key__startswith="shift-end:"
        ).values_list("body", flat=True)
    )


@pytest.mark.django_db
def test_a_slot_puts_its_member_on_duty_at_its_start(duc_an, evening_slot):
    duty.apply_rosters(now=at(16, 59))
    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is False

    duty.apply_rosters(now=at(17, 0))
    duty.apply_rosters(now=at(17, 1))  # a second run changes nothing

    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is True
    assert DutyChange.objects.filter(volunteer=duc_an.an).count() == 1


@pytest.mark.django_db
def test_a_slot_ending_at_21_turns_the_volunteer_off_with_a_heads_up(
    duc_an, evening_slot
):
    duty.apply_rosters(now=at(17, 0))
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)

    duty.apply_rosters(now=at(20, 59))
    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is True
    assert shift_end_texts(duc_an.an) == []

    duty.apply_rosters(now=at(21, 0))
    duty.apply_rosters(now=at(21, 1))

    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is False
    texts = shift_end_texts(duc_an.an)
    assert len(texts) == 1
    assert "het luc 21:00" in texts[0] and request.code in texts[0]


@pytest.mark.django_db
def test_no_heads_up_when_nothing_is_held(duc_an, evening_slot):
    duty.apply_rosters(now=at(17, 0))
    duty.apply_rosters(now=at(21, 0))

    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is False
    assert shift_end_texts(duc_an.an) == []


@pytest.mark.django_db
def test_a_volunteer_away_with_nghi_is_not_put_on_duty(duc_an, evening_slot):
    from teams.services import take_leave

    take_leave(volunteer=duc_an.an, days=3)
    duc_an.an.away_until = at(0, 0, MONDAY + dt.timedelta(days=2))
    duc_an.an.save()

    duty.apply_rosters(now=at(17, 0))

    duc_an.an.refresh_from_db()
    assert duc_an.an.on_duty is False


@pytest.mark.django_db
def test_quiet_hours_hush_offer_sms_but_not_the_live_push(
    duc_an, monkeypatch, django_capture_on_commit_callbacks
):
    from dispatch.push import broadcast, presence

    pushed = []
    monkeypatch.setattr(broadcast, "send", lambda group, m: pushed.append(m["type"]))
    monkeypatch.setattr(presence, "online_ids", lambda ids: set())
    duc_an.commune.quiet_from = dt.time(0, 0)
    duc_an.commune.quiet_until = dt.time(23, 59, 59)
    duc_an.commune.save()

    with django_capture_on_commit_callbacks(execute=True):
        request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    queued = offer_notices.text_offline_volunteers(offer_id=offer.pk)

    assert "offer.opened" in pushed
    assert queued == 0
    assert not OutboundMessage.objects.filter(
        to_number=duc_an.an.phone, purpose=OutboundMessage.Purpose.OFFER
    ).exists()
    duc_an.commune.quiet_from = duc_an.commune.quiet_until = None
    duc_an.commune.save()
    assert offer_notices.text_offline_volunteers(offer_id=offer.pk) == 1


@pytest.mark.django_db
def test_the_leader_sees_the_hours_nobody_covers_a_week_ahead(duc_an, evening_slot):
    gaps = roster_gaps(team_ids=[duc_an.team_thon_1.pk], start=MONDAY, days=7)

    monday = [hour for day, hour in gaps if day == MONDAY]
    assert monday == list(range(7, 17))
    tuesday = [hour for day, hour in gaps if day == MONDAY + dt.timedelta(days=1)]
    assert tuesday == list(range(7, 21))
