"""The resident's needs reach the volunteer: ticks, landmark, preferred time, visits."""

from __future__ import annotations

import datetime as dt

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from dispatch.help_requests import offer_notices, visits
from dispatch.help_requests.lifecycle import accept_offer
from dispatch.intake.landmarks import extract_landmark
from dispatch.live import screens
from dispatch.models import EventKind, OutboundMessage, VolunteerAction
from tests.dispatch.conftest import open_offer_of, submit_for_lan
from tests.dispatch.live_fixtures import (
    act,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
)


def lan_with_needs(duc_an):
    return submit_for_lan(
        duc_an,
        flags=["elderly", "no_smartphone", "home_visit"],
        landmark="gần trường tiểu học Thôn 1",
        preferred_time="sau 17 giờ",
    )


@pytest.mark.django_db
def test_the_offer_card_shows_the_ticks_in_plain_words_and_icons(duc_an):
    offer = open_offer_of(lan_with_needs(duc_an))

    card = screens.offer_card(offer)

    assert [(n["label"], n["icon"]) for n in card["needs"]] == [
        ("cao tuổi", "👵"),
        ("không có điện thoại thông minh", "📵"),
        ("cần đến tận nhà", "🏠"),
    ]
    assert card["preferred_time"] == "sau 17 giờ"
    # Before accepting, nothing that finds the house.
    assert "landmark" not in card


@pytest.mark.django_db
def test_the_assignment_card_adds_the_landmark_distance_and_directions(duc_an):
    request = lan_with_needs(duc_an)
    request = accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)

    card = screens.assignment_card(request)

    assert card["landmark"] == "gần trường tiểu học Thôn 1"
    assert [n["key"] for n in card["needs"]] == [
        "elderly",
        "no_smartphone",
        "home_visit",
    ]
    assert card["distance_km"] is not None
    assert card["map_url"].startswith("https://www.openstreetmap.org/")


@pytest.mark.django_db
def test_the_offer_sms_names_the_needs_time_and_distance(duc_an):
    offer = open_offer_of(lan_with_needs(duc_an))

    text = offer_notices.offer_text(offer)

    assert "Người dân: cao tuổi, không có điện thoại thông minh, cần đến tận nhà." in (
        text
    )
    assert "Tiện lúc: sau 17 giờ." in text
    assert "Cách 0.0 km." in text


@pytest.mark.parametrize(
    ("sms", "landmark"),
    [
        (
            "can giup vneid, nha gan truong tieu hoc thon 5",
            "gan truong tieu hoc thon 5",
        ),
        ("Nhà tôi ở cạnh chợ Đức An, cần giúp chuyển tiền", "cạnh chợ Đức An"),
        ("toi o doi dien UBND xa can giup", "doi dien UBND xa"),
        ("sau khi cai app bi loi", ""),
        ("gan day bi lua mat tien", ""),
    ],
)
def test_a_landmark_is_read_from_the_sms_text(sms, landmark):
    assert extract_landmark(sms) == landmark


@pytest.mark.django_db
def test_a_landmark_typed_in_an_sms_reaches_the_request(client, duc_an, deliver):
    from tests.dispatch.providers import fixture, post_twilio

    data = fixture("twilio_sms_inbound.json")
    data.update(Body="can giup vneid muc 2, nha gan truong tieu hoc thon 1")
    deliver(post_twilio, client, "/hooks/twilio/sms", data)

    from dispatch.models import HelpRequest

    newest = HelpRequest.objects.order_by("-pk").first()
    assert newest.landmark == "gan truong tieu hoc thon 1"


@pytest.mark.django_db
def test_booking_a_home_visit_tells_the_resident_by_sms(duc_an):
    request = lan_with_needs(duc_an)
    request = accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    at = timezone.make_aware(
        dt.datetime.combine(
            timezone.localdate() + dt.timedelta(days=1), dt.time(14, 30)
        )
    )

    visits.schedule_visit(request=request, volunteer=duc_an.an, at=at)

    sms = OutboundMessage.objects.filter(
        to_number=request.resident_phone, dedupe_key__startswith="visit:"
    ).get()
    assert f"se den nha ban luc 14:30 ngay {at:%d/%m}" in sms.body
    assert "An (To Thon 1)" in sms.body
    assert request.events.filter(kind=EventKind.VISIT_SCHEDULED).exists()
    request.refresh_from_db()
    assert request.visit_at == at


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("presence_redis")
async def test_an_action_sent_twice_with_the_same_id_runs_once(duc_an):
    request = await database_sync_to_async(lan_with_needs)(duc_an)
    offer = await database_sync_to_async(open_offer_of)(request)
    socket = await open_socket(duc_an.an.user)
    await socket.receive_json_from(timeout=10)

    first = await act(
        socket, action="accept", offer_id=offer.pk, action_id="tap-0001-abc"
    )
    again = await act(
        socket, action="accept", offer_id=offer.pk, action_id="tap-0001-abc"
    )

    assert first["type"] == "result" and "repeated" not in first
    assert again["type"] == "result" and again["repeated"] is True
    assert again["assignment"]["code"] == request.code
    assert await database_sync_to_async(VolunteerAction.objects.count)() == 1
    await socket.disconnect()
