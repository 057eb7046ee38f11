"""Households are residents' personal data: exported and erased with the phone, seen
only by their own commune's secretary."""

from __future__ import annotations

import json

import pytest

from dispatch.models import Visit
from dispatch.outreach import services
from teams.models import Household
from tests.personas import client_for, nam_binh_commune, nam_binh_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def visited(duc_an, campaign, households):
    services.record_visit(
        campaign=campaign,
        household=households["1-1"],
        volunteer=duc_an.an,
        outcome="follow_up",
        client_id="privacy-0001",
        done_items=["Cài VNeID"],
        note="Ông Tư cần con trai về ký",
    )
    return households["1-1"]


def test_the_export_of_a_phone_holds_its_household_and_visits(duc_an, visited):
    response = client_for(duc_an.secretary.user).post(
        "/privacy/subject/", {"phone": "0977 100 004", "action": "json"}
    )

    data = json.loads(response.content)
    [household] = data["households"]
    assert household["head_name"] == "Ông Đinh Văn Tư"
    assert household["phones"] == ["+84977100004"]
    assert household["flags"] == ["has_elderly", "elderly_alone"]
    assert household["visits"][0]["note"] == "Ông Tư cần con trai về ký"
    csv_text = (
        client_for(duc_an.secretary.user)
        .post("/privacy/subject/", {"phone": "0977 100 004", "action": "csv"})
        .content.decode()
    )
    assert "household," in csv_text and "Ông Đinh Văn Tư" in csv_text


def test_another_communes_secretary_exports_nothing_of_it(duc_an, visited):
    other = nam_binh_staff(nam_binh_commune(), "secretary")

    response = client_for(other.user).post(
        "/privacy/subject/", {"phone": "0977 100 004", "action": "json"}
    )

    assert json.loads(response.content)["households"] == []


def test_erasing_a_phone_blanks_its_household_but_keeps_the_campaign_count(
    duc_an, campaign, visited
):
    response = client_for(duc_an.secretary.user).post(
        "/privacy/subject/",
        {"phone": "0977 100 004", "action": "erase", "confirm": "yes"},
        follow=True,
    )

    household = Household.objects.get(pk=visited.pk)
    assert "0 yêu cầu và 1 hộ gia đình" in response.content.decode()
    assert (household.head_name, household.phone, household.address) == ("", "", "")
    assert not household.has_elderly and household.erased_at is not None
    assert Visit.objects.get().note == ""
    assert campaign.households.count() == 7


def test_the_register_in_the_admin_is_the_secretarys_own_commune(duc_an, households):
    other = nam_binh_staff(nam_binh_commune(), "secretary")

    own = client_for(duc_an.secretary.user).get("/admin/teams/household/")
    theirs = client_for(other.user).get("/admin/teams/household/")
    operator = client_for(duc_an.operator.user).get("/admin/teams/household/")

    assert "Ông Đinh Văn Tư" in own.content.decode()
    assert "Ông Đinh Văn Tư" not in theirs.content.decode()
    assert operator.status_code == 403
