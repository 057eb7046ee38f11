"""The voice line never loses a caller: an operator who does not answer becomes a
call-back request in the operator queue; a request's status is heard from any phone
by keying its code's digits."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from dispatch.help_requests import codes
from dispatch.models import HelpRequest, OutboundMessage
from dispatch.webhooks.twiml import spell_code
from tests.dispatch.conftest import submit_for_lan
from tests.dispatch.providers import fixture, post_twilio

pytestmark = pytest.mark.django_db
CALLER = "+84987654321"


def call_step(client, path: str, **params: str) -> str:
    data = {**fixture("twilio_voice_call.json")["call"], **params}
    response = post_twilio(client, path, data)
    assert response.status_code == 200
    return response.content.decode()


def next_action(twiml: str) -> str:
    """The URL Twilio posts to next (the Gather's action), as a path with query."""
    gather = ElementTree.fromstring(twiml).find("Gather")
    return gather.get("action").replace("&amp;", "&")


def test_operator_no_answer_leaves_a_call_back_request_in_the_operator_queue(
    client, demo_commune, deliver
):
    dialled = call_step(client, "/hooks/twilio/voice/category?attempt=1", Digits="0")
    dial = ElementTree.fromstring(dialled).find("Dial")
    assert dial.text == demo_commune.operator_phone
    assert dial.get("action") == "/hooks/twilio/voice/dial-done"

    asked = call_step(client, dial.get("action"), DialCallStatus="no-answer")
    assert "Tổng đài viên chưa nghe máy được" in asked
    confirm = call_step(client, next_action(asked), Digits="05")
    assert codes.spoken_code("0987654321") in confirm
    done = deliver(call_step, client, next_action(confirm), Digits="1")

    request = HelpRequest.objects.get()
    assert request.callback_requested is True
    assert request.resident_phone == CALLER
    assert request.village.name == "Thôn 5"
    assert request.channel == "voice"
    assert spell_code(request.code) in done and "gọi lại cho bạn" in done
    texted = OutboundMessage.objects.get(to_number=CALLER)
    assert request.code in texted.body
    # The operators' list of open requests shows it (the call-back queue is issue 14's).
    assert (
        HelpRequest.objects.filter(
            callback_requested=True, status__in=["routed", "escalated", "received"]
        ).count()
        == 1
    )


def test_a_caller_can_give_another_number_to_be_called_back_on(
    client, demo_commune, deliver
):
    asked = call_step(client, "/hooks/twilio/voice/dial-done", DialCallStatus="busy")
    confirm = call_step(client, next_action(asked), Digits="*")
    other = call_step(client, next_action(confirm), Digits="2")
    assert "Nhập số điện thoại cần gọi lại" in other
    confirm_other = call_step(client, next_action(other), Digits="0912345678")
    assert codes.spoken_code("0912345678") in confirm_other
    deliver(call_step, client, next_action(confirm_other), Digits="1")
    request = HelpRequest.objects.get()
    assert request.resident_phone == "+84912345678" and request.callback_requested


def test_a_call_the_operator_answered_just_ends(client, demo_commune):
    bye = call_step(client, "/hooks/twilio/voice/dial-done", DialCallStatus="completed")
    assert "<Hangup" in bye
    assert HelpRequest.objects.count() == 0


def test_status_by_the_codes_keypad_digits_from_any_phone(duc_an, client, settings):
    request = submit_for_lan(duc_an)
    HelpRequest.objects.filter(pk=request.pk).update(code="DA-7K3QXYA")
    duc_an.commune.hotline_numbers = ["+842613501234"]
    duc_an.commune.save()
    menu = call_step(client, "/hooks/twilio/voice/menu", From="+84977000000")
    assert "Bấm 9: nghe tình trạng yêu cầu bằng mã" in menu
    ask = call_step(client, "/hooks/twilio/voice/category?attempt=1", Digits="9")
    heard = call_step(client, next_action(ask), Digits="7537992", From="+84977000000")
    assert spell_code("DA-7K3QXYA") in heard
    assert "đang chờ tổ nhận" in heard
    assert "Lan" not in heard and "0912" not in heard


def resolved_request_of_caller(duc_an):
    from dispatch.help_requests import lifecycle
    from tests.dispatch.conftest import open_offer_of

    duc_an.commune.hotline_numbers = ["+842613501234"]
    duc_an.commune.save()
    request = submit_for_lan(duc_an, channel="voice", resident_phone=CALLER)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    lifecycle.resolve_request(
        request=request, outcome="solved_visit", volunteer=duc_an.an
    )
    return request


def test_a_caller_rates_the_help_by_pressing_1_to_5(duc_an, client):
    request = resolved_request_of_caller(duc_an)
    welcome = call_step(client, "/hooks/twilio/voice")
    assert "bấm một phím từ 1 đến 5" in welcome and spell_code(request.code) in welcome
    thanks = call_step(client, next_action(welcome), Digits="4")
    assert "Cảm ơn bạn đã đánh giá" in thanks
    request.refresh_from_db()
    assert request.rating == 4


def test_a_caller_says_not_done_by_pressing_0_and_the_request_reopens(duc_an, client):
    request = resolved_request_of_caller(duc_an)
    welcome = call_step(client, "/hooks/twilio/voice")
    answer = call_step(client, next_action(welcome), Digits="0")
    assert "Đã báo lại cho tổ hỗ trợ" in answer
    request.refresh_from_db()
    assert request.status == "accepted" and request.assigned_volunteer == duc_an.an
