"""The scam-awareness quiz: draw, shuffle, mark.

The page never receives anything that reveals the answer: choices are shown by their
position in this attempt's shuffled order, and explanations appear only after submission.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from teams.models import Volunteer
from training import selectors
from training.errors import (
    QuizAlreadySubmitted,
    QuizBadAnswer,
    QuizLimitReached,
    QuizNoAttempt,
    QuizUnavailable,
)
from training.models import Certificate, Choice, Question, QuizAttempt, Topic
from training.services import issue_due_certificates

# An unsubmitted attempt is resumed (not counted again) for this long after it starts.
RESUME_WITHIN = dt.timedelta(hours=2)


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    question_id: int
    text: str
    choices: list[tuple[int, str]]  # (position in this attempt, text)


@dataclass(frozen=True)
class MarkedQuestion:
    number: int
    text: str
    explanation: str
    choices: list[tuple[str, bool, bool]]  # (text, is_correct, was_chosen)
    answered_correctly: bool


def _local_day_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def attempts_left_today(
    *, volunteer: Volunteer, topic: Topic, now: dt.datetime | None = None
) -> int:
    """How many more attempts `volunteer` may start today (local calendar day)."""
    now = now or timezone.now()
    used = QuizAttempt.objects.filter(
        volunteer=volunteer, topic=topic, started_at__gte=_local_day_start(now)
    ).count()
    return max(0, settings.TRAINING_QUIZ_ATTEMPTS_PER_DAY - used)


def start_quiz(
    *,
    volunteer: Volunteer,
    topic: Topic,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Draw N random active questions with shuffled choices, or resume an open attempt.

    Raises QuizLimitReached past the daily limit and QuizUnavailable when the topic has
    no questions. Locks the volunteer row so a double click starts one attempt.
    """
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        open_attempt = QuizAttempt.objects.filter(
            volunteer=volunteer,
            topic=topic,
            submitted_at__isnull=True,
            started_at__gte=now - RESUME_WITHIN,
        ).first()
        if open_attempt is not None:
            return open_attempt
        if attempts_left_today(volunteer=volunteer, topic=topic, now=now) <= 0:
            raise QuizLimitReached()
        pool = list(
            Question.objects.filter(topic=topic, active=True).values_list(
                "id", "pattern"
            )
        )
        if not pool:
            raise QuizUnavailable()
        drawn = draw_questions(
            pool,
            size=min(settings.TRAINING_QUIZ_QUESTIONS, len(pool)),
            seen=selectors.patterns_seen_recently(
                commune_id=volunteer.team.commune_id, at=now
            ),
            rng=rng,
        )
        order: dict[str, list[int]] = {}
        for question_id in drawn:
            ids = list(
                Choice.objects.filter(question_id=question_id).values_list(
                    "id", flat=True
                )
            )
            rng.shuffle(ids)
            order[str(question_id)] = ids
        return QuizAttempt.objects.create(
            volunteer=volunteer,
            topic=topic,
            started_at=now,
            question_ids=drawn,
            choice_order=order,
        )


def draw_questions(
    pool: list[tuple[int, str]],
    *,
    size: int,
    seen: list[str],
    rng: random.Random,
) -> list[int]:
    """`size` question ids from (id, pattern) pairs: first one question of each scam
    pattern reported in the volunteer's commune lately (at most half the paper, most
    reported first), then a random draw from the rest, shuffled together. What the
    village is facing now is what the volunteers are tested on."""
    by_pattern: dict[str, list[int]] = {}
    for qid, pattern in pool:
        by_pattern.setdefault(pattern, []).append(qid)
    first: list[int] = []
    for name in seen:
        if len(first) >= size // 2:
            break
        if by_pattern.get(name):
            first.append(rng.choice(by_pattern[name]))
    rest = [qid for qid, _ in pool if qid not in first]
    drawn = first + rng.sample(rest, size - len(first))
    rng.shuffle(drawn)
    return drawn


def quiz_paper(*, attempt: QuizAttempt) -> list[PaperQuestion]:
    """What the quiz page may show: texts and positions, nothing about correctness."""
    questions = Question.objects.in_bulk(attempt.question_ids)
    choices = Choice.objects.in_bulk(
        [cid for ids in attempt.choice_order.values() for cid in ids]
    )
    paper = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        ids = attempt.choice_order.get(str(qid), [])
        paper.append(
            PaperQuestion(
                number=number,
                question_id=qid,
                text=questions[qid].text if qid in questions else "",
                choices=[
                    (pos, choices[cid].text)
                    for pos, cid in enumerate(ids)
                    if cid in choices
                ],
            )
        )
    return paper


def submit_quiz(
    *,
    attempt: QuizAttempt,
    answers: dict[int, int | None],
    now: dt.datetime | None = None,
) -> QuizAttempt:
    """Mark `attempt` from `answers` ({question id: chosen position or None}).

    Unknown positions count as unanswered. Passing may issue the scam certificate.
    Locks the attempt row; a second submission raises QuizAlreadySubmitted.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.submitted_at is not None:
            raise QuizAlreadySubmitted()
        chosen: dict[str, int | None] = {}
        for qid in attempt.question_ids:
            ids = attempt.choice_order.get(str(qid), [])
            pos = answers.get(qid)
            chosen[str(qid)] = (
                ids[pos] if pos is not None and 0 <= pos < len(ids) else None
            )
        correct_ids = set(
            Choice.objects.filter(
                question_id__in=attempt.question_ids, is_correct=True
            ).values_list("id", flat=True)
        )
        score = sum(1 for cid in chosen.values() if cid in correct_ids)
        total = len(attempt.question_ids)
        attempt.answers = chosen
        attempt.score = score
        attempt.passed = (
            total > 0 and score * 100 >= settings.TRAINING_QUIZ_PASS_PERCENT * total
        )
        attempt.submitted_at = now
        attempt.save()
        if attempt.passed:
            issue_due_certificates(volunteer=attempt.volunteer, now=now)
        return attempt


def marked_paper(*, attempt: QuizAttempt) -> list[MarkedQuestion]:
    """The submitted attempt with the right answers and explanations (after submission)."""
    if attempt.submitted_at is None:
        return []
    questions = Question.objects.in_bulk(attempt.question_ids)
    choices = Choice.objects.in_bulk(
        [cid for ids in attempt.choice_order.values() for cid in ids]
    )
    marked = []
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = questions.get(qid)
        if question is None:
            continue
        picked = attempt.answers.get(str(qid))
        rows = [
            (choices[cid].text, choices[cid].is_correct, cid == picked)
            for cid in attempt.choice_order.get(str(qid), [])
            if cid in choices
        ]
        marked.append(
            MarkedQuestion(
                number=number,
                text=question.text,
                explanation=question.explanation,
                choices=rows,
                answered_correctly=any(ok and was for _t, ok, was in rows),
            )
        )
    return marked


# --- One question at a time (the SMS quiz for basic phones) ---------------------------


@dataclass(frozen=True)
class QuizStep:
    """Where an attempt stands: the next question, or the mark once all are answered."""

    attempt: QuizAttempt
    question: PaperQuestion | None  # None once the attempt is marked
    answered: int
    total: int
    certificates: list[Certificate]  # issued by this attempt's pass


def open_attempt(
    *, volunteer: Volunteer, topic: Topic, now: dt.datetime | None = None
) -> QuizAttempt | None:
    """The volunteer's unsubmitted attempt that may still be resumed, if any."""
    now = now or timezone.now()
    return (
        QuizAttempt.objects.filter(
            volunteer=volunteer,
            topic=topic,
            submitted_at__isnull=True,
            started_at__gte=now - RESUME_WITHIN,
        )
        .order_by("-started_at")
        .first()
    )


def _step(attempt: QuizAttempt) -> QuizStep:
    total = len(attempt.question_ids)
    answered = sum(1 for qid in attempt.question_ids if str(qid) in attempt.answers)
    if attempt.submitted_at is not None:
        certificates = list(
            attempt.volunteer.certificates.filter(
                topic=attempt.topic, issued_at__gte=attempt.submitted_at
            )
        )
        return QuizStep(attempt, None, total, total, certificates)
    paper = quiz_paper(attempt=attempt)
    question = next(q for q in paper if str(q.question_id) not in attempt.answers)
    return QuizStep(attempt, question, answered, total, [])


def next_question(
    *, volunteer: Volunteer, topic: Topic, now: dt.datetime | None = None
) -> QuizStep:
    """Start (or resume) an attempt and give its next unanswered question.

    The same draw, attempt limit and resume window as the web quiz (`start_quiz`);
    raises QuizLimitReached and QuizUnavailable like it.
    """
    return _step(start_quiz(volunteer=volunteer, topic=topic, now=now))


def answer_next_question(
    *,
    volunteer: Volunteer,
    topic: Topic,
    position: int,
    now: dt.datetime | None = None,
) -> QuizStep:
    """Record `position` (0 = A) for the next unanswered question of the open attempt.

    The last answer marks the attempt with `submit_quiz` (same pass mark, same
    certificate). Locks the attempt row, so a repeated SMS cannot answer twice at once.
    Raises QuizNoAttempt without an open attempt, QuizBadAnswer for a letter the
    question does not have.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = open_attempt(volunteer=volunteer, topic=topic, now=now)
        if attempt is None:
            raise QuizNoAttempt()
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        pending = [q for q in attempt.question_ids if str(q) not in attempt.answers]
        qid = pending[0]
        ids = attempt.choice_order.get(str(qid), [])
        if not 0 <= position < len(ids):
            raise QuizBadAnswer()
        attempt.answers = {**attempt.answers, str(qid): ids[position]}
        attempt.save(update_fields=["answers"])
        if len(pending) > 1:
            return _step(attempt)
        positions = {
            q: _position_of(attempt.choice_order.get(str(q), []), cid)
            for q, cid in (
                (q, attempt.answers.get(str(q))) for q in attempt.question_ids
            )
        }
        attempt = submit_quiz(attempt=attempt, answers=positions, now=now)
    return _step(attempt)


def _position_of(ids: list[int], chosen: int | None) -> int | None:
    return ids.index(chosen) if chosen in ids else None
