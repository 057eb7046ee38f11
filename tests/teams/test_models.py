"""Registry rows keep phones in E.164 and names searchable without diacritics."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from teams.models import Village, Volunteer
from tests.personas import make_volunteer


def test_a_volunteer_phone_is_stored_in_e164_however_it_was_typed(
    hung_off_duty: Volunteer,
) -> None:
    hung_off_duty.refresh_from_db()
    assert hung_off_duty.phone == "+84381234567"  # 0168 → 038 since 2018


def test_a_volunteer_name_is_stored_composed_and_searchable_folded(
    team_bu_bir,
) -> None:
    volunteer = make_volunteer(
        team_bu_bir, unicodedata.normalize("NFD", "Điểu Đơ"), "0355 111 222"
    )
    volunteer.refresh_from_db()
    assert volunteer.full_name == "Điểu Đơ"
    assert volunteer.search_key == "dieu do"


def test_full_clean_reports_a_bad_phone_in_vietnamese(team_bu_bir) -> None:
    volunteer = Volunteer(team=team_bu_bir, full_name="A", phone="12345")
    with pytest.raises(ValidationError) as info:
        volunteer.full_clean(exclude=["user"])
    assert "Số điện thoại không hợp lệ" in str(info.value.message_dict["phone"])


def test_a_village_gets_a_slug_and_a_folded_search_key(duc_an) -> None:
    village = Village.objects.create(
        commune=duc_an,
        number=18,
        name="Bon Đắk N’Drung",
        kind=Village.Kind.BON,
        aliases=["  Đắk N'Drung ", ""],
        lat=12.2,
        lng=107.6,
    )
    assert village.slug == "bon-dak-ndrung"
    assert village.aliases == ["Đắk N'Drung"]
    assert "dak ndrung" in village.search_key
    assert village.folded_names == ["bon dak ndrung", "dak ndrung"]


def test_commune_hotlines_are_normalised(duc_an) -> None:
    duc_an.refresh_from_db()
    assert duc_an.hotline_numbers == ["+842613501234"]
