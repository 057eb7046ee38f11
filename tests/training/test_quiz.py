"""The scam-awareness quiz: random, shuffled, marked, limited, and leak-free."""

from __future__ import annotations

import random
import re

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape

from tests.training.quiz_answers import correct_answers
from training import quiz
from training.errors import QuizLimitReached
from training.models import Choice, Question


def test_the_bank_has_at_least_40_vietnamese_questions_with_explanations(
    scam_topic,
):
    questions = Question.objects.filter(topic=scam_topic)

    assert questions.count() >= 40
    for q in questions:
        assert 3 <= q.choices.count() <= 4
        assert q.choices.filter(is_correct=True).count() == 1
        assert q.explanation
    assert questions.filter(text__contains="VNeID").exists()
    assert questions.filter(text__contains="điện lực").exists()


def test_a_quiz_draws_15_questions_with_shuffled_choices(hong, scam_topic):
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic, rng=random.Random(7))

    assert len(set(attempt.question_ids)) == 15
    shuffled = [
        qid
        for qid in attempt.question_ids
        if attempt.choice_order[str(qid)] != sorted(attempt.choice_order[str(qid)])
    ]
    assert shuffled


def _paper_html(client, attempt) -> str:
    html = client.get(f"/training/quiz/attempts/{attempt.pk}/").content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_quiz_page_source_has_no_correct_answer_marker(hong, scam_topic, logged_in):
    client = logged_in(hong.user)
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)

    html = _paper_html(client, attempt)

    assert html.count('type="radio"') >= 45
    for marker in ("correct", "is_correct", "answer", "explanation", "✔", "checked"):
        assert marker not in html.lower()
    for question in Question.objects.filter(pk__in=attempt.question_ids):
        assert escape(question.explanation) not in html
        assert escape(question.text) in html


def test_moving_the_right_answers_does_not_change_the_quiz_page(
    hong, scam_topic, logged_in
):
    """Whatever is correct, the page a trainee receives is byte-for-byte the same."""
    client = logged_in(hong.user)
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)
    before = _paper_html(client, attempt)

    for qid in attempt.question_ids:
        choices = list(Choice.objects.filter(question_id=qid))
        right = next(i for i, c in enumerate(choices) if c.is_correct)
        Choice.objects.filter(question_id=qid).update(is_correct=False)
        moved = choices[(right + 1) % len(choices)]
        Choice.objects.filter(pk=moved.pk).update(is_correct=True)

    assert _paper_html(client, attempt) == before


def test_submitting_the_right_answers_passes_and_shows_explanations(
    hong, scam_topic, logged_in
):
    client = logged_in(hong.user)
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)
    form = {f"q{qid}": str(pos) for qid, pos in correct_answers(attempt).items()}

    page = client.post(f"/training/quiz/attempts/{attempt.pk}/", form, follow=True)

    html = page.content.decode()
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 15
    assert "Đạt." in html
    question = Question.objects.get(pk=attempt.question_ids[0])
    assert escape(question.explanation) in html


def test_below_the_pass_mark_it_fails(hong, scam_topic):
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)
    right = correct_answers(attempt)
    answers = {qid: right[qid] for qid in attempt.question_ids[:11]}  # 11/15 = 73 %

    attempt = quiz.submit_quiz(attempt=attempt, answers=answers)

    assert attempt.score == 11
    assert not attempt.passed


def test_twelve_of_fifteen_is_exactly_the_pass_mark(hong, scam_topic):
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)
    right = correct_answers(attempt)
    answers = {qid: right[qid] for qid in attempt.question_ids[:12]}  # 80 %

    assert quiz.submit_quiz(attempt=attempt, answers=answers).passed


def test_nonsense_answers_count_as_unanswered(hong, scam_topic, logged_in):
    client = logged_in(hong.user)
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)
    form = {f"q{qid}": "99" for qid in attempt.question_ids} | {"qx": "<b>"}

    page = client.post(f"/training/quiz/attempts/{attempt.pk}/", form, follow=True)

    assert page.status_code == 200
    attempt.refresh_from_db()
    assert attempt.score == 0


@override_settings(TRAINING_QUIZ_ATTEMPTS_PER_DAY=3)
def test_it_limits_the_attempts_per_day(hong, scam_topic):
    now = timezone.now()
    for _ in range(3):
        attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic, now=now)
        quiz.submit_quiz(attempt=attempt, answers={}, now=now)

    with pytest.raises(QuizLimitReached):
        quiz.start_quiz(volunteer=hong, topic=scam_topic, now=now)
    tomorrow = now + timezone.timedelta(days=1)
    assert quiz.start_quiz(volunteer=hong, topic=scam_topic, now=tomorrow)


def test_reloading_the_start_page_resumes_the_open_attempt(hong, scam_topic):
    first = quiz.start_quiz(volunteer=hong, topic=scam_topic)

    assert quiz.start_quiz(volunteer=hong, topic=scam_topic).pk == first.pk


def test_the_start_page_explains_the_daily_limit(hong, scam_topic, logged_in):
    client = logged_in(hong.user)
    with override_settings(TRAINING_QUIZ_ATTEMPTS_PER_DAY=1):
        attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)
        quiz.submit_quiz(attempt=attempt, answers={})

        page = client.post("/training/quiz/")

    assert "hết số lượt kiểm tra" in page.content.decode()


def test_someone_elses_attempt_is_not_found(hong, minh, scam_topic, logged_in):
    attempt = quiz.start_quiz(volunteer=hong, topic=scam_topic)

    page = logged_in(minh.user).get(f"/training/quiz/attempts/{attempt.pk}/")

    assert page.status_code == 404
