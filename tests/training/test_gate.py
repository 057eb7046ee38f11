"""The routing gate as dispatch composes it: teams with an on-duty certified volunteer."""

from __future__ import annotations

from teams.models import SupportTeam
from training.selectors import certified_volunteers


def _teams_that_may_take(category: str):
    """What dispatch's candidate query does with the gate (teams → training selector)."""
    gate = certified_volunteers(category=category).filter(on_duty=True, active=True)
    return SupportTeam.objects.filter(active=True, volunteers__in=gate).distinct()


def test_a_team_with_only_uncertified_volunteers_on_duty_is_not_a_candidate(
    hong, minh, other_team, make_volunteer, workshop, certify
):
    make_volunteer(other_team, "Hồ Văn Tâm", on_duty=True)  # uncertified, on duty
    certify(hong, workshop)

    assert list(_teams_that_may_take("scam")) == [hong.team]


def test_a_certified_volunteer_off_duty_does_not_open_the_team(hong, workshop, certify):
    certify(hong, workshop)
    hong.on_duty = False
    hong.save()

    assert not _teams_that_may_take("scam").exists()


def test_the_gate_chains_with_other_filters_in_one_query(
    hong, workshop, certify, django_assert_num_queries
):
    certify(hong, workshop)

    with django_assert_num_queries(2):  # topics, then the volunteers
        volunteers = list(
            certified_volunteers(category="scam").filter(team=hong.team, on_duty=True)
        )

    assert volunteers == [hong]
