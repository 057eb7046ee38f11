"""Residents and volunteers on the commune's Zalo OA: the same grammar and services as
SMS, with Zalo's own events (location, images, voice, follow, delivery reports)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dispatch.models import (
    HelpRequest,
    LocationSource,
    Offer,
    OutboundMessage,
    Status,
    ZaloContact,
)
from dispatch.sms.zalo_links import issue_link_code
from teams.models import Village
from tests.dispatch.providers import ZALO_USER, post_zalo, zalo_event

pytestmark = pytest.mark.django_db

VOLUNTEER_ZALO = "7000000000000000001"


def send_text(client, deliver, text: str, *, msg_id: str, user: str = ZALO_USER):
    event = zalo_event(
        "user_send_text", sender={"id": user}, message={"text": text, "msg_id": msg_id}
    )
    assert deliver(post_zalo, client, event).status_code == 200


def test_follow_gets_a_vietnamese_greeting_saying_what_to_send(
    client, demo_commune, zalo_api, deliver
):
    deliver(post_zalo, client, zalo_event("follow"))

    [greeting] = zalo_api.texts_to(ZALO_USER)
    assert "Hãy nhắn việc cần giúp và tên thôn" in greeting
    assert "gửi vị trí" in greeting
    assert ZaloContact.objects.get().display_name == "Bà Lan"


def test_unfollow_stops_messages_to_that_user(client, demo_commune, zalo_api, deliver):
    deliver(post_zalo, client, zalo_event("follow"))
    deliver(post_zalo, client, zalo_event("unfollow"))

    assert ZaloContact.objects.get().following is False
    assert len(zalo_api.messages) == 1  # the greeting only; nothing for unfollow


def test_a_location_is_located_by_point_and_routed_to_the_nearest_team(
    client, demo_commune, zalo_api, deliver
):
    thon_7 = Village.objects.get(commune=demo_commune, name="Thôn 7")
    event = zalo_event("user_send_location")
    event["message"]["attachments"][0]["payload"]["coordinates"] = {
        "latitude": str(thon_7.lat),
        "longitude": str(thon_7.lng),
    }

    deliver(post_zalo, client, event)

    request = HelpRequest.objects.get()
    assert request.location_source == LocationSource.GPS
    assert (request.lat, request.lng) == (thon_7.lat, thon_7.lng)
    assert request.village == thon_7
    assert request.current_team is not None
    [reply] = zalo_api.texts_to(ZALO_USER)
    assert "Bạn cần giúp việc gì?" in reply
    assert request.code in reply


def test_a_location_after_a_text_locates_the_open_request_by_point(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid", msg_id="m-1")
    thon_7 = Village.objects.get(commune=demo_commune, name="Thôn 7")
    event = zalo_event("user_send_location")
    event["message"]["attachments"][0]["payload"]["coordinates"] = {
        "latitude": str(thon_7.lat),
        "longitude": str(thon_7.lng),
    }

    deliver(post_zalo, client, event)

    request = HelpRequest.objects.get()
    assert request.location_source == LocationSource.GPS
    assert request.village == thon_7
    assert (
        f"Đã nhận vị trí của bạn cho yêu cầu {request.code}"
        in (zalo_api.texts_to(ZALO_USER)[-1])
    )


def test_an_image_and_a_voice_note_join_the_open_request_for_the_volunteer(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")

    deliver(post_zalo, client, zalo_event("user_send_image"))
    deliver(post_zalo, client, zalo_event("user_send_audio"))

    request = HelpRequest.objects.get()
    assert "[Ảnh gửi qua Zalo] https://photo-stal.zadn.vn/full/loi-vneid.jpg" in (
        request.description
    )
    assert "[Tin nhắn thoại qua Zalo] https://voice-stal.zadn.vn/ghi-am.aac" in (
        request.description
    )
    assert "Đã thêm tệp bạn gửi vào yêu cầu" in zalo_api.texts_to(ZALO_USER)[-1]


def test_a_phone_sent_after_the_request_is_linked_and_written_on_it(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")

    send_text(client, deliver, "0912 345 678", msg_id="m-2")

    request = HelpRequest.objects.get()
    assert request.resident_phone == "+84912345678"
    assert ZaloContact.objects.get().phone == "+84912345678"
    assert (
        f"Đã ghi số 0912 345 678 vào yêu cầu {request.code}"
        in zalo_api.texts_to(ZALO_USER)[-1]
    )


def test_a_resident_asks_status_and_cancels_with_the_sms_words(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")
    request = HelpRequest.objects.get()

    send_text(client, deliver, f"TT {request.code}", msg_id="m-2")
    send_text(client, deliver, f"huy {request.code}", msg_id="m-3")

    texts = zalo_api.texts_to(ZALO_USER)
    assert texts[-2].startswith(f"Yêu cầu {request.code}:")
    assert texts[-1] == f"Đã hủy yêu cầu {request.code}. Cảm ơn bạn."
    request.refresh_from_db()
    assert request.status == Status.CANCELLED


def test_a_volunteer_links_zalo_with_lk_then_takes_the_offer_with_nhan(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")
    request = HelpRequest.objects.get()
    volunteer = request.current_team.volunteers.filter(on_duty=True).first()
    code = issue_link_code(volunteer=volunteer).code

    send_text(client, deliver, f"lk {code}", msg_id="v-1", user=VOLUNTEER_ZALO)
    send_text(
        client, deliver, f"NHAN {request.code}", msg_id="v-2", user=VOLUNTEER_ZALO
    )

    linked, accepted = zalo_api.texts_to(VOLUNTEER_ZALO)
    assert f"tình nguyện viên {volunteer.full_name}" in linked
    assert request.code in accepted
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer == volunteer
    assert Offer.objects.get(request=request, state=Offer.State.ACCEPTED)
    # The resident hears it on Zalo, within the window.
    assert any(
        "nhận" in text and request.code in text
        for text in zalo_api.texts_to(ZALO_USER)[1:]
    )


def test_a_wrong_or_expired_link_code_links_nobody(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "lk 000000", msg_id="v-1", user=VOLUNTEER_ZALO)

    assert ZaloContact.objects.get(user_id=VOLUNTEER_ZALO).volunteer is None
    assert "không đúng hoặc đã hết hạn" in zalo_api.texts_to(VOLUNTEER_ZALO)[0]


def test_linked_volunteers_get_offers_on_zalo_before_sms(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")
    first = HelpRequest.objects.get()
    team = first.current_team
    for number, volunteer in enumerate(team.volunteers.filter(on_duty=True)):
        user = f"70000000000000001{number:02d}"
        code = issue_link_code(volunteer=volunteer).code
        send_text(client, deliver, f"LK {code}", msg_id=f"v-{number}", user=user)

    send_text(
        client,
        deliver,
        "giup toi nop ho so dich vu cong thon 5",
        msg_id="m-9",
        user="5000000000000000009",
    )

    second = HelpRequest.objects.exclude(pk=first.pk).get()
    offers = OutboundMessage.objects.filter(
        request=second, purpose=OutboundMessage.Purpose.OFFER
    )
    assert offers.exists()
    assert set(offers.values_list("transport", flat=True)) == {"zalo"}
    assert any(f"NHAN {second.code}" in m["message"]["text"] for m in zalo_api.messages)


def test_delivery_and_seen_reports_move_our_message_forward(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")
    reply = OutboundMessage.objects.get(transport="zalo", provider_id="zalo-out-1")
    assert reply.status == "sent"

    deliver(post_zalo, client, zalo_event("user_received_message"))
    reply.refresh_from_db()
    assert reply.status == "delivered"
    deliver(post_zalo, client, zalo_event("user_seen_message"))
    reply.refresh_from_db()
    assert reply.status == "delivered"
    assert reply.delivered_at is not None


def test_a_text_after_48_hours_opens_a_new_window(
    client, demo_commune, zalo_api, deliver
):
    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")
    ZaloContact.objects.update(
        last_user_message_at=timezone.now() - timedelta(hours=50), replies_in_window=8
    )

    send_text(client, deliver, "TT", msg_id="m-2")

    contact = ZaloContact.objects.get()
    assert contact.replies_in_window == 1
    assert contact.last_user_msg_id == "m-2"


def test_erasing_the_phone_forgets_the_zalo_account_that_gave_it(
    client, demo_commune, zalo_api, deliver
):
    from django.contrib.auth import get_user_model

    from dispatch.privacy.subject import erase_subject

    send_text(client, deliver, "can giup kich hoat vneid o thon 5", msg_id="m-1")
    send_text(client, deliver, "0912345678", msg_id="m-2")
    admin = get_user_model().objects.create_superuser("quantri", password="x" * 12)

    erase_subject(phone="+84912345678", user=admin, commune_ids=None)

    assert not ZaloContact.objects.exists()
    request = HelpRequest.objects.get()
    assert (request.resident_name, request.resident_phone) == ("", "")
    assert request.channel == "zalo"


def test_a_volunteer_gets_the_link_code_by_sms_and_links_with_it(
    client, demo_commune, zalo_api, deliver
):
    from teams.models import Volunteer
    from tests.dispatch.providers import fixture, post_twilio

    volunteer = Volunteer.objects.filter(team__commune=demo_commune).first()
    data = fixture("twilio_sms_inbound.json")
    data.update(Body="zalo", MessageSid="SMZ1", SmsSid="SMZ1", From=volunteer.phone)
    deliver(post_twilio, client, "/hooks/twilio/sms", data)
    reply = OutboundMessage.objects.get(
        to_number=volunteer.phone, purpose=OutboundMessage.Purpose.REPLY
    )
    code = volunteer.zalo_link_code.code
    assert f"LK {code}" in reply.body
    assert "zalo.me/" in reply.body

    send_text(client, deliver, f"LK {code}", msg_id="v-1", user=VOLUNTEER_ZALO)

    assert ZaloContact.objects.get(user_id=VOLUNTEER_ZALO).volunteer == volunteer


def test_a_zalo_event_left_unprocessed_is_picked_up_by_the_retry_sweep(
    client, demo_commune, zalo_api, deliver
):
    from dispatch.intake import retries
    from dispatch.models import InboundMessage

    # Stored, but the task never ran (a lost queue message, a killed worker).
    assert post_zalo(client, zalo_event("user_send_text")).status_code == 200
    row = InboundMessage.objects.get()
    assert row.commune == demo_commune
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=5))

    assert deliver(retries.retry_unprocessed) == {"retried": 1, "gave_up": 0}

    request = HelpRequest.objects.get()
    assert request.code in zalo_api.texts_to(ZALO_USER)[0]
