"""Volunteers sign in with their phone and a 6-digit SMS code; staff keep passwords."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.core.cache import cache
from django.utils import timezone

from dispatch.models import LoginCode, OutboundMessage
from dispatch.privacy import retention
from dispatch.sms import delivery
from tests.dispatch.providers import twilio_message_json


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def texted_code(phone: str) -> str:
    message = OutboundMessage.objects.filter(
        to_number=phone, purpose="login_code"
    ).latest("created_at")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def ask_code(client, phone: str = "0912 000 001"):
    return client.post("/v/login/", {"phone": phone})


def test_a_volunteer_signs_in_with_the_code_texted_to_their_phone(client, duc_an):
    response = ask_code(client)
    assert response.status_code == 302 and response["Location"] == "/v/login/code/"
    code = texted_code(duc_an.an.phone)

    response = client.post("/v/login/code/", {"code": code})

    assert response.status_code == 302 and response["Location"] == "/v/"
    assert client.session.get_expiry_age() == 30 * 24 * 3600
    page = client.get("/v/")
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.content.decode()


def test_the_code_is_sent_as_a_login_code_sms_and_stored_only_hashed(client, duc_an):
    ask_code(client)
    code = texted_code(duc_an.an.phone)

    stored = LoginCode.objects.get(phone=duc_an.an.phone)
    assert code not in stored.code_hash
    assert "5 phut" in OutboundMessage.objects.get(purpose="login_code").body


def test_a_wrong_code_is_refused_and_the_sixth_try_fails_even_when_right(
    client, duc_an
):
    ask_code(client)
    code = texted_code(duc_an.an.phone)
    wrong = "000000" if code != "000000" else "111111"

    answers = [client.post("/v/login/code/", {"code": wrong}) for _ in range(5)]
    last = client.post("/v/login/code/", {"code": code})

    assert "Mã không đúng" in answers[0].content.decode()
    assert "sai quá nhiều lần" in answers[4].content.decode()
    assert last.status_code == 200 and "_auth_user_id" not in client.session


def test_a_code_older_than_five_minutes_is_refused(client, duc_an):
    ask_code(client)
    code = texted_code(duc_an.an.phone)
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post("/v/login/code/", {"code": code})

    assert "hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_works_only_once(client, duc_an):
    ask_code(client)
    code = texted_code(duc_an.an.phone)
    client.post("/v/login/code/", {"code": code})
    client.logout()
    session = client.session
    session["login_phone"] = duc_an.an.phone
    session.save()

    response = client.post("/v/login/code/", {"code": code})

    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_asking_for_codes_is_rate_limited_per_phone_and_per_ip(client, duc_an):
    for _ in range(3):
        ask_code(client)
    refused = ask_code(client)
    assert "nhiều lần" in refused.content.decode()
    assert OutboundMessage.objects.filter(purpose="login_code").count() == 3

    for i in range(10):
        ask_code(client, f"09120099{i:02d}")
    assert "nhiều lần" in ask_code(client, "0912009999").content.decode()


def test_strangers_and_staff_get_the_same_answer_but_no_sms(client, duc_an):
    duc_an.secretary.user.is_staff = True
    duc_an.secretary.user.save()
    stranger = ask_code(client, "0933 111 222")

    assert stranger.status_code == 302
    assert not OutboundMessage.objects.filter(purpose="login_code").exists()


def test_a_bad_phone_number_gets_a_vietnamese_error_not_a_500(client, duc_an):
    response = ask_code(client, "abc")

    assert response.status_code == 200
    assert "Số điện thoại chưa đúng" in response.content.decode()


def test_staff_still_sign_in_with_their_password(client, duc_an):
    response = client.post(
        "/accounts/login/",
        {"username": "thuky", "password": "mat-khau-thu-nghiem"},
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(duc_an.secretary.user.pk)


def test_the_volunteer_page_sends_visitors_to_the_phone_sign_in(client, db):
    response = client.get("/v/")

    assert response.status_code == 302
    assert response["Location"].startswith("/v/login/")


# --- The stored copy of the code SMS ------------------------------------------------------
SID = "SM0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def code_sent_in(provider_request: dict) -> str:
    body = parse_qs(provider_request["body"])["Body"][0]
    return re.search(r"\b(\d{6})\b", body).group(1)


def stored_code_sms() -> OutboundMessage:
    return OutboundMessage.objects.get(purpose="login_code")


def test_once_the_code_sms_is_handed_over_the_stored_copy_no_longer_shows_it(
    client, duc_an, twilio_api, deliver
):
    twilio_api.answer(201, twilio_message_json(SID))
    deliver(ask_code, client)

    [sent] = twilio_api.requests
    code = code_sent_in(sent)
    stored = stored_code_sms()
    assert code not in stored.body
    assert "ma dang nhap cua ban la ●●●●●●, dung trong 5 phut" in stored.body
    response = client.post("/v/login/code/", {"code": code})
    assert response["Location"] == "/v/"


def test_a_retry_after_a_failed_first_try_still_sends_the_real_code(
    client, duc_an, twilio_api, deliver
):
    twilio_api.answer(503, {"code": 20500, "message": "Service unavailable"})
    twilio_api.answer(201, twilio_message_json(SID))
    deliver(ask_code, client)
    assert stored_code_sms().status == OutboundMessage.Status.QUEUED

    delivery.send_outbound(message_id=str(stored_code_sms().pk))  # the scheduled retry

    first, second = twilio_api.requests
    code = code_sent_in(first)
    assert code_sent_in(second) == code
    assert code not in stored_code_sms().body
    assert client.post("/v/login/code/", {"code": code})["Location"] == "/v/"


def test_a_code_sms_that_failed_for_good_keeps_no_code(
    client, duc_an, twilio_api, deliver
):
    twilio_api.answer(400, {"code": 21614, "message": "'To' is not a mobile number"})
    deliver(ask_code, client)

    stored = stored_code_sms()
    assert stored.status == OutboundMessage.Status.FAILED
    assert code_sent_in(twilio_api.requests[0]) not in stored.body
    assert "●●●●●●" in stored.body


def test_a_retry_whose_code_expired_meanwhile_is_not_sent(
    client, duc_an, twilio_api, deliver
):
    twilio_api.answer(503, {"code": 20500, "message": "Service unavailable"})
    deliver(ask_code, client)
    LoginCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    status = delivery.send_outbound(message_id=str(stored_code_sms().pk))

    assert status == OutboundMessage.Status.FAILED
    assert len(twilio_api.requests) == 1
    assert code_sent_in(twilio_api.requests[0]) not in stored_code_sms().body


def test_a_used_code_is_blanked_even_in_a_copy_not_yet_reported_sent(client, duc_an):
    ask_code(client)
    code = texted_code(duc_an.an.phone)

    client.post("/v/login/code/", {"code": code})

    assert code not in stored_code_sms().body


def test_retention_blanks_codes_left_whole_in_older_messages(client, duc_an):
    ask_code(client)
    code = texted_code(duc_an.an.phone)
    OutboundMessage.objects.update(created_at=timezone.now() - timedelta(minutes=6))

    retention.anonymise_expired()

    assert code not in stored_code_sms().body
    assert "●●●●●●" in stored_code_sms().body
