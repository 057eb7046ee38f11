"""Who may do what in the admin: the secretary her commune, the operator looks, the
administrator everything."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from teams.models import Commune, StaffMember, SupportTeam, Volunteer
from teams.roles import OPERATOR_GROUP, SECRETARY_GROUP, grant_office_role
from tests import personas
from tests.personas import PASSWORD, make_user
from tests.teams.admin_pages import found, volunteer_form


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def nam_binh(db) -> Commune:
    return personas.nam_binh_commune()


@pytest.fixture
def team_nam_binh(nam_binh: Commune) -> SupportTeam:
    return personas.nam_binh_team(nam_binh)


@pytest.fixture
def thao_of_nam_binh(team_nam_binh: SupportTeam) -> Volunteer:
    """A volunteer of another commune."""
    return personas.THAO.join(team_nam_binh)


@pytest.fixture
def office_operator(operator):
    """The operator with her role's admin access (view only)."""
    grant_office_role(member=operator.staff_member)
    return operator


@pytest.fixture
def administrator(db):
    return get_user_model().objects.create_superuser("quantri", password=PASSWORD)


# --- the secretary ----------------------------------------------------------------------


def test_the_secretary_is_staff_in_her_group_but_not_a_superuser(secretary) -> None:
    assert secretary.is_staff and not secretary.is_superuser
    assert list(secretary.groups.values_list("name", flat=True)) == [SECRETARY_GROUP]


def test_the_secretary_opens_the_admin_and_changes_a_volunteer_of_her_commune(
    secretary, hung_off_duty: Volunteer
) -> None:
    client = logged_in(secretary)
    assert client.get("/admin/").status_code == 200
    assert found(client, "/admin/teams/volunteer/") == [hung_off_duty]

    response = client.post(
        f"/admin/teams/volunteer/{hung_off_duty.pk}/change/",
        volunteer_form(hung_off_duty, full_name="Trần Văn Hùng (tổ phó)", on_duty="on"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    hung_off_duty.refresh_from_db()
    assert hung_off_duty.full_name == "Trần Văn Hùng (tổ phó)"
    assert hung_off_duty.on_duty


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/django_q/schedule/",
        "/admin/django_q/success/",
        "/admin/dispatch/personaldataaccess/",
        "/admin/teams/staffmember/add/",
    ],
)
def test_the_secretary_cannot_open_accounts_schedules_or_logs(
    secretary, url: str
) -> None:
    assert logged_in(secretary).get(url).status_code == 403


def test_the_admin_index_does_not_list_what_the_secretary_may_not_open(
    secretary,
) -> None:
    page = logged_in(secretary).get("/admin/").content.decode()
    assert "/admin/teams/volunteer/" in page
    assert "/admin/auth/user/" not in page and "/admin/django_q/" not in page


def test_the_secretary_sees_only_her_communes_volunteers_and_teams(
    secretary, hong_on_duty: Volunteer, thao_of_nam_binh: Volunteer, team_nam_binh
) -> None:
    client = logged_in(secretary)
    assert found(client, "/admin/teams/volunteer/") == [hong_on_duty]
    assert team_nam_binh not in found(client, "/admin/teams/supportteam/")
    assert [c.name for c in found(client, "/admin/teams/commune/")] == ["Đức An"]

    other = f"/admin/teams/volunteer/{thao_of_nam_binh.pk}/change/"
    assert client.get(other).status_code == 302  # "does not exist", back to the index
    client.post(other, volunteer_form(thao_of_nam_binh, full_name="Đổi tên"))
    thao_of_nam_binh.refresh_from_db()
    assert thao_of_nam_binh.full_name == "Võ Thị Thảo"


def test_the_secretary_picks_teams_and_communes_of_her_commune_only(
    secretary, team_bu_bir: SupportTeam, team_nam_binh: SupportTeam, duc_an
) -> None:
    client = logged_in(secretary)
    form = client.get("/admin/teams/volunteer/add/").context["adminform"].form
    assert list(form.fields["team"].queryset) == [team_bu_bir]
    import_form = client.get("/admin/teams/volunteer/import/").context["form"]
    assert list(import_form.fields["commune"].queryset) == [duc_an]

    response = client.post(
        "/admin/teams/volunteer/add/",
        volunteer_form(
            Volunteer(team=team_nam_binh, full_name="Ai Đó", phone="0903 999 888"),
            on_duty=None,
        ),
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Volunteer.objects.filter(full_name="Ai Đó").exists()


# --- the operator and the administrator --------------------------------------------------


def test_the_operator_looks_up_volunteers_but_changes_nothing(
    office_operator, hung_off_duty: Volunteer
) -> None:
    assert office_operator.is_staff and not office_operator.is_superuser
    assert list(office_operator.groups.values_list("name", flat=True)) == [
        OPERATOR_GROUP
    ]
    client = logged_in(office_operator)
    assert found(client, "/admin/teams/volunteer/") == [hung_off_duty]
    change = f"/admin/teams/volunteer/{hung_off_duty.pk}/change/"
    assert client.get(change).status_code == 200  # read-only page
    assert (
        client.post(change, volunteer_form(hung_off_duty, on_duty="on")).status_code
        == 403
    )
    client.post(
        "/admin/teams/volunteer/",
        {"action": "mark_on_duty", "_selected_action": [hung_off_duty.pk]},
    )
    hung_off_duty.refresh_from_db()
    assert not hung_off_duty.on_duty
    assert client.get("/admin/dispatch/helprequest/").status_code == 403


def test_the_administrator_sees_every_commune(
    administrator, hong_on_duty: Volunteer, thao_of_nam_binh: Volunteer
) -> None:
    client = logged_in(administrator)
    assert set(found(client, "/admin/teams/volunteer/")) == {
        hong_on_duty,
        thao_of_nam_binh,
    }
    assert client.get("/admin/auth/user/").status_code == 200


def test_an_administrator_adding_a_staff_member_gives_the_account_its_role(
    administrator, duc_an
) -> None:
    loc = make_user("loc", first_name="Phan Văn Lộc")  # a new hire at the office
    client = logged_in(administrator)

    response = client.post(
        "/admin/teams/staffmember/add/",
        {"user": loc.pk, "commune": duc_an.pk, "role": "operator", "phone": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    loc.refresh_from_db()
    assert loc.is_staff and not loc.is_superuser
    assert list(loc.groups.values_list("name", flat=True)) == [OPERATOR_GROUP]

    member = StaffMember.objects.get(user=loc)
    client.post(
        f"/admin/teams/staffmember/{member.pk}/change/",
        {"user": loc.pk, "commune": duc_an.pk, "role": "secretary", "phone": ""},
    )
    assert list(loc.groups.values_list("name", flat=True)) == [SECRETARY_GROUP]
