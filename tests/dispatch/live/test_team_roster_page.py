"""The team leader manages the roster and members' duty from their phone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from teams.models import DutySlot, Volunteer


@pytest.fixture
def leader_an(duc_an):
    Volunteer.objects.filter(pk=duc_an.an.pk).update(role=Volunteer.Role.LEADER)
    duc_an.an.refresh_from_db()
    return duc_an.an


@pytest.mark.django_db
def test_a_member_who_is_not_a_leader_cannot_open_the_roster(duc_an, client: Client):
    client.force_login(duc_an.binh.user)
    response = client.get("/v/team/")
    assert response.status_code == 403
    assert "Lịch trực" not in response.content.decode()


@pytest.mark.django_db
def test_the_leader_adds_a_slot_and_sees_the_gaps_shrink(
    duc_an, leader_an, client: Client
):
    client.force_login(leader_an.user)
    before = client.get("/v/team/").content.decode()
    assert "Giờ chưa ai trực" in before and "07–21" in before

    response = client.post(
        "/v/team/",
        {
            "do": "add",
            "weekday": str(timezone.localdate().weekday()),
            "starts": "07:00",
            "ends": "21:00",
            "members": [str(leader_an.pk)],
        },
    )

    assert response.status_code == 302
    slot = DutySlot.objects.get(team=duc_an.team_thon_1)
    assert list(slot.members.all()) == [leader_an]
    page = client.get("/v/team/").content.decode()
    assert "07:00–21:00" in page and leader_an.full_name in page


@pytest.mark.django_db
def test_a_slot_that_ends_before_it_starts_is_explained(duc_an, leader_an, client):
    client.force_login(leader_an.user)
    page = client.post(
        "/v/team/", {"do": "add", "weekday": "0", "starts": "21:00", "ends": "17:00"}
    ).content.decode()
    assert "Giờ kết thúc phải sau giờ bắt đầu." in page
    assert not DutySlot.objects.exists()


@pytest.mark.django_db
def test_the_leader_switches_a_member_off_duty_but_not_another_teams(
    duc_an, leader_an, client
):
    from tests.personas import make_volunteer

    minh = make_volunteer(
        duc_an.team_thon_1, "Hoàng Văn Minh", "+84912000031", on_duty=True
    )
    client.force_login(leader_an.user)

    client.post("/v/team/", {"do": "duty", "volunteer": minh.pk, "on": "0"})
    client.post("/v/team/", {"do": "duty", "volunteer": duc_an.binh.pk, "on": "0"})

    minh.refresh_from_db()
    duc_an.binh.refresh_from_db()
    assert minh.on_duty is False
    assert duc_an.binh.on_duty is True
    assert "Cho vào trực" in client.get("/v/team/").content.decode()
