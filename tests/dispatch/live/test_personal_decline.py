"""A member's "Từ chối" is personal: the team's offer stays open for the others."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from dispatch.help_requests import lifecycle
from dispatch.models import Offer, Status
from teams.models import Volunteer
from tests.dispatch.live_fixtures import (
    act,
    drain,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
)
from tests.personas import make_volunteer, open_offer_of, submit_for_lan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("presence_redis"),
]


@database_sync_to_async
def team_of_three(duc_an):
    """Tổ Thôn 1 with An, Minh and Chi on duty; Bà Lan asks; the offer is theirs."""
    minh = make_volunteer(
        duc_an.team_thon_1, "Hoàng Văn Minh", "+84912000031", on_duty=True
    )
    chi = make_volunteer(duc_an.team_thon_1, "Lê Thị Chi", "+84912000032", on_duty=True)
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    assert offer.team_id == duc_an.team_thon_1.pk
    return request, offer, minh, chi


@database_sync_to_async
def refresh(obj):
    obj.refresh_from_db()
    return obj


@database_sync_to_async
def hello_offers(volunteer: Volunteer) -> list[int]:
    from dispatch.live import screens

    return [o["offer_id"] for o in screens.volunteer_state(volunteer)["offers"]]


async def test_one_member_declines_and_the_other_two_still_see_it_and_one_accepts(
    duc_an,
):
    request, offer, minh, chi = await team_of_three(duc_an)
    an = await open_socket(duc_an.an.user)
    minh_socket = await open_socket(minh.user)
    chi_socket = await open_socket(chi.user)
    for socket in (an, minh_socket, chi_socket):
        hello = await socket.receive_json_from(timeout=10)
        assert [o["offer_id"] for o in hello["offers"]] == [offer.pk]

    declined = await act(an, action="decline", offer_id=offer.pk, reason="Đang ốm")
    an_saw = await drain(an)
    minh_saw = await drain(minh_socket)
    chi_saw = await drain(chi_socket)

    assert declined["type"] == "result"
    assert [m["type"] for m in an_saw] == ["offer.declined"]
    assert an_saw[0]["offer_id"] == offer.pk
    # The others were told nothing: the offer is still on their screens.
    assert minh_saw == [] and chi_saw == []
    assert (await refresh(offer)).state == Offer.State.OPEN
    assert await hello_offers(duc_an.an) == []
    assert await hello_offers(minh) == [offer.pk]
    assert await hello_offers(chi) == [offer.pk]

    accepted = await act(minh_socket, action="accept", offer_id=offer.pk)
    assert accepted["type"] == "result"
    request = await refresh(request)
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer_id == minh.pk
    assert request.current_team_id == duc_an.team_thon_1.pk
    for socket in (an, minh_socket, chi_socket):
        await socket.disconnect()


async def test_when_all_three_decline_the_request_moves_to_the_next_team(duc_an):
    request, offer, minh, chi = await team_of_three(duc_an)
    sockets = [await open_socket(v.user) for v in (duc_an.an, minh, chi)]
    for socket in sockets:
        await socket.receive_json_from(timeout=10)

    for socket, reason in zip(sockets, ("Đang ốm", "Đi rẫy", ""), strict=True):
        answer = await act(socket, action="decline", offer_id=offer.pk, reason=reason)
        assert answer["type"] == "result"

    offer = await refresh(offer)
    request = await refresh(request)
    assert offer.state == Offer.State.DECLINED
    assert request.current_team_id == duc_an.team_thon_5.pk
    nxt = await database_sync_to_async(open_offer_of)(request)
    assert nxt.team_id == duc_an.team_thon_5.pk
    for socket in sockets:
        await socket.disconnect()


async def test_a_member_may_not_decline_for_the_team_but_the_leader_may(duc_an):
    request, offer, minh, chi = await team_of_three(duc_an)
    an = await open_socket(duc_an.an.user)
    await an.receive_json_from(timeout=10)

    refused = await act(
        an, action="decline", offer_id=offer.pk, reason="xa", for_team=True
    )
    assert refused["code"] == "not_allowed"

    await database_sync_to_async(Volunteer.objects.filter(pk=chi.pk).update)(
        role=Volunteer.Role.LEADER
    )
    leader = await open_socket(chi.user)
    await leader.receive_json_from(timeout=10)
    no_reason = await act(leader, action="decline", offer_id=offer.pk, for_team=True)
    assert no_reason["code"] == "bad_action"
    answer = await act(
        leader,
        action="decline",
        offer_id=offer.pk,
        reason="Cả tổ đi họp",
        for_team=True,
    )
    assert answer["type"] == "result"
    assert (await refresh(offer)).state == Offer.State.DECLINED
    assert (await refresh(request)).current_team_id == duc_an.team_thon_5.pk
    await an.disconnect()
    await leader.disconnect()


def test_the_timeline_shows_who_declined(duc_an, client: Client):
    minh = make_volunteer(
        duc_an.team_thon_1, "Hoàng Văn Minh", "+84912000031", on_duty=True
    )
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    lifecycle.decline_offer(offer=offer, volunteer=duc_an.an, reason="Đang ốm")
    lifecycle.decline_offer(offer=offer, volunteer=minh, reason="Đi rẫy")

    client.force_login(duc_an.secretary.user)
    page = client.get(f"/requests/{request.code}/").content.decode()

    assert f"người từ chối: {duc_an.an.full_name}" in page
    assert "Hoàng Văn Minh (Đi rẫy)" in page
    assert f"{duc_an.an.full_name} (Đang ốm)" in page
