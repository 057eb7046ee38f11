"""The volunteer app's WebSocket: snapshot, every action and every refusal, privacy."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, Offer, RequestEvent, Status
from teams.models import Volunteer
from tests.dispatch.live_fixtures import (
    act,
    as_text,
    drain,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
    receive_until,
    second_member,
)
from tests.personas import make_overdue, open_offer_of, submit_for_lan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("presence_redis"),
]

LAN_PHONE = "+84912345678"
LAN_NAME = "Nguyễn Thị Lan"


@database_sync_to_async
def lan_asks(duc_an, **overrides):
    request = submit_for_lan(duc_an, **overrides)
    return request, open_offer_of(request)


@database_sync_to_async
def refresh(obj):
    obj.refresh_from_db()
    return obj


async def test_it_refuses_a_visitor_who_is_not_signed_in(duc_an):
    from django.contrib.auth.models import AnonymousUser

    socket = await open_socket(AnonymousUser())
    closed = await socket.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4403}


async def test_it_refuses_a_staff_member_who_is_not_a_volunteer(duc_an):
    socket = await open_socket(duc_an.secretary.user)
    closed = await socket.receive_output(timeout=5)
    assert closed["code"] == 4403


async def test_on_connect_a_volunteer_sees_the_teams_offer_but_not_who_asked(duc_an):
    request, offer = await lan_asks(duc_an)
    assert offer.team_id == duc_an.team_thon_1.pk

    socket = await open_socket(duc_an.an.user)
    hello = await socket.receive_json_from(timeout=10)

    assert hello["type"] == "hello"
    assert hello["volunteer"]["on_duty"] is True
    assert [o["code"] for o in hello["offers"]] == [request.code]
    card = hello["offers"][0]
    assert card["village"] == "Thôn 1"
    assert card["category"] == "vneid"
    assert card["distance_km"] is not None
    assert LAN_PHONE not in as_text([hello]) and "Lan" not in as_text([hello])
    assert hello["event_id"] >= offer.pk
    await socket.disconnect()


async def test_accepting_gives_the_assignee_the_residents_name_phone_and_directions(
    duc_an,
):
    request, offer = await lan_asks(duc_an)
    socket = await open_socket(duc_an.an.user)
    await socket.receive_json_from(timeout=10)

    answer = await act(socket, action="accept", offer_id=offer.pk, ref=7)

    assert answer["type"] == "result" and answer["ref"] == 7
    assignment = answer["assignment"]
    assert assignment["resident_phone"] == LAN_PHONE
    assert LAN_NAME in assignment["resident_name"]
    assert assignment["geo_uri"].startswith("geo:11.9")
    assert "openstreetmap.org" in assignment["map_url"]
    assert (await refresh(request)).status == Status.ACCEPTED
    await socket.disconnect()


async def test_a_teammate_who_accepts_second_is_told_it_is_already_taken(duc_an):
    minh = await second_member(duc_an.team_thon_1)
    request, offer = await lan_asks(duc_an)
    an = await open_socket(duc_an.an.user)
    other = await open_socket(minh.user)
    await an.receive_json_from(timeout=10)
    await other.receive_json_from(timeout=10)

    assert (await act(an, action="accept", offer_id=offer.pk))["type"] == "result"
    # Khải's screen drops the offer live, with who took it.
    closed, _ = await receive_until(other, "offer.closed")
    answer = await act(other, action="accept", offer_id=offer.pk)

    assert closed["offer_id"] == offer.pk
    assert closed["answered_by_id"] == duc_an.an.pk
    assert answer["type"] == "error" and answer["code"] == "already_taken"
    assert "người khác nhận" in answer["message"]
    await an.disconnect()
    await other.disconnect()


async def test_an_expired_offer_cannot_be_accepted(duc_an):
    request, offer = await lan_asks(duc_an)
    await database_sync_to_async(make_overdue)(offer)
    socket = await open_socket(duc_an.an.user)
    await socket.receive_json_from(timeout=10)

    answer = await act(socket, action="accept", offer_id=offer.pk)

    assert answer["code"] == "offer_expired"
    assert "hết hạn" in answer["message"]
    await socket.disconnect()


async def test_another_teams_volunteer_can_neither_act_nor_ever_see_the_phone(duc_an):
    binh = await open_socket(duc_an.binh.user)  # Thôn 5, watching the whole time
    hello = await binh.receive_json_from(timeout=10)
    request, offer = await lan_asks(duc_an)
    an = await open_socket(duc_an.an.user)
    await an.receive_json_from(timeout=10)

    refusals = [
        await act(binh, action="accept", offer_id=offer.pk),
        await act(binh, action="decline", offer_id=offer.pk, reason="bận"),
    ]
    await act(an, action="accept", offer_id=offer.pk)
    await act(an, action="note", request_id=request.pk, text=f"Gọi {LAN_PHONE}")
    refusals += [
        await act(binh, action="start", request_id=request.pk),
        await act(binh, action="note", request_id=request.pk, text="xem"),
        await act(binh, action="resolve", request_id=request.pk, outcome="unsolved"),
    ]
    await act(an, action="start", request_id=request.pk)
    everything = [hello, *refusals, *await drain(binh)]

    assert [r["code"] for r in refusals] == ["not_your_team"] * 5
    assert LAN_PHONE not in as_text(everything)
    assert "0912345678" not in as_text(everything)
    assert "Lan" not in as_text(everything)
    assert (await refresh(request)).status == Status.IN_PROGRESS
    await an.disconnect()
    await binh.disconnect()


async def test_declining_with_a_reason_moves_the_request_to_the_next_team(duc_an):
    request, offer = await lan_asks(duc_an)
    socket = await open_socket(duc_an.an.user)
    await socket.receive_json_from(timeout=10)

    answer = await act(socket, action="decline", offer_id=offer.pk, reason="Đang ốm")

    assert answer["type"] == "result"
    offer = await refresh(offer)
    assert offer.state == Offer.State.DECLINED and offer.reason == "Đang ốm"
    request = await refresh(request)
    assert request.current_team_id != duc_an.team_thon_1.pk
    await socket.disconnect()


async def test_the_assignee_starts_notes_and_resolves_with_an_outcome(duc_an):
    request, offer = await lan_asks(duc_an)
    socket = await open_socket(duc_an.an.user)
    await socket.receive_json_from(timeout=10)
    await act(socket, action="accept", offer_id=offer.pk)

    started = await act(socket, action="start", request_id=request.pk)
    noted = await act(socket, action="note", request_id=request.pk, text="Đã gọi")
    detail, _ = await receive_until(socket, "assignment")
    resolved = await act(
        socket, action="resolve", request_id=request.pk, outcome="solved_visit"
    )

    assert started["assignment"]["status"] == Status.IN_PROGRESS
    assert noted["type"] == "result"
    assert [n["text"] for n in detail["assignment"]["notes"]] == ["Đã gọi"]
    assert resolved["status"] == Status.RESOLVED
    request = await refresh(request)
    assert request.outcome == "solved_visit"
    await socket.disconnect()


async def test_refusals_for_wrong_steps_come_back_typed_in_vietnamese(duc_an):
    minh = await second_member(duc_an.team_thon_1)
    request, offer = await lan_asks(duc_an)
    an = await open_socket(duc_an.an.user)
    other = await open_socket(minh.user)
    await an.receive_json_from(timeout=10)
    await other.receive_json_from(timeout=10)

    before_accept = await act(an, action="start", request_id=request.pk)
    await act(an, action="accept", offer_id=offer.pk)
    not_mine = await act(other, action="start", request_id=request.pk)
    bad_outcome = await act(an, action="resolve", request_id=request.pk, outcome="x")
    empty_note = await act(an, action="note", request_id=request.pk, text="  ")
    unknown = await act(an, action="accept", offer_id=999999)
    garbage = await act(an, action="accept", offer_id=["1"])
    nonsense = await act(an, action="fly")
    bad_duty = await act(an, action="duty", on_duty="yes")

    assert before_accept["code"] == "not_assignee"
    assert not_mine["code"] == "not_assignee"
    assert bad_outcome["code"] == "invalid_transition"
    assert empty_note["code"] == "bad_action"
    assert unknown["code"] == "not_found"
    assert garbage["code"] == "bad_action"
    assert nonsense["code"] == "bad_action"
    assert bad_duty["code"] == "bad_action"
    assert "không hợp lệ" in nonsense["message"]
    await an.disconnect()
    await other.disconnect()


async def test_going_off_duty_is_saved_and_shown_on_the_volunteers_other_tabs(duc_an):
    phone = await open_socket(duc_an.an.user)
    tab = await open_socket(duc_an.an.user)
    await phone.receive_json_from(timeout=10)
    await tab.receive_json_from(timeout=10)

    answer = await act(phone, action="duty", on_duty=False)
    other_tab, _ = await receive_until(tab, "duty")

    assert answer["on_duty"] is False and other_tab["on_duty"] is False
    volunteer = await database_sync_to_async(Volunteer.objects.get)(pk=duc_an.an.pk)
    assert volunteer.on_duty is False
    await phone.disconnect()
    await tab.disconnect()


async def test_the_team_leader_also_sees_the_assignees_resident(duc_an):
    leader = await second_member(duc_an.team_thon_1, leader=True)
    request, offer = await lan_asks(duc_an)
    watching = await open_socket(leader.user)
    await watching.receive_json_from(timeout=10)
    an = await open_socket(duc_an.an.user)
    await an.receive_json_from(timeout=10)

    await act(an, action="accept", offer_id=offer.pk)
    detail, _ = await receive_until(watching, "assignment")

    assert detail["assignment"]["resident_phone"] == LAN_PHONE
    await an.disconnect()
    await watching.disconnect()


async def test_a_reconnecting_volunteer_gets_exactly_the_events_missed_once(duc_an):
    @database_sync_to_async
    def three_requests() -> list[HelpRequest]:
        return [
            lifecycle.create_request(
                commune=duc_an.commune,
                channel="operator",
                category="portal",
                resident_phone=f"09870000{i}1",
                village=duc_an.thon_1,
            )
            for i in range(3)
        ]

    @database_sync_to_async
    def secretary_offers_them_to_thon_1(requests) -> list[int]:
        for request in requests:
            lifecycle.reassign_request(
                request=request,
                user=duc_an.secretary.user,
                team=duc_an.team_thon_1,
            )
        return list(
            RequestEvent.objects.filter(request__in=requests, kind="reassigned")
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    requests = await three_requests()
    socket = await open_socket(duc_an.an.user)
    last_seen = (await socket.receive_json_from(timeout=10))["event_id"]
    await socket.disconnect()

    missed = await secretary_offers_them_to_thon_1(requests)
    socket = await open_socket(duc_an.an.user, f"/ws/volunteer/?event_id={last_seen}")
    messages = await drain(socket)

    assert messages[0]["type"] == "hello"
    assert len(messages[0]["offers"]) == 3
    replayed = [m["event_id"] for m in messages[1:] if m["event_id"]]
    assert replayed == missed
    assert {m["type"] for m in messages[1:]} == {"offer.opened"}
    await socket.disconnect()


def session_cookie(user) -> bytes:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def test_the_real_stack_signs_the_volunteer_in_from_the_session_cookie(
    duc_an, settings
):
    from channels.testing import WebsocketCommunicator

    from config.asgi import websocket_application

    settings.ALLOWED_HOSTS = ["caunoi.example"]
    cookie = await database_sync_to_async(session_cookie)(duc_an.an.user)
    good = WebsocketCommunicator(
        websocket_application(),
        "/ws/volunteer/",
        headers=[(b"cookie", cookie), (b"origin", b"https://caunoi.example")],
    )
    connected, _ = await good.connect()
    hello = await good.receive_json_from(timeout=10)
    await good.disconnect()

    assert connected and hello["volunteer"]["id"] == duc_an.an.pk


async def test_a_socket_from_a_foreign_origin_is_refused(duc_an, settings):
    from channels.testing import WebsocketCommunicator

    from config.asgi import websocket_application

    settings.ALLOWED_HOSTS = ["caunoi.example"]
    cookie = await database_sync_to_async(session_cookie)(duc_an.an.user)
    evil = WebsocketCommunicator(
        websocket_application(),
        "/ws/volunteer/",
        headers=[(b"cookie", cookie), (b"origin", b"https://evil.example")],
    )
    connected, _ = await evil.connect()

    assert not connected


async def test_accepting_beyond_capacity_or_without_a_certificate_is_refused(duc_an):
    @database_sync_to_async
    def offered_to(team, category: str):
        request = lifecycle.create_request(
            commune=duc_an.commune,
            channel="operator",
            category=category,
            resident_phone="0987000555",
            village=duc_an.thon_1,
        )
        lifecycle.reassign_request(
            request=request, user=duc_an.secretary.user, team=team
        )
        return open_offer_of(request)

    full = await offered_to(duc_an.team_ndrung, "portal")  # K'Dung carries 1 of 1
    scam = await offered_to(duc_an.team_thon_1, "scam")  # An holds no certificate
    dung = await open_socket(duc_an.busy_dung.user)
    an = await open_socket(duc_an.an.user)
    await dung.receive_json_from(timeout=10)
    await an.receive_json_from(timeout=10)

    at_capacity = await act(dung, action="accept", offer_id=full.pk)
    not_certified = await act(an, action="accept", offer_id=scam.pk)

    assert at_capacity["code"] == "at_capacity"
    assert not_certified["code"] == "not_certified"
    assert "chứng nhận" in not_certified["message"]
    await dung.disconnect()
    await an.disconnect()


async def test_declining_an_offer_a_teammate_already_took_is_refused(duc_an):
    minh = await second_member(duc_an.team_thon_1)
    request, offer = await lan_asks(duc_an)
    an = await open_socket(duc_an.an.user)
    other = await open_socket(minh.user)
    await an.receive_json_from(timeout=10)
    await other.receive_json_from(timeout=10)

    await act(an, action="accept", offer_id=offer.pk)
    late = await act(other, action="decline", offer_id=offer.pk, reason="bận")

    assert late["code"] == "already_taken"
    await an.disconnect()
    await other.disconnect()


async def deployed_socket(path: str, cookie: bytes, settings):
    from channels.testing import WebsocketCommunicator

    from config.asgi import websocket_application

    settings.ALLOWED_HOSTS = ["caunoi.example"]
    socket = WebsocketCommunicator(
        websocket_application(),
        path,
        headers=[(b"cookie", cookie), (b"origin", b"https://caunoi.example")],
    )
    connected, code = await socket.connect()
    return socket, connected, code


CLOSED_4403 = {"type": "websocket.close", "code": 4403}


async def first_output(path: str, cookie: bytes, settings) -> dict:
    """What a deployed socket sends first after its handshake."""
    socket, _, _ = await deployed_socket(path, cookie, settings)
    output = await socket.receive_output(timeout=5)
    await socket.disconnect()
    return output


async def test_a_session_whose_password_changed_since_opens_no_volunteer_socket(
    duc_an, settings
):
    cookie = await database_sync_to_async(session_cookie)(duc_an.an.user)

    @database_sync_to_async
    def change_password():
        user = duc_an.an.user
        user.set_password("a-new-password-for-an")
        user.save()

    await change_password()
    socket, connected, _ = await deployed_socket("/ws/volunteer/", cookie, settings)
    output = await socket.receive_output(timeout=5)
    await socket.disconnect()

    # Accepted only to be closed with "not allowed": no snapshot, no offer reaches it.
    assert output == {"type": "websocket.close", "code": 4403}


async def test_a_deactivated_volunteer_opens_no_socket(duc_an, settings):
    an_cookie = await database_sync_to_async(session_cookie)(duc_an.an.user)

    @database_sync_to_async
    def deactivate():
        Volunteer.objects.filter(pk=duc_an.an.pk).update(active=False)

    await deactivate()
    assert await first_output("/ws/volunteer/", an_cookie, settings) == CLOSED_4403


async def test_the_board_on_the_deployed_routes_still_knows_its_staff_user(
    duc_an, settings
):
    cookie = await database_sync_to_async(session_cookie)(duc_an.secretary.user)
    socket, connected, _ = await deployed_socket("/ws/board/", cookie, settings)
    hello = await socket.receive_json_from(timeout=10)
    await socket.disconnect()

    assert connected and hello["type"] == "hello"


async def test_a_signed_out_session_opens_no_volunteer_socket(duc_an, settings):
    from django.test import Client

    @database_sync_to_async
    def signed_in_then_out():
        client = Client()
        client.force_login(duc_an.an.user)
        cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
        client.logout()  # the session row is deleted
        return cookie

    cookie = await signed_in_then_out()

    assert await first_output("/ws/volunteer/", cookie, settings) == CLOSED_4403


async def test_an_expired_session_or_a_deactivated_account_opens_no_socket(
    duc_an, settings
):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    an_cookie = await database_sync_to_async(session_cookie)(duc_an.an.user)
    khai = await second_member(duc_an.team_thon_1)
    khai_cookie = await database_sync_to_async(session_cookie)(khai.user)

    @database_sync_to_async
    def expire_and_deactivate():
        key = an_cookie.decode().split("=", 1)[1]
        Session.objects.filter(session_key=key).update(expire_date=timezone.now())
        type(khai.user).objects.filter(pk=khai.user_id).update(is_active=False)

    await expire_and_deactivate()
    for cookie in (an_cookie, khai_cookie):
        assert await first_output("/ws/volunteer/", cookie, settings) == CLOSED_4403


async def test_the_deployed_socket_shows_the_team_and_offers_read_with_the_session(
    duc_an, settings
):
    request, offer = await lan_asks(duc_an)
    cookie = await database_sync_to_async(session_cookie)(duc_an.an.user)

    socket, connected, _ = await deployed_socket("/ws/volunteer/", cookie, settings)
    hello = await socket.receive_json_from(timeout=10)
    await socket.disconnect()

    assert hello["volunteer"] == {
        "id": duc_an.an.pk,
        "name": duc_an.an.full_name,
        "team": duc_an.team_thon_1.name,
        "team_id": duc_an.team_thon_1.pk,
        "leader": duc_an.an.is_leader,
        "on_duty": True,
    }
    assert [o["offer_id"] for o in hello["offers"]] == [offer.pk]
    assert "vneid" in hello["labels"]["category"]


async def test_seeing_an_assignment_on_connect_is_logged_after_the_hello(duc_an):
    from dispatch.models import AccessPurpose, PersonalDataAccess

    request, offer = await lan_asks(duc_an)
    await database_sync_to_async(lifecycle.accept_offer)(
        offer=offer, volunteer=duc_an.an
    )
    count = database_sync_to_async(
        lambda: list(
            PersonalDataAccess.objects.filter(
                user=duc_an.an.user, purpose=AccessPurpose.ASSIGNMENT
            ).values_list("request_id", flat=True)
        )
    )
    before = await count()

    socket = await open_socket(duc_an.an.user)
    hello = await socket.receive_json_from(timeout=10)
    await drain(socket)
    await socket.disconnect()

    assert hello["assignments"][0]["resident_phone"] == LAN_PHONE
    assert await count() == [*before, request.pk]


async def test_an_idle_volunteers_connect_logs_no_access(duc_an):
    from dispatch.models import PersonalDataAccess

    socket = await open_socket(duc_an.an.user)
    hello = await socket.receive_json_from(timeout=10)
    await drain(socket)
    await socket.disconnect()

    assert hello["offers"] == [] and hello["assignments"] == []
    assert not await database_sync_to_async(PersonalDataAccess.objects.exists)()
