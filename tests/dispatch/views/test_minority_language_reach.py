"""Reaching M'Nông and K'Ho speakers: a village's language follows its requests to the
volunteer card, and posters say which key to press."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from dispatch.models import VoicePrompt
from dispatch.push import broadcast
from dispatch.views.poster_sheets import poster_svg
from teams.models import Village
from tests.dispatch.conftest import submit_for_lan


def test_a_request_from_a_mnong_bon_carries_the_language_to_the_volunteer_card(duc_an):
    Village.objects.filter(pk=duc_an.bu_bir.pk).update(language="mnong")
    request = submit_for_lan(
        duc_an,
        description="Toi o bon Bu Bir, can kich hoat VNeID",
        resident_phone="0977111222",
    )
    assert request.village.name == "Bon Bu Bir"
    assert request.language == "mnong"
    assert broadcast.request_fields(request)["language_name"] == "tiếng M'Nông"
    lan = submit_for_lan(duc_an)
    assert broadcast.request_fields(lan)["language_name"] == ""


@pytest.mark.django_db
def test_posters_show_the_keypad_number_and_the_recorded_language(
    demo_commune, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    bon = (
        Village.objects.filter(commune=demo_commune, number__gte=16)
        .order_by("number")
        .first()
    )
    before = poster_svg(bon)
    assert f"Khi gọi, bấm số thôn: {bon.number:02d}" in before
    assert "M&#x27;Nông" not in before and "M'Nông" not in before
    prompt = VoicePrompt(commune=demo_commune, language="mnong", key="menu")
    prompt.audio.save("menu.wav", ContentFile(b"RIFF"), save=True)
    after = poster_svg(bon)
    assert "bấm 7 để nghe tiếng M" in after
