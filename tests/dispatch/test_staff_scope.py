"""Staff scope never widens: `is_staff` without a commune is not an administrator.

An account that may log in to the Django admin but works for no commune and is not a
superuser (an office role removed by hand, a hand-made account) sees *nothing*: no
request list row, no request page, no dashboard, no board, no API, no data-subject
export, no admin row. And ending an office role takes the access with it, at once.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from dispatch import permissions
from dispatch.help_requests import lifecycle
from teams.models import Commune, StaffMember
from teams.roles import SECRETARY_GROUP
from teams.services import remove_staff_member
from tests.dispatch.conftest import make_user, submit_for_lan

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "0912345678"  # Bà Lan's phone (submit_for_lan)


@pytest.fixture
def bare_staff():
    """Django staff, with the secretary's admin group even, but no commune."""
    user = make_user("nocommune", is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARY_GROUP))
    user.user_permissions.add(Permission.objects.get(codename="view_helprequest"))
    return user


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_staff_without_a_commune_is_given_no_commune_by_any_rule(duc_an, bare_staff):
    lan = submit_for_lan(duc_an)

    assert not permissions.is_administrator(user=bare_staff)
    assert not permissions.is_office_staff(user=bare_staff)
    assert list(permissions.office_communes(user=bare_staff)) == []
    assert not permissions.may_see_request(user=bare_staff, request=lan)
    assert permissions.subject_commune_ids(user=bare_staff) == []
    assert not permissions.may_see_personal_data(user=bare_staff)
    assert permissions.board_commune_id(user=bare_staff) is None
    assert permissions.dashboard_commune(user=bare_staff) is None
    assert not permissions.may_reassign(bare_staff)


def test_staff_without_a_commune_sees_no_residents_page_export_api_or_admin_row(
    duc_an, bare_staff
):
    lan = submit_for_lan(duc_an)
    client = _client(bare_staff)

    for url in (
        "/requests/",
        f"/requests/{lan.code}/",
        "/dashboard/",
        "/dashboard/export.csv",
        "/api/v1/requests",
        f"/api/v1/requests/{lan.code}",
        "/board/",
        "/operator/",
        "/posters/",
        "/training/",
        "/admin/dispatch/helprequest/",
        "/admin/teams/volunteer/",
    ):
        response = client.get(url)
        body = response.content.decode(errors="replace")
        assert MARKER[1:] not in body.replace(" ", ""), url
        assert lan.code not in body, url
        assert "Nguyễn Văn An" not in body, url
    erase = client.post(
        "/privacy/subject/", {"phone": MARKER, "action": "json"}, follow=False
    )
    assert erase.status_code == 403
    home = client.get("/").content.decode()
    assert "Tổ Thôn 1" not in home


def test_a_superuser_still_sees_every_commune(duc_an):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("quantri", password="x" * 12)
    far = Commune.objects.create(name="Đắk Song", code="DS", lat=12.2, lng=107.5)
    far_request = lifecycle.create_request(
        commune=far, channel="web", category="vneid", resident_phone="0912345674"
    )

    assert permissions.office_communes(user=admin) is None
    assert permissions.board_commune_id(user=admin, requested=far.pk) == far.pk
    assert far_request.code in _client(admin).get("/requests/").content.decode()


def test_removing_a_staff_member_revokes_the_group_and_staff_flag_in_one_go(duc_an):
    user = duc_an.secretary.user
    assert user.is_staff and user.groups.filter(name=SECRETARY_GROUP).exists()
    submit_for_lan(duc_an)

    remove_staff_member(member=duc_an.secretary)

    user.refresh_from_db()
    assert not StaffMember.objects.filter(user=user).exists()
    assert not user.is_staff
    assert not user.groups.exists()
    listing = _client(user).get("/requests/")
    assert listing.status_code == 403
    assert _client(user).get("/admin/").status_code == 302  # to the admin's login


def test_deleting_the_staff_row_in_the_admin_or_in_bulk_revokes_too(duc_an):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("quantri", password="x" * 12)
    operator = duc_an.operator
    response = _client(admin).post(
        f"/admin/teams/staffmember/{operator.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    operator.user.refresh_from_db()
    assert not operator.user.is_staff and not operator.user.groups.exists()

    secretary_user = duc_an.secretary.user
    StaffMember.objects.filter(commune=duc_an.commune).delete()  # a bulk delete
    secretary_user.refresh_from_db()
    assert not secretary_user.is_staff and not secretary_user.groups.exists()


def test_a_superuser_who_loses_a_commune_role_stays_an_administrator(duc_an):
    user = duc_an.secretary.user
    user.is_superuser = True
    user.save()

    remove_staff_member(member=duc_an.secretary)

    user.refresh_from_db()
    assert user.is_staff and user.is_superuser
