"""Personal data: masked when written, access logged, anonymised after the retention
period, exported or erased on a resident's request, consent recorded per purpose."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dispatch import tasks
from dispatch.help_requests import lifecycle
from dispatch.intake import store as intake_store
from dispatch.intake import web as web_intake
from dispatch.masking import text as masking
from dispatch.models import (
    AccessPurpose,
    ConsentRecord,
    HelpRequest,
    InboundMessage,
    PersonalDataAccess,
    RequestEvent,
    Status,
)
from dispatch.privacy import retention
from teams.models import StaffMember
from tests.dispatch.providers import fixture, post_twilio
from tests.personas import nam_binh_commune, nam_binh_staff, submit_for_lan

pytestmark = pytest.mark.django_db
LAN = "+84912345678"


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("CCCD của tôi 079092001234", "07909200", "1234"),
        ("so can cuoc 0790 9200 1234 nhe", "0790 9200", "1234"),
        ("Mã OTP là 482913, giúp tôi với", "482913", "Mã OTP là"),
        ("ma xac thuc: 5521", "5521", "ma xac thuc"),
        ("482913 là mã xác nhận ngân hàng gửi", "482913", "là mã"),
        ("STK Vietcombank 0011 0023 45678 chủ TK Lan", "0011 0023 4", "5678"),
        ("thẻ 4111-1111-1111-1111 bị trừ tiền", "4111-1111-1111", "1111 bị"),
        ("mật khẩu: Lan@1952 quên rồi", "Lan@1952", "mật khẩu"),
    ],
)
def test_it_masks_ids_codes_cards_and_passwords_in_free_text(text, hidden, kept):
    masked = masking.mask_sensitive(text)
    assert hidden not in masked
    assert kept in masked
    assert len(masked) == len(text)
    assert masking.mask_sensitive(masked) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Gọi lại cho tôi số 0912345678",
        "Toi o thon 15, ma DA-7K3Q9",
        "Bị lừa mất 500.000 đồng",
        "NHAN DA-7K3Q9",
        "5",
    ],
)
def test_it_leaves_phones_codes_and_amounts_readable(text):
    assert masking.mask_sensitive(text) == text


def test_an_sms_with_an_id_number_is_stored_masked_everywhere(demo_commune, deliver):
    body = "Can kich hoat VNeID, CCCD 079092001234, ma OTP 123456"
    deliver(
        intake_store.receive_sms,
        provider=InboundMessage.Provider.TWILIO_SMS,
        provider_id="SM" + "1" * 32,
        from_number="0912345678",
        to_number=demo_commune.hotline_numbers[0],
        body=body,
        payload={"Body": body, "MessageSid": "SM" + "1" * 32},
    )
    inbound = InboundMessage.objects.get()
    request = HelpRequest.objects.get(resident_phone=LAN)
    for stored in (inbound.body, inbound.payload["Body"], request.description):
        assert "07909200" not in stored and "123456" not in stored
        assert "********1234" in stored


def test_notes_and_resolution_notes_are_masked(duc_an):
    request = submit_for_lan(duc_an)
    lifecycle.add_note(
        request=request, text="Bà đọc OTP 998877 qua điện thoại", user=None
    )
    note = RequestEvent.objects.filter(request=request, kind="note").get()
    assert "998877" not in note.data["text"]


def test_opening_a_request_page_logs_who_saw_the_contact_details(duc_an, client):
    request = submit_for_lan(duc_an)
    client.force_login(duc_an.secretary.user)
    page = client.get(f"/requests/{request.code}/")
    assert page.status_code == 200
    assert LAN in page.content.decode() or "0912" in page.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.user == duc_an.secretary.user
    assert access.purpose == AccessPurpose.REQUEST_DETAIL
    assert access.request == request and access.subject_phone == LAN


def _close(request: HelpRequest, *, days_ago: int) -> None:
    HelpRequest.objects.filter(pk=request.pk).update(
        status=Status.CLOSED, closed_at=timezone.now() - timedelta(days=days_ago)
    )


def test_requests_closed_longer_than_the_retention_period_are_anonymised(duc_an):
    old = submit_for_lan(duc_an, description="Thôn 1, cạnh trường, số nhà 12")
    lifecycle.add_resident_message(request=old, text="Cháu gọi lại giúp bà")
    recent = submit_for_lan(duc_an, resident_phone="0912345679")
    _close(old, days_ago=400)
    _close(recent, days_ago=10)

    assert retention.anonymise_expired() == 1
    assert retention.anonymise_expired() == 0  # idempotent

    old.refresh_from_db()
    assert (old.resident_name, old.resident_phone, old.description) == ("", "", "")
    assert (old.lat, old.lng) == (duc_an.thon_1.lat, duc_an.thon_1.lng)
    assert old.category == "vneid" and old.village == duc_an.thon_1  # stats kept
    assert not any("text" in e.data for e in old.events.all())
    recent.refresh_from_db()
    assert recent.resident_phone == "+84912345679"


def test_the_retention_task_is_scheduled_daily():
    declared = {s.func: s.minutes for s in tasks.SCHEDULES}
    assert declared["dispatch.tasks.anonymise_expired"] == 1440


def test_a_secretary_exports_everything_held_about_a_phone(duc_an, client):
    request = submit_for_lan(duc_an)
    client.force_login(duc_an.secretary.user)
    response = client.post(
        "/privacy/subject/", {"phone": "0912 345 678", "action": "json"}
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [r["code"] for r in data["requests"]] == [request.code]
    assert data["requests"][0]["resident_name"] == "Bà Nguyễn Thị Lan"
    csv_response = client.post(
        "/privacy/subject/", {"phone": "0912345678", "action": "csv"}
    )
    assert request.code in csv_response.content.decode("utf-8-sig")
    purposes = set(PersonalDataAccess.objects.values_list("purpose", flat=True))
    assert AccessPurpose.SUBJECT_EXPORT in purposes


def test_erasing_a_phone_cancels_its_open_request_and_blanks_its_data(duc_an, client):
    request = submit_for_lan(duc_an)
    client.force_login(duc_an.secretary.user)
    unconfirmed = client.post("/privacy/subject/", {"phone": LAN, "action": "erase"})
    assert unconfirmed.status_code == 400
    response = client.post(
        "/privacy/subject/", {"phone": LAN, "action": "erase", "confirm": "yes"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    assert request.resident_phone == "" and request.resident_name == ""
    assert not HelpRequest.objects.filter(resident_phone=LAN).exists()
    assert not ConsentRecord.objects.filter(phone=LAN).exists()


@pytest.mark.parametrize("who", ["operator", "volunteer", "anonymous"])
def test_only_secretaries_and_admins_handle_data_subject_requests(duc_an, who):
    client = Client()
    if who == "operator":
        client.force_login(duc_an.operator.user)
    elif who == "volunteer":
        client.force_login(duc_an.an.user)
    response = client.post("/privacy/subject/", {"phone": LAN, "action": "json"})
    assert response.status_code in (302, 403)
    assert b"requests" not in response.content


def test_a_secretary_of_another_commune_gets_nothing(duc_an, client):
    submit_for_lan(duc_an)
    stranger = nam_binh_staff(nam_binh_commune(), StaffMember.Role.SECRETARY)
    client.force_login(stranger.user)
    response = client.post("/privacy/subject/", {"phone": LAN, "action": "json"})
    assert json.loads(response.content)["requests"] == []


def test_the_help_form_records_consent_as_given_with_the_checkbox(duc_an):
    request = web_intake.submit_form_request(
        commune=duc_an.commune,
        data={"category": "vneid", "resident_phone": LAN, "consent": True},
        channel="web",
    )
    consent = ConsentRecord.objects.get(request=request)
    assert (consent.purpose, consent.method, consent.given) == (
        "dispatch",
        "form",
        True,
    )
    assert request.consent_at is not None


def _call(client, steps):
    data = fixture("twilio_voice_call.json")["call"]
    for path, params in steps:
        assert post_twilio(client, path, {**data, **params}).status_code == 200


def test_pressing_1_on_the_hotline_records_consent_to_store_and_record(
    client, demo_commune, deliver
):
    steps = [
        (s["path"], s["params"]) for s in fixture("twilio_voice_call.json")["steps"]
    ]
    deliver(_call, client, steps)
    request = HelpRequest.objects.get()
    answers = {c.purpose: c for c in ConsentRecord.objects.filter(request=request)}
    assert answers["dispatch"].given and answers["recording"].given
    assert answers["recording"].method == "keypress"
    assert "digit 1" in answers["recording"].evidence
    assert request.consent_at is not None


def test_pressing_2_stores_the_request_without_consent_to_record(
    client, demo_commune, deliver
):
    path = "/hooks/twilio/voice/consent?category=vneid&village=05"
    deliver(_call, client, [(path, {"Digits": "2"})])
    request = HelpRequest.objects.get()
    answers = {
        c.purpose: c.given for c in ConsentRecord.objects.filter(request=request)
    }
    assert answers == {"dispatch": True, "recording": False}


def test_silence_on_the_hotline_is_not_consent(client, demo_commune, deliver):
    path = "/hooks/twilio/voice/consent?category=vneid&village=05"
    deliver(_call, client, [(path, {"Digits": ""})])
    request = HelpRequest.objects.get()
    assert request.consent_at is None
    assert not ConsentRecord.objects.exists()


def test_stored_payloads_are_masked_and_hold_no_nul_characters():
    payload = {"Body": "OTP 123456\x00", "nested": [{"k\x00": "v\x00"}], "n": 1}
    assert masking.mask_payload(payload) == {
        "Body": "OTP ******",
        "nested": [{"k": "v"}],
        "n": 1,
    }
