"""The dashboard reads the duty rosters and shows each volunteer's load."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from dispatch.dashboard import equity
from dispatch.help_requests import lifecycle
from teams.models import DutySlot
from tests.dispatch.conftest import open_offer_of, submit_for_lan

pytestmark = pytest.mark.django_db


def test_the_roster_grid_counts_members_per_hour_of_the_week(duc_an):
    assert equity.roster_grid(commune=duc_an.commune) is None
    slot = DutySlot.objects.create(
        team=duc_an.team_thon_1, weekday=0, starts=dt.time(17, 30), ends=dt.time(21)
    )
    slot.members.set([duc_an.an])

    planned = equity.roster_grid(commune=duc_an.commune)

    assert planned[0][16] == 0
    assert planned[0][17:21] == [1, 1, 1, 1]
    assert planned[0][21] == 0 and planned[1][18] == 0


def test_the_secretary_sees_the_roster_and_the_load_per_volunteer(duc_an):
    slot = DutySlot.objects.create(
        team=duc_an.team_thon_1, weekday=0, starts=dt.time(7), ends=dt.time(11)
    )
    slot.members.set([duc_an.an])
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    client = Client()
    client.force_login(duc_an.secretary.user)

    html = client.get("/dashboard/").content.decode()

    assert "Số người theo lịch trực hằng tuần" in html
    assert "Việc của từng tình nguyện viên" in html
    assert "<td>Nguyễn Văn An</td><td>Tổ Thôn 1</td><td>1</td><td>1</td>" in html
