"""Training fixtures: Đức An (which requires scam certification), the Bon Bu Bir team
and its volunteers, a trainer and a workshop. The people and places come from
tests/personas.py (who is who is listed at its top).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from teams.models import Commune, SupportTeam, Village, Volunteer
from tests import personas
from tests.training.quiz_answers import correct_answers  # noqa: F401 (re-exported)
from training.models import Topic, Workshop


@pytest.fixture
def commune(db) -> Commune:
    return personas.duc_an_commune(certification_required=["scam"])


@pytest.fixture
def bu_bir(commune) -> Village:
    return personas.village(commune, personas.BU_BIR)


@pytest.fixture
def thon_3(commune) -> Village:
    return personas.village(commune, personas.THON_3)


@pytest.fixture
def team(commune, bu_bir) -> SupportTeam:
    return personas.team(commune, personas.BU_BIR.team_name, bu_bir)


@pytest.fixture
def other_team(commune, thon_3) -> SupportTeam:
    return personas.team(commune, personas.THON_3.team_name, thon_3)


@pytest.fixture
def make_volunteer(db):
    """`tests.personas.make_volunteer`: (team, full_name, phone=None, **fields)."""
    return personas.make_volunteer


@pytest.fixture
def hong(team) -> Volunteer:
    """Nguyễn Thị Hồng, a teacher in the Bon Bu Bir team, on duty."""
    return personas.HONG.join(team)


@pytest.fixture
def lan(hong) -> Volunteer:
    """Old name of `hong`, kept for branches in flight (Lan is the resident)."""
    return hong


@pytest.fixture
def minh(team) -> Volunteer:
    """Y Minh Êban, also of Bon Bu Bir, on duty, never trained."""
    return personas.Y_MINH.join(team)


@pytest.fixture
def hoa_trainer(db):
    """Trần Thị Hoa trains volunteers; she is not commune staff."""
    return personas.trainer()


@pytest.fixture
def secretary(commune):
    """The commune secretary's account."""
    return personas.secretary_of(commune).user


@pytest.fixture
def scam_topic(db) -> Topic:
    return Topic.objects.get(key="scam")


@pytest.fixture
def workshop(commune, bu_bir, hoa_trainer, scam_topic) -> Workshop:
    """A scam-awareness workshop under way: started an hour ago, two seats."""
    now = timezone.now()
    workshop = Workshop.objects.create(
        commune=commune,
        title="Nhận diện lừa đảo – lớp bon Bu Bir",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        village=bu_bir,
        trainer=hoa_trainer,
        capacity=2,
    )
    workshop.topics.add(scam_topic)
    return workshop


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def certify(hoa_trainer):
    """Take `volunteer` through a workshop for real: QR check-in, every step, the quiz."""
    from training import quiz, services

    def run(volunteer: Volunteer, workshop: Workshop, *, at: dt.datetime | None = None):
        at = at or timezone.now()
        services.enrol_volunteer(workshop=workshop, volunteer=volunteer, now=at)
        token = services.checkin_token(workshop=workshop, at=at)
        services.check_in_with_token(
            workshop=workshop, volunteer=volunteer, token=token, now=at
        )
        for topic in workshop.topics.all():
            for step in topic.steps.all():
                services.set_step_done(
                    volunteer=volunteer, step=step, done=True, by=hoa_trainer, now=at
                )
            if topic.requires_quiz:
                attempt = quiz.start_quiz(volunteer=volunteer, topic=topic, now=at)
                quiz.submit_quiz(
                    attempt=attempt, answers=correct_answers(attempt), now=at
                )
        return volunteer.certificates.order_by("-issued_at")

    return run
