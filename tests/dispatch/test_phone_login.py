"""Volunteers sign in with their phone and a 6-digit SMS code; staff keep passwords."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from dispatch.models import LoginCode, OutboundMessage


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
