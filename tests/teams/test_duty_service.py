"""Every duty change goes through one registry service, which says what really changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from teams.models import Volunteer
from teams.services import ensure_volunteer_user, save_volunteer, set_on_duty
from teams.signals import DutyFlip, duty_changed


@pytest.fixture
def announced() -> Iterator[list[dict]]:
    heard: list[dict] = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    duty_changed.connect(listener, dispatch_uid="tests.teams.duty")
    yield heard
    duty_changed.disconnect(dispatch_uid="tests.teams.duty")


def test_putting_people_on_duty_reports_only_those_who_were_off(
    leader_bu_bir, hung_off_duty, secretary, announced
) -> None:
    changed = set_on_duty(
        volunteers=Volunteer.objects.all(), on_duty=True, user=secretary
    )

    hung_off_duty.refresh_from_db()
    assert changed == [hung_off_duty.pk]
    assert hung_off_duty.on_duty is True
    assert announced == [
        {
            "signal": duty_changed,
            "flips": [DutyFlip(hung_off_duty.pk, hung_off_duty.team_id, True)],
            "team_ids": frozenset({hung_off_duty.team_id}),
            "user": secretary,
        }
    ]


def test_nothing_is_announced_when_nobody_changes(leader_bu_bir, announced) -> None:
    assert set_on_duty(volunteers=[leader_bu_bir], on_duty=True) == []
    assert announced == []


def test_a_new_volunteer_who_starts_on_duty_is_a_duty_change(
    team_thon_1, announced
) -> None:
    phone = "+84912000099"
    newcomer = Volunteer(
        user=ensure_volunteer_user(phone=phone, full_name="Hồ Thị Mới"),
        team=team_thon_1,
        full_name="Hồ Thị Mới",
        phone=phone,
        on_duty=True,
    )
    save_volunteer(volunteer=newcomer)

    assert [a["flips"] for a in announced] == [
        [DutyFlip(newcomer.pk, team_thon_1.pk, True)]
    ]
