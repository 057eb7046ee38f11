"""Residents and volunteers by SMS: Twilio and SMSGate end in the same services."""

from __future__ import annotations

import pytest

from dispatch.models import (
    Category,
    HelpRequest,
    InboundMessage,
    Offer,
    OutboundMessage,
    Status,
)
from teams.models import Volunteer
from tests.dispatch.providers import fixture, post_smsgate, post_twilio

RESIDENT = "+84912345678"


def twilio_sms(body: str, *, sid: str, sender: str = RESIDENT) -> dict[str, str]:
    data = fixture("twilio_sms_inbound.json")
    data.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=sender)
    return data


def replies_to(phone: str) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(
            to_number=phone, purpose=OutboundMessage.Purpose.REPLY
        ).order_by("created_at")
    )


@pytest.mark.django_db
def test_the_same_twilio_sms_three_times_makes_one_request_one_offer_one_reply(
    client, demo_commune, deliver
):
    data = fixture("twilio_sms_inbound.json")
    for _ in range(3):
        response = deliver(post_twilio, client, "/hooks/twilio/sms", data)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
    assert InboundMessage.objects.count() == 1
    request = HelpRequest.objects.get()
    assert Offer.objects.filter(request=request).count() == 1
    assert len(replies_to(RESIDENT)) == 1


@pytest.mark.django_db
def test_an_unaccented_vneid_sms_from_a_new_phone_reaches_the_thon_5_team(
    client, demo_commune, deliver
):
    data = fixture("twilio_sms_inbound.json")
    assert data["Body"] == "can giup kich hoat vneid muc 2 o thon 5"
    deliver(post_twilio, client, "/hooks/twilio/sms", data)

    request = HelpRequest.objects.get()
    assert request.category == Category.VNEID
    assert request.village.name == "Thôn 5"
    assert request.commune == demo_commune
    offer = request.offers.get()
    assert request.village in offer.team.villages.all()
    [reply] = replies_to(RESIDENT)
    assert request.code in reply.body
    assert reply.encoding == "GSM-7" and reply.segments == 1
    assert reply.status in (
        OutboundMessage.Status.DELIVERED,
        OutboundMessage.Status.SENT,
    )


@pytest.mark.django_db
def test_the_same_sms_through_smsgate_makes_the_same_request_once(
    client, demo_commune, deliver
):
    envelope = fixture("smsgate_events.json")["sms_received"]
    for _ in range(2):
        assert deliver(post_smsgate, client, envelope).status_code == 200
    # The app's content-provider fallback re-emits the SMS under a new envelope id.
    again = {**envelope, "id": "second-envelope-id"}
    assert deliver(post_smsgate, client, again).status_code == 200

    request = HelpRequest.objects.get()
    assert request.channel == "sms"
    assert request.category == Category.VNEID
    assert request.village.name == "Thôn 5"
    assert request.resident_phone == RESIDENT
    assert len(replies_to(RESIDENT)) == 1


@pytest.mark.django_db
def test_a_second_sms_within_30_minutes_joins_the_open_request(
    client, demo_commune, deliver
):
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("can giup vneid thon 5", sid="SM1"),
    )
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("toi o gan truong hoc", sid="SM2"),
    )

    request = HelpRequest.objects.get()
    assert "toi o gan truong hoc" in request.description
    second = replies_to(RESIDENT)[1]
    assert request.code in second.body


@pytest.mark.django_db
def test_status_cancel_and_help_commands(client, demo_commune, deliver):
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("can giup vneid thon 5", sid="SM1"),
    )
    request = HelpRequest.objects.get()
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms(f"tt {request.code.lower()}", sid="SM2"),
    )
    deliver(post_twilio, client, "/hooks/twilio/sms", twilio_sms("GIUP", sid="SM3"))
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms(f"HUY {request.code}", sid="SM4"),
    )

    status, usage, cancelled = replies_to(RESIDENT)[1:]
    assert request.code in status.body and "Yeu cau" in status.body
    assert "TT" in usage.body and "HUY" in usage.body
    assert "Da huy" in cancelled.body
    request.refresh_from_db()
    assert request.status == Status.CANCELLED


@pytest.mark.django_db
def test_someone_elses_phone_cannot_cancel_a_request(client, demo_commune, deliver):
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("can giup vneid thon 5", sid="SM1"),
    )
    request = HelpRequest.objects.get()
    other = "+84933333333"
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms(f"HUY {request.code}", sid="SM2", sender=other),
    )
    request.refresh_from_db()
    assert request.status != Status.CANCELLED
    assert "Khong tim thay" in replies_to(other)[0].body


@pytest.mark.django_db
def test_a_volunteer_texting_nhan_takes_the_latest_offer_and_the_resident_is_told(
    client, demo_commune, deliver
):
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("can giup vneid thon 5", sid="SM1"),
    )
    request = HelpRequest.objects.get()
    offer = request.offers.get()
    volunteer = offer.team.volunteers.filter(on_duty=True, active=True).first()

    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("Nhận", sid="SM2", sender=volunteer.phone),
    )

    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer == volunteer
    [to_volunteer] = replies_to(volunteer.phone)
    assert request.code in to_volunteer.body
    told = OutboundMessage.objects.filter(
        to_number=RESIDENT, purpose=OutboundMessage.Purpose.UPDATE
    ).get()
    assert request.code in told.body


@pytest.mark.django_db
def test_a_stale_nhan_gets_a_clear_reply(client, demo_commune, deliver):
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("can giup vneid thon 5", sid="SM1"),
    )
    request = HelpRequest.objects.get()
    team = request.offers.get().team
    first, second = team.volunteers.filter(active=True)[:2]
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms(f"NHAN {request.code}", sid="SM2", sender=first.phone),
    )
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms(f"nhan {request.code}", sid="SM3", sender=second.phone),
    )

    [reply] = replies_to(second.phone)
    assert "Khong thuc hien duoc" in reply.body
    request.refresh_from_db()
    assert request.assigned_volunteer == first


@pytest.mark.django_db
def test_a_volunteer_declines_then_a_teammate_finishes_and_the_resident_rates(
    client, demo_commune, deliver
):
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("can giup vneid thon 5", sid="SM1"),
    )
    request = HelpRequest.objects.get()
    team = request.offers.get().team
    volunteer = team.volunteers.filter(on_duty=True, active=True).first()
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("tu choi dang o ray", sid="SM2", sender=volunteer.phone),
    )
    request.refresh_from_db()
    # The decline is personal: the team's offer stays open for the others on duty.
    offer = request.offers.get(state=Offer.State.OPEN)
    assert offer.team == team
    assert offer.declines.get().reason == "dang o ray"

    taker = (
        offer.team.volunteers.filter(on_duty=True, active=True)
        .exclude(pk=volunteer.pk)
        .first()
    )
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("NHAN", sid="SM3", sender=taker.phone),
    )
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("xong 2", sid="SM4", sender=taker.phone),
    )
    asked = (
        OutboundMessage.objects.filter(
            to_number=RESIDENT, purpose=OutboundMessage.Purpose.UPDATE
        )
        .order_by("created_at")
        .last()
    )
    assert "Danh gia: tra loi so 1 (te) den 5 (tot)" in asked.body
    deliver(post_twilio, client, "/hooks/twilio/sms", twilio_sms("5", sid="SM5"))

    request.refresh_from_db()
    assert request.status == Status.RESOLVED
    assert request.rating == 5
    assert "5 sao" in replies_to(RESIDENT)[-1].body


@pytest.mark.django_db
def test_xong_without_an_assignment_says_so(client, demo_commune, deliver):
    volunteer = Volunteer.objects.filter(team__commune=demo_commune).first()
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("XONG 1", sid="SM1", sender=volunteer.phone),
    )
    assert "khong co viec" in replies_to(volunteer.phone)[0].body


@pytest.mark.django_db
def test_unintelligible_text_still_becomes_a_request_for_the_operator(
    client, demo_commune, deliver
):
    deliver(
        post_twilio, client, "/hooks/twilio/sms", twilio_sms("alo alo ???", sid="SM1")
    )
    request = HelpRequest.objects.get()
    assert request.category == Category.OTHER
    [reply] = replies_to(RESIDENT)
    assert request.code in reply.body


@pytest.mark.django_db
def test_nhan_from_a_residents_phone_is_read_as_a_request(
    client, demo_commune, deliver
):
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("Nhận được cuộc gọi lạ xưng công an đòi mã OTP", sid="SM1"),
    )
    request = HelpRequest.objects.get()
    assert request.category == Category.SCAM


@pytest.mark.django_db
def test_a_flooding_phone_is_stored_but_answered_only_once_more(
    client, demo_commune, deliver, settings
):
    settings.SMS_INTAKE_LIMIT_PER_HOUR = 2
    for n in range(5):
        deliver(
            post_twilio, client, "/hooks/twilio/sms", twilio_sms("alo", sid=f"SM{n}")
        )
    assert InboundMessage.objects.count() == 5
    # Two answers, then one polite "too many" for the hour: never a reply loop.
    assert len(replies_to(RESIDENT)) == 3


@pytest.mark.django_db
def test_logs_never_carry_the_residents_number_or_words(
    client, demo_commune, deliver, caplog
):
    caplog.set_level("DEBUG")
    deliver(
        post_twilio, client, "/hooks/twilio/sms", fixture("twilio_sms_inbound.json")
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "inbound twilio_sms" in logged
    assert RESIDENT not in logged and "0912345678" not in logged
    assert "kich hoat vneid" not in logged


@pytest.mark.django_db
def test_xm_tells_whether_a_volunteers_certificate_is_valid(
    client, demo_commune, deliver
):
    from training.demo import seed_training
    from training.models import Certificate

    seed_training(demo_commune)
    certificate = Certificate.objects.filter(revoked_at__isnull=True).first()
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms(f"xm {certificate.code.lower()}", sid="SM1"),
    )
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/sms",
        twilio_sms("XM ZZ-0000-0000", sid="SM2"),
    )

    found, unknown = replies_to(RESIDENT)
    assert certificate.code in found.body
    assert "hieu luc" in found.body or "het han" in found.body
    assert "Khong co chung nhan" in unknown.body
    assert HelpRequest.objects.count() == 0
