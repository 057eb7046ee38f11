"""Registry fixtures: a small Đức An, its office and some volunteers of Bon Bu Bir.

The people and places come from tests/personas.py (who is who is listed at its top).
"""

from __future__ import annotations

import pytest

from teams.models import Commune, SupportTeam, Village, Volunteer
from tests import personas
from tests.personas import PASSWORD, make_volunteer  # noqa: F401 (re-exported)
from tests.teams.admin_pages import found, volunteer_form  # noqa: F401 (re-exported)


@pytest.fixture
def duc_an(db) -> Commune:
    return personas.duc_an_commune()


@pytest.fixture
def thon_1(duc_an: Commune) -> Village:
    return personas.village(duc_an, personas.THON_1)


@pytest.fixture
def bon_bu_bir(duc_an: Commune) -> Village:
    return personas.village(duc_an, personas.BU_BIR)


def _team(commune: Commune, name: str, *villages: Village, **extra) -> SupportTeam:
    """A team based at the commune office (old helper, kept for branches in flight)."""
    return personas.team(
        commune, name, *villages, base=(commune.lat, commune.lng), **extra
    )


@pytest.fixture
def team_thon_1(duc_an: Commune, thon_1: Village) -> SupportTeam:
    return personas.team(duc_an, personas.THON_1.team_name, thon_1)


@pytest.fixture
def team_bu_bir(duc_an: Commune, bon_bu_bir: Village) -> SupportTeam:
    return personas.team(duc_an, personas.BU_BIR.team_name, bon_bu_bir)


@pytest.fixture
def specialists(duc_an: Commune) -> SupportTeam:
    return personas.specialists_team(duc_an)


@pytest.fixture
def leader_bu_bir(team_bu_bir: SupportTeam) -> Volunteer:
    """Điểu Bríu, leader of the Bon Bu Bir team: on duty, speaks M'Nông."""
    return personas.DIEU_BRIU.join(team_bu_bir)


@pytest.fixture
def hong_on_duty(team_bu_bir: SupportTeam) -> Volunteer:
    """Nguyễn Thị Hồng, a teacher near Bon Bu Bir, on duty."""
    return personas.HONG.join(team_bu_bir)


@pytest.fixture
def lan_on_duty(hong_on_duty: Volunteer) -> Volunteer:
    """Old name of `hong_on_duty`, kept for branches in flight (Lan is the resident)."""
    return hong_on_duty


@pytest.fixture
def hung_off_duty(team_bu_bir: SupportTeam) -> Volunteer:
    """Trần Văn Hùng, a militia member of the same team, off duty."""
    return personas.HUNG.join(team_bu_bir)


@pytest.fixture
def secretary(duc_an: Commune):
    """The commune secretary's account: her role's admin access, no more."""
    return personas.secretary_of(duc_an).user


@pytest.fixture
def operator(duc_an: Commune):
    """The operator's account at the commune office, without admin access."""
    return personas.operator_of(duc_an, office_access=False).user
