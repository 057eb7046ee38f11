"""Volunteers on duty without the app open get the offer by SMS; presence is in Redis."""

from __future__ import annotations

import asyncio
from unittest import mock

import pytest
from channels.db import database_sync_to_async

from dispatch.help_requests import offer_notices
from dispatch.models import OutboundMessage
from dispatch.push import presence
from tests.dispatch.live_fixtures import (
    act,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
    second_member,
)
from tests.personas import open_offer_of, submit_for_lan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("presence_redis", "sync_tasks"),
]


def texts(purpose: str) -> list[tuple[str, str]]:
    return list(
        OutboundMessage.objects.filter(purpose=purpose)
        .order_by("created_at")
        .values_list("to_number", "body")
    )


async def test_an_offline_volunteer_on_duty_gets_the_offer_sms_and_an_online_one_not(
    duc_an,
):
    minh = await second_member(duc_an.team_thon_1)  # on duty, app closed
    an = await open_socket(duc_an.an.user)  # on duty, app open
    await an.receive_json_from(timeout=10)

    request = await database_sync_to_async(submit_for_lan)(duc_an)
    sent = await database_sync_to_async(texts)("offer")

    assert [to for to, _ in sent] == [minh.phone]
    body = sent[0][1]
    assert request.code in body and "NHAN" in body and "TU CHOI" in body
    assert "Thon 1" in body or "Thôn 1" in body
    await an.disconnect()


async def test_when_the_online_volunteer_accepts_the_texted_one_is_told_once(duc_an):
    minh = await second_member(duc_an.team_thon_1)
    an = await open_socket(duc_an.an.user)
    await an.receive_json_from(timeout=10)
    request = await database_sync_to_async(submit_for_lan)(duc_an)
    offer = await database_sync_to_async(open_offer_of)(request)

    await act(an, action="accept", offer_id=offer.pk)
    await database_sync_to_async(offer_notices.tell_texted_it_is_taken)(
        offer_id=offer.pk
    )
    taken = await database_sync_to_async(texts)("taken")

    assert [to for to, _ in taken] == [minh.phone]
    assert request.code in taken[0][1]
    await an.disconnect()


def test_off_duty_volunteers_and_closed_offers_get_no_sms(duc_an):
    request = submit_for_lan(duc_an, resident_phone="0912000777")
    offer = open_offer_of(request)
    OutboundMessage.objects.filter(purpose="offer").delete()
    type(duc_an.an).objects.filter(pk=duc_an.an.pk).update(on_duty=False)

    assert offer_notices.text_offline_volunteers(offer_id=offer.pk) == 0
    offer.state = "withdrawn"
    offer.save()
    assert offer_notices.text_offline_volunteers(offer_id=offer.pk) == 0


def test_with_the_whole_team_on_the_app_no_one_is_texted_and_no_one_is_looked_up(
    duc_an,
):
    request = submit_for_lan(duc_an, resident_phone="0912000778")
    offer = open_offer_of(request)
    OutboundMessage.objects.filter(purpose="offer").delete()
    minh = second_member.__wrapped__(duc_an.team_thon_1)
    for volunteer in (duc_an.an, minh):
        presence.mark_online(volunteer_id=volunteer.pk, connection=f"d!{volunteer.pk}")

    with mock.patch.object(
        offer_notices, "_reachable_by_offer", side_effect=AssertionError("looked up")
    ):
        assert offer_notices.text_offline_volunteers(offer_id=offer.pk) == 0
    assert texts("offer") == []
    # Minh closes the app: now he alone is texted.
    presence.mark_offline(volunteer_id=minh.pk, connection=f"d!{minh.pk}")
    assert offer_notices.text_offline_volunteers(offer_id=offer.pk) == 1
    assert [to for to, _ in texts("offer")] == [minh.phone]


def test_a_request_that_needs_a_certificate_is_texted_only_to_certified_members(
    duc_an,
):
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    OutboundMessage.objects.filter(purpose="offer").delete()
    request.category = "scam"
    request.save()
    minh = second_member.__wrapped__(duc_an.team_thon_1)
    certified = type(minh).objects.filter(pk=minh.pk)

    with mock.patch("training.selectors.certified_volunteers", return_value=certified):
        offer_notices.text_offline_volunteers(offer_id=offer.pk)

    assert [to for to, _ in texts("offer")] == [minh.phone]


async def test_presence_holds_while_any_tab_is_open(duc_an):
    first = await open_socket(duc_an.an.user)
    second = await open_socket(duc_an.an.user)
    await first.receive_json_from(timeout=10)
    await second.receive_json_from(timeout=10)
    online = database_sync_to_async(presence.is_online)
    # Written just after the hello (in a batch, not before it): allow it a moment.
    for _ in range(50):
        if await online(duc_an.an.pk):
            break
        await asyncio.sleep(0.1)

    assert await online(duc_an.an.pk)
    await first.disconnect()
    assert await online(duc_an.an.pk)
    await second.disconnect()
    assert not await online(duc_an.an.pk)


def test_a_lease_that_is_not_renewed_runs_out():
    presence.mark_online(volunteer_id=41, connection="daphne-1!abc")
    later = presence.time.time() + presence.PRESENCE_TTL_SECONDS + 1

    assert presence.online_ids([41, 42]) == {41}
    with mock.patch.object(presence.time, "time", return_value=later):
        assert presence.online_ids([41]) == set()


def test_everyone_counts_as_offline_when_redis_is_down(settings):
    presence.mark_online(volunteer_id=41, connection="daphne-1!abc")
    settings.REDIS_URL = "unix:///nonexistent/valkey.sock"

    assert presence.online_ids([41]) == set()
