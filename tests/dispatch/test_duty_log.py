"""Going on and off duty leaves an append-only trail for the dashboard."""

from __future__ import annotations

import pytest

from dispatch import live
from dispatch.models import DutyChange

pytestmark = pytest.mark.django_db


def test_the_on_duty_toggle_logs_each_real_change_once(duc_an):
    live.set_on_duty(volunteer=duc_an.an, on_duty=False)
    live.set_on_duty(volunteer=duc_an.an, on_duty=False)
    live.set_on_duty(volunteer=duc_an.an, on_duty=True)

    log = list(DutyChange.objects.filter(volunteer=duc_an.an).order_by("at", "id"))
    duc_an.an.refresh_from_db()
    assert [c.on_duty for c in log] == [False, True]
    assert log[0].team == duc_an.team_thon_1
    assert duc_an.an.on_duty is True
