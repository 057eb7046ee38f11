"""A commune records IVR prompts in M'Nông; a caller who picks M'Nông in the first menu
hears those recordings (<Play>) and Vietnamese (<Say>) for the prompts not recorded."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dispatch.models import HelpRequest, VoicePrompt
from tests.dispatch.providers import fixture, post_twilio

pytestmark = pytest.mark.django_db
WAV = b"RIFF$\x00\x00\x00WAVEfmt " + b"\x00" * 28


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_BASE_URL = "https://caunoi.example.vn"


@pytest.fixture
def secretary_of_demo(demo_commune):
    from teams.models import StaffMember

    member = StaffMember.objects.filter(
        commune=demo_commune, role=StaffMember.Role.SECRETARY
    ).first()
    return member.user


def call_step(client, path: str, **params: str) -> str:
    data = {**fixture("twilio_voice_call.json")["call"], **params}
    response = post_twilio(client, path, data)
    assert response.status_code == 200
    return response.content.decode()


def action_of(twiml: str) -> str:
    return ElementTree.fromstring(twiml).find("Gather").get("action")


def upload(client, key: str, language: str = "mnong"):
    audio = SimpleUploadedFile(f"{key}.wav", WAV, content_type="audio/wav")
    return client.post(
        "/voice-prompts/",
        {"key": key, "language": language, "audio": audio},
        follow=True,
    )


def test_a_caller_choosing_mnong_hears_the_recordings_and_vietnamese_for_the_rest(
    client, demo_commune, secretary_of_demo
):
    client.force_login(secretary_of_demo)
    page = client.get("/voice-prompts/").content.decode()
    assert "Bấm 1: VNeID, định danh điện tử" in page and "tiếng M&#x27;Nông" in page
    for key in ("menu", "village"):
        assert "Đã lưu bản ghi âm" in upload(client, key).content.decode()
    client.logout()
    menu_url = f"/voice-prompts/{VoicePrompt.objects.get(key='menu').pk}/audio"

    first = call_step(client, "/hooks/twilio/voice/menu")
    assert "Bấm 7 để nghe tiếng M'Nông" in first
    assert (
        "Bấm 8 để nghe tiếng" not in first
    )  # nothing recorded in K'Ho (8: the guides)
    assert "<Play>" not in first  # Vietnamese until the caller chooses

    menu = call_step(client, action_of(first), Digits="7")
    assert f"<Play>https://caunoi.example.vn{menu_url}</Play>" in menu
    assert "Bấm 1: VNeID" not in menu
    assert "lang=mnong" in action_of(menu)

    village = call_step(client, action_of(menu), Digits="1")
    assert "<Play>" in village and "Nhập số thôn" not in village
    consent = call_step(client, action_of(village), Digits="05")
    assert "<Play>" not in consent and "Bấm 1 để đồng ý" in consent  # not recorded
    done = call_step(client, action_of(consent), Digits="2")
    assert "Cảm ơn bạn đã gọi Cầu Nối" in done
    request = HelpRequest.objects.get()
    assert request.language == "mnong" and request.village.name == "Thôn 5"

    audio = client.get(menu_url)
    assert audio.status_code == 200 and b"".join(audio.streaming_content) == WAV


def test_only_staff_can_upload_prompts(client, demo_commune):
    response = client.post("/voice-prompts/", {"key": "menu", "language": "mnong"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert VoicePrompt.objects.count() == 0
