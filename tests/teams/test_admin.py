"""The commune secretary manages the registry in the admin, in Vietnamese."""

from __future__ import annotations

import pytest
from django.test import Client

from teams.models import SupportTeam, Village, Volunteer
from tests.teams.admin_pages import found


@pytest.fixture
def admin_client_vi(client: Client, secretary) -> Client:
    client.force_login(secretary)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/teams/commune/",
        "/admin/teams/village/",
        "/admin/teams/supportteam/",
        "/admin/teams/volunteer/",
        "/admin/teams/staffmember/",
        "/admin/teams/volunteer/add/",
        "/admin/teams/supportteam/add/",
        "/admin/teams/volunteer/import/",
    ],
)
def test_every_registry_page_opens(
    admin_client_vi: Client, url: str, leader_bu_bir, team_thon_1
) -> None:
    assert admin_client_vi.get(url).status_code == 200


@pytest.mark.parametrize("term", ["Bu Bir", "bu bir", "buon bu bir", "BUÔN BU BIR"])
def test_villages_are_found_by_name_or_alias_with_or_without_diacritics(
    admin_client_vi: Client, bon_bu_bir: Village, thon_1: Village, term: str
) -> None:
    assert found(admin_client_vi, f"/admin/teams/village/?q={term}") == [bon_bu_bir]


def test_villages_filter_by_kind(
    admin_client_vi: Client, bon_bu_bir: Village, thon_1: Village
) -> None:
    assert found(admin_client_vi, "/admin/teams/village/?kind__exact=bon") == [
        bon_bu_bir
    ]


@pytest.mark.parametrize(
    "term", ["Điểu Bríu", "dieu briu", "briu", "0912 000 017", "0912000017"]
)
def test_volunteers_are_found_by_name_or_phone_however_typed(
    admin_client_vi: Client, leader_bu_bir: Volunteer, hong_on_duty, term: str
) -> None:
    assert found(admin_client_vi, f"/admin/teams/volunteer/?q={term}") == [
        leader_bu_bir
    ]


def test_volunteers_filter_by_language_and_duty(
    admin_client_vi: Client, leader_bu_bir, hong_on_duty, hung_off_duty
) -> None:
    assert found(admin_client_vi, "/admin/teams/volunteer/?language=mnong") == [
        leader_bu_bir
    ]
    on_duty = found(admin_client_vi, "/admin/teams/volunteer/?on_duty__exact=0")
    assert on_duty == [hung_off_duty]
    teachers = found(
        admin_client_vi, "/admin/teams/volunteer/?affiliation__exact=teacher"
    )
    assert teachers == [hong_on_duty]


def test_teams_filter_by_kind_and_show_counts(
    admin_client_vi: Client, team_bu_bir, specialists, leader_bu_bir, hung_off_duty
) -> None:
    response = admin_client_vi.get("/admin/teams/supportteam/?kind__exact=village")
    teams = list(response.context["cl"].result_list)
    assert teams == [team_bu_bir]
    assert (teams[0]._members, teams[0]._on_duty) == (2, 1)


def test_adding_a_volunteer_normalises_the_phone_and_creates_a_login(
    admin_client_vi: Client, team_bu_bir: SupportTeam
) -> None:
    response = admin_client_vi.post(
        "/admin/teams/volunteer/add/",
        {
            "team": team_bu_bir.pk,
            "full_name": "Thị H'Ben",
            "phone": "(0167) 123-4567",
            "role": "member",
            "affiliation": "women_union",
            "languages": ["vi", "mnong"],
            "on_duty": "on",
            "capacity": 2,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    volunteer = Volunteer.objects.get(full_name="Thị H'Ben")
    assert volunteer.phone == "+84371234567"
    assert volunteer.languages == ["vi", "mnong"]
    assert volunteer.user.username == "84371234567"
    assert not volunteer.user.has_usable_password()


def test_a_bad_or_duplicate_phone_is_refused_in_vietnamese(
    admin_client_vi: Client, team_bu_bir: SupportTeam, hong_on_duty
) -> None:
    data = {
        "team": team_bu_bir.pk,
        "full_name": "Ai Đó",
        "role": "member",
        "affiliation": "other",
        "capacity": 2,
    }
    bad = admin_client_vi.post("/admin/teams/volunteer/add/", {**data, "phone": "123"})
    assert "Số điện thoại không hợp lệ: 123" in bad.content.decode()
    same = admin_client_vi.post(
        "/admin/teams/volunteer/add/", {**data, "phone": "+84 987 654 321"}
    )
    assert "đã tồn tại" in same.content.decode()
    assert Volunteer.objects.count() == 1


def test_volunteers_are_added_inline_on_their_team(
    admin_client_vi: Client, team_bu_bir: SupportTeam, bon_bu_bir
) -> None:
    prefix = "volunteers"
    response = admin_client_vi.post(
        f"/admin/teams/supportteam/{team_bu_bir.pk}/change/",
        {
            "commune": team_bu_bir.commune_id,
            "name": team_bu_bir.name,
            "kind": "village",
            "base_lat": "12.25",
            "base_lng": "107.55",
            "villages": [bon_bu_bir.pk],
            "active": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-full_name": "Y Thoan",
            f"{prefix}-0-phone": "84 35 111 2222",
            f"{prefix}-0-role": "member",
            f"{prefix}-0-affiliation": "militia",
            f"{prefix}-0-capacity": "2",
            f"{prefix}-0-active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    volunteer = team_bu_bir.volunteers.get()
    assert (volunteer.full_name, volunteer.phone) == ("Y Thoan", "+84351112222")


def test_the_duty_actions_switch_volunteers_on_and_off(
    admin_client_vi: Client, hong_on_duty: Volunteer, hung_off_duty: Volunteer
) -> None:
    response = admin_client_vi.post(
        "/admin/teams/volunteer/",
        {"action": "mark_on_duty", "_selected_action": [hung_off_duty.pk]},
        follow=True,
    )
    assert "Đã cập nhật 1 tình nguyện viên." in response.content.decode()
    hung_off_duty.refresh_from_db()
    assert hung_off_duty.on_duty


def test_the_admin_header_says_when_the_commune_is_sample_data(
    admin_client_vi: Client, duc_an
) -> None:
    assert "DỮ LIỆU MẪU" not in admin_client_vi.get("/admin/").content.decode()
    duc_an.is_sample = True
    duc_an.save()
    page = admin_client_vi.get("/admin/").content.decode()
    assert "Cầu Nối — quản trị" in page
    assert "— DỮ LIỆU MẪU" in page
    assert "Đây là DỮ LIỆU MẪU để thử và tập huấn (xã Đức An)" in page
