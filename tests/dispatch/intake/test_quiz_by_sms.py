"""The scam-awareness quiz by SMS: a basic-phone volunteer is certified without the web."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from teams.models import Volunteer
from training import services as training_services
from training.models import Certificate, QuizAttempt, Topic, Workshop


@pytest.fixture
def an_trained(duc_an):
    """An attended the scam workshop and did the practice checklist (the trainer ticked
    it on the day); only the quiz is left."""
    from django.contrib.auth import get_user_model

    trainer = get_user_model().objects.create_user("giangvien", password="x-y-z-123")
    scam = Topic.objects.get(key="scam")
    now = timezone.now()
    workshop = Workshop.objects.create(
        commune=duc_an.commune,
        title="Nhận diện lừa đảo – Thôn 1",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
        village=duc_an.thon_1,
        trainer=trainer,
        capacity=10,
    )
    workshop.topics.add(scam)
    training_services.enrol_volunteer(workshop=workshop, volunteer=duc_an.an, now=now)
    token = training_services.checkin_token(workshop=workshop, at=now)
    training_services.check_in_with_token(
        workshop=workshop, volunteer=duc_an.an, token=token, now=now
    )
    for step in scam.steps.all():
        training_services.set_step_done(
            volunteer=duc_an.an, step=step, done=True, by=trainer, now=now
        )
    return duc_an.an


def letter_for(volunteer: Volunteer, *, right: bool) -> str:
    """The letter of the right (or a wrong) choice of the next unanswered question."""
    from training.models import Choice

    attempt = QuizAttempt.objects.filter(
        volunteer=volunteer, submitted_at__isnull=True
    ).get()
    qid = next(q for q in attempt.question_ids if str(q) not in attempt.answers)
    ids = attempt.choice_order[str(qid)]
    correct = set(
        Choice.objects.filter(pk__in=ids, is_correct=True).values_list("pk", flat=True)
    )
    position = next(pos for pos, cid in enumerate(ids) if (cid in correct) == right)
    return "ABCD"[position]


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["HOC LUA DAO", "học lừa đảo"])
def test_a_basic_phone_volunteer_reaches_a_scam_certificate_by_sms(
    an_trained, text_from, start
):
    total = settings.TRAINING_QUIZ_QUESTIONS

    reply = text_from(an_trained, start)
    assert reply.startswith(f"Cau 1/{total}: ")
    assert " A) " in reply and " B) " in reply and reply.endswith(".")
    for number in range(2, total + 1):
        letter = letter_for(an_trained, right=True)
        reply = text_from(an_trained, letter.lower() if number % 2 else letter)
        assert reply.startswith(f"Cau {number}/{total}: ")
    reply = text_from(an_trained, letter_for(an_trained, right=True))

    certificate = Certificate.objects.get(volunteer=an_trained, topic__key="scam")
    expires = timezone.localtime(certificate.expires_at)
    assert reply == (
        f"Ban dat {total}/{total}. Chung nhan lua dao {certificate.grouped_code},"
        f" han {expires:%d/%m/%Y}."
    )
    attempt = QuizAttempt.objects.get(volunteer=an_trained)
    assert attempt.passed and attempt.score == total


@pytest.mark.django_db
def test_a_failed_sms_quiz_counts_against_the_same_daily_limit_as_the_web(
    an_trained, text_from
):
    total = settings.TRAINING_QUIZ_QUESTIONS
    limit = settings.TRAINING_QUIZ_ATTEMPTS_PER_DAY
    for attempt_number in range(1, limit + 1):
        text_from(an_trained, "HOC LUA DAO")
        for _ in range(total):
            reply = text_from(an_trained, letter_for(an_trained, right=False))
        left = limit - attempt_number
        assert reply == (
            f"Chua dat: 0/{total} (can {settings.TRAINING_QUIZ_PASS_PERCENT}%)."
            f" Con {left} luot hom nay; nhan HOC LUA DAO de lam lai."
        )

    refused = text_from(an_trained, "HOC LUA DAO")

    assert refused.startswith("Khong thuc hien duoc: Ban da lam het so luot")
    assert not Certificate.objects.filter(volunteer=an_trained).exists()


@pytest.mark.django_db
def test_a_letter_without_a_quiz_under_way_says_how_to_start(duc_an, text_from):
    assert text_from(duc_an.an, "B") == (
        "Ban chua lam bai nao. Nhan HOC LUA DAO de bat dau."
    )


@pytest.mark.django_db
def test_a_letter_the_question_does_not_have_is_refused_and_asked_again(
    an_trained, text_from
):
    from django.db.models import Count

    from training.models import Question

    # Only three-choice questions, so "D" is a letter the first question lacks.
    Question.objects.annotate(n=Count("choices")).filter(n__gt=3).update(active=False)
    first = text_from(an_trained, "HOC LUA DAO")
    letters = first.rsplit("Tra loi ", 1)[1].rstrip(".").split("/")
    missing = next(letter for letter in "ABCD" if letter not in letters)

    reply = text_from(an_trained, missing)

    assert reply == "Khong thuc hien duoc: Cau nay khong co phuong an do."
    again = text_from(an_trained, "HOC LUA DAO")
    assert again == first
