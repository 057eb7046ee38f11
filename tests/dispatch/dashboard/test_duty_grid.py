"""The dashboard's "hours with nobody on duty" grid agrees with the on-duty counts the
board, the map and the API show, whatever way the flags were set."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from dispatch.dashboard import equity
from dispatch.dashboard.kpis import Period
from dispatch.models import DutyChange
from teams import selectors as team_selectors
from teams.models import SupportTeam, Volunteer
from teams.services import set_on_duty
from tests.personas import client_for

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def counts_elsewhere(commune) -> int:
    """The on-duty figure of the board, map and API: the teams' counts."""
    teams = team_selectors.team_overview(commune=commune).filter(active=True)
    return sum(t.on_duty_count for t in teams)


def make_record_begin(commune, when: dt.datetime) -> None:
    """The commune's volunteers were registered at `when` (as an import weeks ago)."""
    Volunteer.objects.filter(team__commune=commune).update(
        created_at=when, updated_at=when
    )


def dashboard_text(user) -> tuple[str, dict]:
    html = client_for(user).get("/dashboard/").content.decode()
    found = re.search(r'id="map-data"[^>]*>(.*?)</script>', html, re.S)
    return html, json.loads(found.group(1))


def test_volunteers_put_on_duty_without_a_log_count_as_on_duty_in_the_grid(duc_an):
    # The demo commune and imports of old set flags in bulk, without a logged change;
    # one volunteer then toggles on /v/ (a logged change). Before the fix the grid
    # read "nobody" for every hour but the one of the toggle.
    now = timezone.now()
    make_record_begin(duc_an.commune, now - dt.timedelta(days=10))
    lone = Volunteer.objects.filter(team__commune=duc_an.commune, on_duty=False)
    set_on_duty(volunteers=[lone.first()], on_duty=True)

    grid = equity.duty_grid(commune=duc_an.commune, period=Period.last_days())

    on_duty = counts_elsewhere(duc_an.commune)
    assert on_duty >= 3
    assert grid.on_now == on_duty
    assert grid.unrecorded_hours == []  # ten days cover every hour of the week
    assert grid.empty_hours == []  # someone has been on duty throughout
    html, map_data = dashboard_text(duc_an.secretary.user)
    assert f"Bây giờ: {on_duty} người đang trực." in html
    assert sum(t["on_duty"] for t in map_data["teams"]) == on_duty
    assert "0 giờ trong tuần không có ai trực" in html
    assert 'class="nobody"' not in html.split('id="block-duty"', 1)[1]


def test_the_grid_follows_the_log_and_ends_where_the_counts_are(duc_an):
    # Everyone off; Lan's day shifts are logged over the last week; she is on now.
    now = timezone.now()
    make_record_begin(duc_an.commune, now - dt.timedelta(days=8))
    Volunteer.objects.filter(team__commune=duc_an.commune).update(on_duty=False)
    an = duc_an.an
    today = timezone.localdate(now)
    for back in range(7, 0, -1):
        day = today - dt.timedelta(days=back)
        DutyChange.objects.create(
            volunteer=an, team=an.team, on_duty=True, at=at(day, 7)
        )
        DutyChange.objects.create(
            volunteer=an, team=an.team, on_duty=False, at=at(day, 11)
        )
    set_on_duty(volunteers=[an], on_duty=True)

    grid = equity.duty_grid(commune=duc_an.commune, period=Period.last_days())

    assert grid.on_now == counts_elsewhere(duc_an.commune) == 1
    monday = 0
    assert grid.share[monday][7:11] == [1.0, 1.0, 1.0, 1.0]
    assert (monday, 3) in grid.empty_hours and (monday, 12) in grid.empty_hours
    local_now = timezone.localtime(now)
    assert (local_now.weekday(), local_now.hour) not in grid.empty_hours


def test_a_volunteer_whose_first_logged_change_is_going_off_was_on_before_it(
    duc_an,
):
    now = timezone.now()
    make_record_begin(duc_an.commune, now - dt.timedelta(days=30))
    Volunteer.objects.filter(team__commune=duc_an.commune).update(on_duty=False)
    an = duc_an.an
    went_off = now - dt.timedelta(days=2)
    DutyChange.objects.create(volunteer=an, team=an.team, on_duty=False, at=went_off)
    start = now - dt.timedelta(days=7)

    grid = equity.duty_grid(
        commune=duc_an.commune, period=Period(start=start, end=now), now=now
    )

    # On for the five days before going off: every hour of those days is covered.
    assert grid.on_now == 0 == counts_elsewhere(duc_an.commune)
    assert sum(1 for d in range(7) for h in range(24) if grid.share[d][h] > 0) >= 5 * 24


def test_a_deactivated_volunteer_stops_counting_when_deactivated(duc_an):
    now = timezone.now()
    make_record_begin(duc_an.commune, now - dt.timedelta(days=3))
    Volunteer.objects.filter(team__commune=duc_an.commune).exclude(
        pk=duc_an.an.pk
    ).update(on_duty=False)
    set_on_duty(volunteers=[duc_an.an], on_duty=True)
    Volunteer.objects.filter(pk=duc_an.an.pk).update(active=False, updated_at=now)

    grid = equity.duty_grid(commune=duc_an.commune, period=Period.last_days(), now=now)

    assert grid.on_now == counts_elsewhere(duc_an.commune) == 0


def test_a_commune_on_its_first_day_sees_hours_not_recorded_yet_rather_than_red(
    duc_an,
):
    now = timezone.now()
    make_record_begin(duc_an.commune, now - dt.timedelta(hours=2))

    grid = equity.duty_grid(commune=duc_an.commune, period=Period.last_days())

    assert grid.on_now == counts_elsewhere(duc_an.commune)
    assert grid.empty_hours == []
    assert 165 <= len(grid.unrecorded_hours) <= 166
    html, _map = dashboard_text(duc_an.secretary.user)
    assert "chưa có số liệu (ô xám)" in html
    assert "Chủ nhật" in html and "Thứ Hai" in html


def test_an_inactive_team_on_duty_is_not_counted_anywhere(duc_an):
    now = timezone.now()
    make_record_begin(duc_an.commune, now - dt.timedelta(days=1))
    team = SupportTeam.objects.get(pk=duc_an.team_thon_1.pk)
    before = counts_elsewhere(duc_an.commune)
    on_in_team = team.volunteers.filter(active=True, on_duty=True).count()
    assert on_in_team
    SupportTeam.objects.filter(pk=team.pk).update(active=False)
    team.volunteers.update(updated_at=now)

    grid = equity.duty_grid(commune=duc_an.commune, period=Period.last_days())

    assert grid.on_now == counts_elsewhere(duc_an.commune) == before - on_in_team
