"""A volunteer sends a guide from an assignment in one tap on /v/ (or `GUI <mã> <từ
khoá>` by SMS): the resident's SMS carries it, the timeline and tracking page show it."""

from __future__ import annotations

import itertools

import pytest
from channels.db import database_sync_to_async

from dispatch.help_requests import lifecycle
from dispatch.models import EventKind, GuideSend, OutboundMessage, RequestEvent
from dispatch.sms.text import sms_size
from tests.dispatch.live_fixtures import (
    act,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
)
from tests.dispatch.providers import fixture, post_twilio
from tests.personas import open_offer_of, submit_for_lan

LAN_PHONE = "+84912345678"
_sids = itertools.count(1)


@database_sync_to_async
def lan_assigned_to_an(duc_an):
    from dispatch.guides.services import install_seed_guides

    install_seed_guides()
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    return request


@database_sync_to_async
def guide_sms_to(phone):
    return list(
        OutboundMessage.objects.filter(
            to_number=phone, purpose=OutboundMessage.Purpose.GUIDE
        ).values_list("body", flat=True)
    )


@database_sync_to_async
def timeline(request):
    return list(
        RequestEvent.objects.filter(request=request).values_list("kind", "data")
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("presence_redis")
async def test_one_tap_on_an_assignment_texts_the_resident_and_records_it(
    duc_an, client, settings
):
    request = await lan_assigned_to_an(duc_an)
    socket = await open_socket(duc_an.an.user)
    hello = await socket.receive_json_from(timeout=10)
    card = hello["assignments"][0]
    assert card["guides_suggested"][0] == "kich-hoat-vneid-muc-2"  # a VNeID request
    assert "kich-hoat-vneid-muc-2" in hello["labels"]["guides"]

    answer = await act(
        socket, action="guide", request_id=request.pk, guide=card["guides_suggested"][0]
    )

    assert answer["type"] == "result"
    assert answer["assignment"]["guides_sent"] == ["kich-hoat-vneid-muc-2"]
    [body] = await guide_sms_to(LAN_PHONE)
    assert body.startswith(
        f"Cau Noi ({request.code}): Kich hoat tai khoan VNeID muc 2."
    )
    assert body.endswith(f"{settings.PUBLIC_BASE_URL}/g/vneid")
    size = sms_size(body)
    assert size.encoding == "GSM-7" and size.segments <= 2
    kinds = dict(await timeline(request))
    assert kinds[EventKind.GUIDE_SENT]["title"] == "Kích hoạt tài khoản VNeID mức 2"
    page = await database_sync_to_async(client.get)(f"/track/{request.code}")
    html = page.content.decode()
    assert "Đã gửi hướng dẫn cho người dân: Kích hoạt tài khoản VNeID mức 2" in html
    assert "Trong lúc chờ, bác có thể chuẩn bị…" in html
    assert 'href="/guides/kich-hoat-vneid-muc-2/"' in html
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("presence_redis")
async def test_a_volunteer_of_another_team_cannot_send_a_guide_to_the_resident(duc_an):
    request = await lan_assigned_to_an(duc_an)
    socket = await open_socket(duc_an.y_dam.user)
    await socket.receive_json_from(timeout=10)

    answer = await act(
        socket, action="guide", request_id=request.pk, guide="nhan-biet-lua-dao"
    )

    assert answer["type"] == "error" and answer["code"] == "not_your_team"
    assert await guide_sms_to(LAN_PHONE) == []
    await socket.disconnect()


@pytest.fixture
def text_from(client, deliver):
    def send(phone: str, body: str) -> str:
        sid = f"SMGV{next(_sids):06d}"
        data = fixture("twilio_sms_inbound.json")
        data.update(
            Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=phone
        )
        deliver(post_twilio, client, "/hooks/twilio/sms", data)
        reply = (
            OutboundMessage.objects.filter(
                to_number=phone, purpose=OutboundMessage.Purpose.REPLY
            )
            .order_by("-created_at")
            .first()
        )
        return reply.body if reply else ""

    return send


@pytest.mark.django_db
def test_gui_by_sms_sends_the_guide_to_the_resident_of_the_assignment(
    duc_an, starter_guides, text_from, deliver
):
    request = deliver(submit_for_lan, duc_an)
    deliver(lifecycle.accept_offer, offer=open_offer_of(request), volunteer=duc_an.an)

    reply = text_from(duc_an.an.phone, f"GUI {request.code} lua dao")

    assert reply == f"Da nhan huong dan LUADAO cho nguoi dan cua {request.code}."
    sent = OutboundMessage.objects.get(
        to_number=LAN_PHONE, purpose=OutboundMessage.Purpose.GUIDE
    )
    assert "Nhan biet 5 kieu lua dao hay gap" in sent.body
    assert request.events.filter(kind=EventKind.GUIDE_SENT).count() == 1
    assert GuideSend.objects.get().volunteer == duc_an.an


@pytest.mark.django_db
def test_gui_with_an_unknown_word_lists_the_keywords_and_sends_nothing(
    duc_an, starter_guides, text_from, deliver
):
    request = deliver(submit_for_lan, duc_an)
    deliver(lifecycle.accept_offer, offer=open_offer_of(request), volunteer=duc_an.an)

    reply = text_from(duc_an.an.phone, f"GUI {request.code} xyz")

    assert reply.startswith("Khong co huong dan nay. Nhan GUI <ma> va mot tu:")
    assert "VNEID" in reply
    assert not GuideSend.objects.exists()


@pytest.mark.django_db
def test_gui_for_another_teams_request_is_refused(
    duc_an, starter_guides, text_from, deliver
):
    request = deliver(submit_for_lan, duc_an)
    deliver(lifecycle.accept_offer, offer=open_offer_of(request), volunteer=duc_an.an)

    reply = text_from(duc_an.y_dam.phone, f"GUI {request.code} vneid")

    assert reply.startswith("Khong thuc hien duoc")
    assert not GuideSend.objects.exists()


@pytest.mark.django_db
def test_a_resident_who_asked_on_zalo_receives_the_guide_on_zalo(
    client, demo_commune, zalo_api, deliver
):
    from dispatch.guides.services import install_seed_guides, send_to_resident
    from dispatch.models import Guide, HelpRequest, Offer
    from tests.dispatch.providers import ZALO_USER, post_zalo, zalo_event

    install_seed_guides()
    event = zalo_event("user_send_text", message={"text": "can giup vneid o thon 5"})
    assert deliver(post_zalo, client, event).status_code == 200
    request = HelpRequest.objects.get()
    offer = Offer.objects.get(request=request, state=Offer.State.OPEN)
    volunteer = offer.team.volunteers.filter(on_duty=True).first()
    lifecycle.accept_offer(offer=offer, volunteer=volunteer)
    guide = Guide.objects.get(keyword="vneid")

    deliver(send_to_resident, request=request, guide=guide, volunteer=volunteer)

    texts = zalo_api.texts_to(ZALO_USER)
    assert any(guide.sms_vi.split()[0] in text and "/g/vneid" in text for text in texts)
    assert not OutboundMessage.objects.filter(
        request=request, purpose=OutboundMessage.Purpose.GUIDE, transport="sms"
    ).exists()
    assert GuideSend.objects.filter(request=request, guide=guide).count() == 1
