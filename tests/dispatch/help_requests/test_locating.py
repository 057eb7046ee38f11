"""Locating a resident from what they typed, chose or called with."""

from __future__ import annotations

import pytest

from dispatch.help_requests.locating import VillageIndex, village_from_text
from tests.personas import submit_for_lan


@pytest.fixture
def index(duc_an):
    from teams.models import Village

    return VillageIndex.build(Village.objects.filter(commune=duc_an.commune))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("thon 5", "Thôn 5"),
        ("Tôi ở Thôn 5 cần giúp", "Thôn 5"),
        ("THON5", "Thôn 5"),
        ("thôn năm", "Thôn 5"),
        ("o thon muoi lam", "Thôn 15"),
        ("thon 15", "Thôn 15"),
        ("thon 1", "Thôn 1"),
        ("Buôn Bu Bir", "Bon Bu Bir"),
        ("bon bu bia", "Bon Bu Bir"),
        ("dak n drung", "Bon Đắk N'Drung"),
        ("thon nam tien", "Thôn Nam Tiến"),
    ],
)
def test_it_finds_the_village_named_in_free_text(index, text, expected):
    village, candidates = village_from_text(index, text)
    assert village is not None, candidates
    assert village.name == expected


@pytest.mark.parametrize("text", ["thon 51", "thon 2", "thon 50"])
def test_a_village_number_that_does_not_exist_is_never_rounded_to_a_near_one(
    index, text
):
    village, _ = village_from_text(index, text)
    assert village is None


def test_two_villages_named_at_once_are_not_guessed(index):
    village, candidates = village_from_text(index, "thon 1 hay thon 5 gi do")
    assert village is None
    assert {c["name"] for c in candidates} == {"Thôn 1", "Thôn 5"}


def test_an_ambiguous_request_goes_to_the_specialists_for_triage(duc_an):
    request = submit_for_lan(
        duc_an, description="nha o giua thon 1 va thon 5", resident_phone="0977000001"
    )
    assert request.village is None
    assert request.needs_triage
    assert {c["name"] for c in request.location_candidates} == {"Thôn 1", "Thôn 5"}
    assert request.current_team == duc_an.specialists
    assert request.status == "escalated"


def test_gps_wins_over_the_text(duc_an):
    request = submit_for_lan(duc_an, lat=11.9361, lng=107.6001)
    assert request.location_source == "gps"
    assert request.village == duc_an.bu_bir


def test_a_voice_menu_number_picks_the_village(duc_an):
    request = submit_for_lan(duc_an, description="", village_number=15)
    assert request.location_source == "menu"
    assert request.village == duc_an.thon_15


def test_the_same_phones_previous_village_is_used_when_nothing_else_is_known(duc_an):
    submit_for_lan(duc_an, description="bon bu bir")
    again = submit_for_lan(duc_an, description="lai can giup")
    assert again.location_source == "history"
    assert again.village == duc_an.bu_bir


def test_an_unknown_place_goes_to_the_specialists_flagged_for_triage(duc_an):
    request = submit_for_lan(
        duc_an, description="can giup", resident_phone="0977000002"
    )
    assert request.location_source == "unknown"
    assert request.needs_triage
    assert request.current_team == duc_an.specialists
