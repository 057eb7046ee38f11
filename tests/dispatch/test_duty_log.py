"""Going on and off duty leaves an append-only trail."""

from __future__ import annotations

import pytest

from dispatch import duty
from dispatch.models import DutyChange

pytestmark = pytest.mark.django_db


def test_it_logs_each_change_of_duty_once(duc_an):
    duty.set_on_duty(volunteer=duc_an.an, on_duty=False)
    duty.set_on_duty(volunteer=duc_an.an, on_duty=False)
    duty.set_on_duty(volunteer=duc_an.an, on_duty=True, user=duc_an.secretary.user)

    log = list(DutyChange.objects.filter(volunteer=duc_an.an).order_by("at", "id"))
    duc_an.an.refresh_from_db()
    assert [c.on_duty for c in log] == [False, True]
    assert log[1].actor_user == duc_an.secretary.user
    assert log[0].team == duc_an.team_thon_1
    assert duc_an.an.on_duty is True
