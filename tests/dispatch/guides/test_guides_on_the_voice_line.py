"""The voice line offers "bấm 8" for the top guides: the caller hears the steps read
aloud and receives them by SMS, once per call and guide."""

from __future__ import annotations

import pytest

from dispatch.models import GuideSend, OutboundMessage
from tests.dispatch.providers import fixture, post_twilio

pytestmark = pytest.mark.django_db


def call_step(client, path: str, **params: str) -> str:
    data = {**fixture("twilio_voice_call.json")["call"], **params}
    response = post_twilio(client, path, data)
    assert response.status_code == 200
    return response.content.decode()


def test_the_menu_offers_8_for_guides(client, demo_commune, starter_guides):
    menu = call_step(client, "/hooks/twilio/voice/menu")

    assert "Bấm 8 để nghe hướng dẫn làm thủ tục." in menu


def test_pressing_8_lists_the_top_guides_and_a_key_reads_one_and_texts_it(
    client, demo_commune, starter_guides, deliver
):
    caller = fixture("twilio_voice_call.json")["call"]["From"]

    listed = call_step(client, "/hooks/twilio/voice/category?attempt=1", Digits="8")
    heard = deliver(call_step, client, "/hooks/twilio/voice/guide", Digits="1")
    again = deliver(call_step, client, "/hooks/twilio/voice/guide", Digits="1")

    assert "Bấm 1: Kích hoạt tài khoản VNeID mức 2." in listed
    assert "Bấm 2: Quên mật khẩu hoặc passcode VNeID." in listed
    assert "Bước 1: Chờ tin nhắn báo tài khoản đã được phê duyệt." in heard
    assert "Các bước này đã được nhắn vào máy của bạn." in heard
    assert again == heard
    [sms] = OutboundMessage.objects.filter(purpose=OutboundMessage.Purpose.GUIDE)
    assert sms.to_number.endswith(caller[-9:])
    assert sms.body.startswith("Cau Noi HD VNEID:")
    assert GuideSend.objects.filter(via=GuideSend.Via.VOICE).count() == 1


def test_a_key_with_no_guide_goes_back_to_the_menu(
    client, demo_commune, starter_guides
):
    answer = call_step(client, "/hooks/twilio/voice/guide", Digits="9")

    assert "/hooks/twilio/voice/category" in answer
    assert not OutboundMessage.objects.filter(
        purpose=OutboundMessage.Purpose.GUIDE
    ).exists()


def test_where_k_ho_has_key_8_the_guides_move_to_6(
    client, demo_commune, starter_guides
):
    from django.core.files.base import ContentFile

    from dispatch.models import VoicePrompt

    VoicePrompt.objects.create(
        commune=demo_commune,
        language="koho",
        key="menu",
        audio=ContentFile(b"x", "m.mp3"),
    )

    menu = call_step(client, "/hooks/twilio/voice/menu")
    guides = call_step(client, "/hooks/twilio/voice/category?attempt=1", Digits="6")

    assert "Bấm 6 để nghe hướng dẫn làm thủ tục." in menu
    assert "Bấm 8 để nghe tiếng K'Ho." in menu
    assert "Bấm 1: Kích hoạt tài khoản VNeID mức 2." in guides
