"""Personas of the registry: a small Đức An, its secretary and some volunteers.

Built with the real models and services (no factories), close to the demo data so that
what a test asserts reads like what a commune secretary would see.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from teams.roles import grant_office_role
from teams.services import ensure_volunteer_user

PASSWORD = "mat-khau-thu-123"


@pytest.fixture
def duc_an(db) -> Commune:
    return Commune.objects.create(
        name="Đức An",
        code="DA",
        province="Lâm Đồng",
        lat=12.25,
        lng=107.55,
        hotline_numbers=["0261 3501 234"],
        is_sample=False,
    )


def _village(commune: Commune, number: int, name: str, kind: str, **extra) -> Village:
    return Village.objects.create(
        commune=commune,
        number=number,
        name=name,
        kind=kind,
        lat=12.25 + number / 1000,
        lng=107.55,
        households=300,
        population=1200,
        **extra,
    )


@pytest.fixture
def thon_1(duc_an: Commune) -> Village:
    return _village(duc_an, 1, "Thôn 1", Village.Kind.THON, aliases=["Thon 1"])


@pytest.fixture
def bon_bu_bir(duc_an: Commune) -> Village:
    return _village(
        duc_an, 17, "Bon Bu Bir", Village.Kind.BON, aliases=["Buôn Bu Bir", "Bu Bir"]
    )


def _team(commune: Commune, name: str, *villages: Village, **extra) -> SupportTeam:
    team = SupportTeam.objects.create(
        commune=commune, name=name, base_lat=commune.lat, base_lng=commune.lng, **extra
    )
    team.villages.set(villages)
    return team


@pytest.fixture
def team_thon_1(duc_an: Commune, thon_1: Village) -> SupportTeam:
    return _team(duc_an, "Tổ hỗ trợ Thôn 1", thon_1)


@pytest.fixture
def team_bu_bir(duc_an: Commune, bon_bu_bir: Village) -> SupportTeam:
    return _team(duc_an, "Tổ hỗ trợ Bon Bu Bir", bon_bu_bir)


@pytest.fixture
def specialists(duc_an: Commune) -> SupportTeam:
    return _team(duc_an, "Tổ chuyên viên của xã", kind=SupportTeam.Kind.SPECIALISTS)


def make_volunteer(team: SupportTeam, full_name: str, phone: str, **extra) -> Volunteer:
    user = ensure_volunteer_user(phone=phone, full_name=full_name)
    user.set_password(PASSWORD)
    user.save()
    return Volunteer.objects.create(
        user=user, team=team, full_name=full_name, phone=phone, **extra
    )


@pytest.fixture
def leader_bu_bir(team_bu_bir: SupportTeam) -> Volunteer:
    """The leader of the Bon Bu Bir team: on duty, speaks M'Nông."""
    return make_volunteer(
        team_bu_bir,
        "Điểu Bríu",
        "0912 345 678",
        role=Volunteer.Role.LEADER,
        affiliation=Volunteer.Affiliation.PARTY_CELL,
        languages=["vi", "mnong"],
        on_duty=True,
    )


@pytest.fixture
def lan_on_duty(team_bu_bir: SupportTeam) -> Volunteer:
    """A teacher near Bon Bu Bir, on duty."""
    return make_volunteer(
        team_bu_bir,
        "Nguyễn Thị Lan",
        "0987.654.321",
        affiliation=Volunteer.Affiliation.TEACHER,
        on_duty=True,
    )


@pytest.fixture
def hung_off_duty(team_bu_bir: SupportTeam) -> Volunteer:
    """A militia member of the same team, off duty."""
    return make_volunteer(
        team_bu_bir,
        "Trần Văn Hùng",
        "01681234567",
        affiliation=Volunteer.Affiliation.MILITIA,
    )


@pytest.fixture
def secretary(duc_an: Commune):
    """The commune secretary: a StaffMember with her role's admin access, no more."""
    user = get_user_model().objects.create_user(
        "thuky", password=PASSWORD, first_name="Trần Thị Thu Hà"
    )
    member = StaffMember.objects.create(
        user=user, commune=duc_an, role=StaffMember.Role.SECRETARY
    )
    grant_office_role(member=member)
    return user


@pytest.fixture
def operator(duc_an: Commune):
    """An operator at the commune office: a StaffMember without admin access."""
    user = get_user_model().objects.create_user(
        "tongdai", password=PASSWORD, first_name="Lê Văn Phúc"
    )
    StaffMember.objects.create(
        user=user, commune=duc_an, role=StaffMember.Role.OPERATOR
    )
    return user


def found(client: Client, url: str) -> list:
    """The rows of an admin list page."""
    response = client.get(url)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def volunteer_form(volunteer: Volunteer, **changes: Any) -> dict[str, Any]:
    """The volunteer's admin change form as saved unchanged, but for `changes`
    (a value of None unticks a box)."""
    data = {
        "team": volunteer.team_id,
        "full_name": volunteer.full_name,
        "phone": volunteer.phone,
        "role": volunteer.role,
        "affiliation": volunteer.affiliation,
        "languages": volunteer.languages or ["vi"],
        "on_duty": "on" if volunteer.on_duty else None,
        "capacity": volunteer.capacity,
        "active": "on",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}
