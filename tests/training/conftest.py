"""Personas for the training tests, built with the real models and services."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from training.models import Topic, Workshop

_phones = itertools.count(1000)


@pytest.fixture
def commune(db) -> Commune:
    return Commune.objects.create(
        name="Đức An",
        code="DA",
        province="Lâm Đồng",
        lat=12.25,
        lng=107.55,
        certification_required=["scam"],
    )


@pytest.fixture
def bu_bir(commune) -> Village:
    return Village.objects.create(
        commune=commune,
        name="Bon Bu Bir",
        kind=Village.Kind.BON,
        number=16,
        lat=12.26,
        lng=107.56,
    )


@pytest.fixture
def thon_3(commune) -> Village:
    return Village.objects.create(
        commune=commune,
        name="Thôn 3",
        kind=Village.Kind.THON,
        number=3,
        lat=12.24,
        lng=107.54,
    )


@pytest.fixture
def team(commune, bu_bir) -> SupportTeam:
    team = SupportTeam.objects.create(
        commune=commune, name="Tổ hỗ trợ bon Bu Bir", base_lat=12.26, base_lng=107.56
    )
    team.villages.add(bu_bir)
    return team


@pytest.fixture
def other_team(commune, thon_3) -> SupportTeam:
    team = SupportTeam.objects.create(
        commune=commune, name="Tổ hỗ trợ thôn 3", base_lat=12.24, base_lng=107.54
    )
    team.villages.add(thon_3)
    return team


@pytest.fixture
def make_volunteer(db):
    def make(team: SupportTeam, full_name: str, **extra) -> Volunteer:
        n = next(_phones)
        user = get_user_model().objects.create_user(
            username=f"tnv{n}", password="mat-khau-thu-nghiem"
        )
        return Volunteer.objects.create(
            user=user, team=team, full_name=full_name, phone=f"+8491234{n:04d}", **extra
        )

    return make


@pytest.fixture
def lan(make_volunteer, team) -> Volunteer:
    """Nguyễn Thị Lan, a teacher in the Bon Bu Bir team, on duty."""
    return make_volunteer(team, "Nguyễn Thị Lan", on_duty=True)


@pytest.fixture
def minh(make_volunteer, team) -> Volunteer:
    """Y Minh Êban, also of Bon Bu Bir, on duty, never trained."""
    return make_volunteer(team, "Y Minh Êban", on_duty=True)


@pytest.fixture
def hoa_trainer(db):
    """Trần Thị Hoa trains volunteers; she is not commune staff."""
    return get_user_model().objects.create_user(
        username="hoa", password="mat-khau-thu-nghiem", first_name="Hoa"
    )


@pytest.fixture
def secretary(commune):
    user = get_user_model().objects.create_user(
        username="thuky", password="mat-khau-thu-nghiem"
    )
    StaffMember.objects.create(user=user, commune=commune, role="secretary")
    return user


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


def correct_answers(attempt) -> dict[int, int]:
    """The position of the right choice of every question of `attempt` (test helper)."""
    from training.models import Choice

    right = set(
        Choice.objects.filter(
            question_id__in=attempt.question_ids, is_correct=True
        ).values_list("id", flat=True)
    )
    return {
        qid: next(
            pos
            for pos, cid in enumerate(attempt.choice_order[str(qid)])
            if cid in right
        )
        for qid in attempt.question_ids
    }


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
