"""The voice hotline: keypad menus in Vietnamese that end in a request and a code."""

from __future__ import annotations

import pytest

from dispatch.models import Category, HelpRequest, InboundMessage, OutboundMessage
from dispatch.webhooks.twiml import spell_code
from tests.dispatch.providers import fixture, post_twilio

pytestmark = pytest.mark.django_db
CALLER = "+84987654321"


def call_step(client, path: str, **params: str):
    data = {**fixture("twilio_voice_call.json")["call"], **params}
    response = post_twilio(client, path, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return response.content.decode()


def test_a_scripted_call_makes_a_request_whose_code_is_heard_and_texted(
    client, demo_commune, deliver
):
    steps = fixture("twilio_voice_call.json")["steps"]
    answers = [deliver(call_step, client, s["path"], **s["params"]) for s in steps]

    welcome, menu, category, village, consent, done = answers
    assert 'voice="Google.vi-VN-Standard-A"' in welcome and "ghi âm" in welcome
    assert "Bấm 1: VNeID" in menu and "<Gather" in menu
    assert "Nhập số thôn" in category
    assert "Bấm 1 để đồng ý" in village and "<Record" not in village
    assert "<Record" in consent and "/hooks/twilio/status" in consent
    request = HelpRequest.objects.get()
    assert request.channel == "voice"
    assert request.category == Category.VNEID
    assert request.village.name == "Thôn 5"
    assert spell_code(request.code) in done
    assert "<Hangup" in done
    sms = OutboundMessage.objects.get(to_number=CALLER)
    assert request.code in sms.body


def test_a_retried_last_step_does_not_make_a_second_request(
    client, demo_commune, deliver
):
    done = fixture("twilio_voice_call.json")["steps"][-1]
    first = deliver(call_step, client, done["path"], **done["params"])
    second = deliver(call_step, client, done["path"], **done["params"])
    assert HelpRequest.objects.count() == 1
    assert OutboundMessage.objects.filter(to_number=CALLER).count() == 1
    assert first == second


def test_no_input_twice_says_goodbye_but_keeps_the_call(client, demo_commune, deliver):
    again = deliver(
        call_step, client, "/hooks/twilio/voice/category?attempt=1", Digits=""
    )
    assert "chưa nhận được lựa chọn" in again
    assert "attempt=2" in again
    bye = deliver(
        call_step, client, "/hooks/twilio/voice/category?attempt=2", Digits=""
    )
    request = HelpRequest.objects.get()
    assert request.resident_phone == CALLER
    assert spell_code(request.code) in bye and "<Hangup" in bye


def test_zero_dials_the_operator_on_duty(client, demo_commune):
    answer = call_step(client, "/hooks/twilio/voice/category?attempt=1", Digits="0")
    assert f">{demo_commune.operator_phone}</Dial>" in answer


def test_a_caller_with_an_open_request_hears_its_status_first(
    client, demo_commune, deliver
):
    steps = fixture("twilio_voice_call.json")["steps"]
    for step in steps:
        deliver(call_step, client, step["path"], **step["params"])
    request = HelpRequest.objects.get()

    welcome = call_step(client, "/hooks/twilio/voice", CallSid="CAsecondcall")
    assert spell_code(request.code) in welcome
    assert "Bấm 9 để nghe lại" in welcome
    again = call_step(
        client,
        f"/hooks/twilio/voice/open?code={request.code}",
        CallSid="CAsecondcall",
        Digits="9",
    )
    assert spell_code(request.code) in again


def test_an_unknown_village_number_still_makes_a_request(client, demo_commune, deliver):
    answer = call_step(
        client, "/hooks/twilio/voice/village-done?category=scam&attempt=1", Digits="*"
    )
    assert "Bấm 1 để đồng ý" in answer
    done = deliver(call_step, client, "/hooks/twilio/voice/done?category=scam")
    request = HelpRequest.objects.get()
    assert request.category == Category.SCAM
    assert spell_code(request.code) in done


def test_the_voice_message_is_attached_to_the_request(client, demo_commune, deliver):
    steps = fixture("twilio_voice_call.json")["steps"]
    for step in steps:
        deliver(call_step, client, step["path"], **step["params"])
    recording = fixture("twilio_recording_status.json")
    assert post_twilio(client, "/hooks/twilio/status", recording).status_code == 200
    assert post_twilio(client, "/hooks/twilio/status", recording).status_code == 200

    request = HelpRequest.objects.get()
    assert request.description.count(recording["RecordingUrl"]) == 1
    assert InboundMessage.objects.get(event="recording").request == request


def test_a_recording_that_arrives_before_the_last_step_is_attached_too(
    client, demo_commune, deliver
):
    recording = fixture("twilio_recording_status.json")
    post_twilio(client, "/hooks/twilio/status", recording)
    done = fixture("twilio_voice_call.json")["steps"][-1]
    deliver(call_step, client, done["path"], **done["params"])
    assert recording["RecordingUrl"] in HelpRequest.objects.get().description


def call_ended(client, **params: str) -> int:
    data = {**fixture("twilio_voice_call.json")["call"], "CallStatus": "completed"}
    data.update(
        CallDuration="41", Timestamp="Sat, 22 Nov 2025 07:22:30 +0000", **params
    )
    return post_twilio(client, "/hooks/twilio/status", data).status_code


def test_a_caller_who_hangs_up_after_the_menu_still_gets_a_request_and_a_code(
    client, demo_commune, deliver
):
    steps = fixture("twilio_voice_call.json")["steps"][:3]  # start, menu, pressed 1
    for step in steps:
        deliver(call_step, client, step["path"], **step["params"])
    assert HelpRequest.objects.count() == 0

    assert deliver(call_ended, client) == 200
    assert deliver(call_ended, client) == 200  # Twilio retried

    request = HelpRequest.objects.get()
    assert request.category == Category.VNEID
    assert request.resident_phone == CALLER
    assert request.code in OutboundMessage.objects.get(to_number=CALLER).body


def test_a_finished_call_is_not_kept_twice(client, demo_commune, deliver):
    for step in fixture("twilio_voice_call.json")["steps"]:
        deliver(call_step, client, step["path"], **step["params"])
    deliver(call_ended, client)
    assert HelpRequest.objects.count() == 1
    assert OutboundMessage.objects.filter(to_number=CALLER).count() == 1


def test_a_call_put_through_to_the_operator_is_left_to_the_operator(
    client, demo_commune, deliver
):
    deliver(call_step, client, "/hooks/twilio/voice/menu")
    deliver(call_step, client, "/hooks/twilio/voice/category?attempt=1", Digits="0")
    deliver(call_ended, client)
    assert HelpRequest.objects.count() == 0


def test_no_village_twice_keeps_the_category(client, demo_commune, deliver):
    again = deliver(
        call_step,
        client,
        "/hooks/twilio/voice/village-done?category=epayment&attempt=1",
    )
    assert "/hooks/twilio/voice/village?category=epayment&amp;attempt=2" in again
    asked = deliver(
        call_step, client, "/hooks/twilio/voice/village?category=epayment&attempt=2"
    )
    assert "Nhập số thôn" in asked
    bye = deliver(
        call_step,
        client,
        "/hooks/twilio/voice/village-done?category=epayment&attempt=2",
    )
    request = HelpRequest.objects.get()
    assert request.category == Category.EPAYMENT
    assert spell_code(request.code) in bye
