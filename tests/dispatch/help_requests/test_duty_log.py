"""Going on and off duty leaves an append-only trail for the dashboard and tells the
commune's board the team's new on-duty count, however the flag was changed: the
volunteer's toggle, the admin's actions and forms, or a spreadsheet import."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dispatch.live import screens
from dispatch.models import DutyChange
from dispatch.push import broadcast
from teams.models import Volunteer
from teams.services import import_volunteers
from tests.dispatch.channel_messages import drain, listen
from tests.teams.admin_pages import volunteer_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser(
        "quantri", password="mat-khau-thu-nghiem"
    )


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def duty_counts(messages: list[dict]) -> dict[int, tuple[int, int]]:
    """team id → (on duty, members), from the board's `team.duty` messages."""
    return {
        m["team_id"]: (m["on_duty"], m["members"])
        for m in messages
        if m["type"] == "team.duty"
    }


def log_of(volunteer: Volunteer) -> list[tuple[bool, str | None]]:
    return [
        (c.on_duty, c.actor_user.username if c.actor_user_id else None)
        for c in DutyChange.objects.filter(volunteer=volunteer).order_by("at", "id")
    ]


def test_the_on_duty_toggle_logs_each_real_change_once(duc_an):
    screens.set_on_duty(volunteer=duc_an.an, on_duty=False)
    screens.set_on_duty(volunteer=duc_an.an, on_duty=False)
    screens.set_on_duty(volunteer=duc_an.an, on_duty=True)

    log = list(DutyChange.objects.filter(volunteer=duc_an.an).order_by("at", "id"))
    duc_an.an.refresh_from_db()
    assert [c.on_duty for c in log] == [False, True]
    assert log[0].team == duc_an.team_thon_1
    assert log[0].actor_user == duc_an.an.user  # the volunteer did it themselves
    assert duc_an.an.on_duty is True


def test_going_on_duty_tells_the_commune_board_the_teams_new_count(
    duc_an, django_capture_on_commit_callbacks
):
    board = listen(broadcast.board_group(duc_an.commune.pk))
    own = listen(broadcast.volunteer_group(duc_an.off_duty_cuong.pk))

    with django_capture_on_commit_callbacks(execute=True):
        screens.set_on_duty(volunteer=duc_an.off_duty_cuong, on_duty=True)

    assert duty_counts(drain(board)) == {duc_an.team_nam_tien.pk: (1, 1)}
    assert [(m["type"], m["on_duty"]) for m in drain(own)] == [("duty", True)]


def test_nothing_is_pushed_when_the_flag_did_not_change(
    duc_an, django_capture_on_commit_callbacks
):
    board = listen(broadcast.board_group(duc_an.commune.pk))

    with django_capture_on_commit_callbacks(execute=True):
        screens.set_on_duty(volunteer=duc_an.an, on_duty=True)

    assert drain(board) == []
    assert DutyChange.objects.count() == 0


def test_the_admins_on_duty_action_logs_only_real_changes_with_the_admin_as_actor(
    duc_an, admin_client, django_capture_on_commit_callbacks
):
    board = listen(broadcast.board_group(duc_an.commune.pk))
    picked = [duc_an.an, duc_an.off_duty_cuong, duc_an.specialist_tuan]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/teams/volunteer/",
            {
                "action": "mark_on_duty",
                "_selected_action": [v.pk for v in picked],
                "index": 0,
            },
            follow=True,
        )

    assert response.status_code == 200
    assert "Đã cập nhật 2 tình nguyện viên." in response.content.decode()
    assert log_of(duc_an.an) == []  # already on duty: nothing changed
    assert log_of(duc_an.off_duty_cuong) == [(True, "quantri")]
    assert log_of(duc_an.specialist_tuan) == [(True, "quantri")]
    assert duty_counts(drain(board)) == {
        duc_an.team_nam_tien.pk: (1, 1),
        duc_an.specialists.pk: (1, 1),
    }


def test_the_admins_off_duty_action_empties_the_teams_count_on_the_board(
    duc_an, admin_client, django_capture_on_commit_callbacks
):
    board = listen(broadcast.board_group(duc_an.commune.pk))

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/teams/volunteer/",
            {"action": "mark_off_duty", "_selected_action": [duc_an.binh.pk]},
        )

    assert log_of(duc_an.binh) == [(False, "quantri")]
    assert duty_counts(drain(board)) == {duc_an.team_thon_5.pk: (0, 1)}
    assert Volunteer.objects.get(pk=duc_an.binh.pk).on_duty is False


@pytest.fixture
def edit_in_admin(duc_an, admin_client, django_capture_on_commit_callbacks):
    """Save a volunteer's admin change form with some fields changed (None unticks);
    returns what the commune's board was pushed after commit."""

    def edit(volunteer: Volunteer, **changes) -> list[dict]:
        board = listen(broadcast.board_group(duc_an.commune.pk))
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                f"/admin/teams/volunteer/{volunteer.pk}/change/",
                volunteer_form(volunteer, **changes),
            )
        assert response.status_code == 302, response.content.decode()[:2000]
        return drain(board)

    return edit


def test_unticking_on_duty_in_the_volunteers_admin_form_is_logged_and_pushed(
    duc_an, edit_in_admin
):
    pushed = edit_in_admin(duc_an.ha, on_duty=None)

    assert log_of(duc_an.ha) == [(False, "quantri")]
    assert duty_counts(pushed) == {duc_an.team_thon_15.pk: (0, 1)}


def test_renaming_a_volunteer_in_the_admin_is_no_duty_change(duc_an, edit_in_admin):
    pushed = edit_in_admin(duc_an.ha, full_name="Lê Thu Hà (tổ phó)")

    assert Volunteer.objects.get(pk=duc_an.ha.pk).full_name == "Lê Thu Hà (tổ phó)"
    assert log_of(duc_an.ha) == []
    assert pushed == []


def test_moving_an_on_duty_volunteer_to_another_team_updates_both_counts(
    duc_an, edit_in_admin
):
    pushed = edit_in_admin(duc_an.ha, team=duc_an.team_nam_tien.pk)

    assert log_of(duc_an.ha) == []  # still on duty, in the same commune
    assert duty_counts(pushed) == {
        duc_an.team_thon_15.pk: (0, 0),
        duc_an.team_nam_tien.pk: (1, 2),
    }


def test_ticking_on_duty_for_a_member_in_the_teams_admin_page_is_logged(
    duc_an, admin_client
):
    team = duc_an.team_nam_tien
    cuong = duc_an.off_duty_cuong
    prefix = "volunteers"
    data = {
        "commune": team.commune_id,
        "name": team.name,
        "kind": team.kind,
        "base_lat": team.base_lat,
        "base_lng": team.base_lng,
        "villages": [v.pk for v in team.villages.all()],
        "active": "on",
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
        f"{prefix}-0-id": cuong.pk,
        f"{prefix}-0-team": team.pk,
        f"{prefix}-0-full_name": cuong.full_name,
        f"{prefix}-0-phone": cuong.phone,
        f"{prefix}-0-role": cuong.role,
        f"{prefix}-0-affiliation": cuong.affiliation,
        f"{prefix}-0-on_duty": "on",
        f"{prefix}-0-capacity": cuong.capacity,
        f"{prefix}-0-active": "on",
    }

    response = admin_client.post(f"/admin/teams/supportteam/{team.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert log_of(cuong) == [(True, "quantri")]


def test_an_import_that_puts_people_on_duty_is_logged_with_who_imported(
    duc_an, admin_user
):
    rows = [
        {"họ tên": "Phạm Văn Cường", "sđt": "0912000005", "tổ": "Tổ Nam Tiến",
         "đang trực": "có"},
        {"họ tên": "Hồ Thị Mới", "sđt": "0912000099", "tổ": "Tổ Nam Tiến",
         "đang trực": "có"},
        {"họ tên": "Trần Thị Bình", "sđt": "0912000002", "tổ": "Tổ Thôn 5",
         "đang trực": "có"},
    ]  # fmt: skip

    report = import_volunteers(rows=rows, commune=duc_an.commune, user=admin_user)

    assert report.ok, report.errors
    newcomer = Volunteer.objects.get(full_name="Hồ Thị Mới")
    assert log_of(duc_an.off_duty_cuong) == [(True, "quantri")]
    assert log_of(newcomer) == [(True, "quantri")]
    assert log_of(duc_an.binh) == []  # was already on duty
