"""Demo training data: the commune's two past hands-on courses and one upcoming workshop.

Built from a fixed random seed and anchored to today's local date (so "expiring soon" is
true on the day the demo is loaded): the same commune on the same day always gets the
same rows. A second run creates nothing (the sample workshops mark the work as done).
Everything is written with bulk_create in one transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Commune, StaffMember, Volunteer
from training.catalogue import seed_catalogue
from training.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Certificate,
    Choice,
    Enrolment,
    PracticeStep,
    Question,
    QuizAttempt,
    StepCompletion,
    Topic,
    Workshop,
    add_months,
)

SEED = 20251103
# Days before today each course started: course 1's 12-month scam certificates expire
# about three weeks from today (the "expiring soon" cases), course 2's in ~6 months.
COURSE_STARTS = (345, 160)
SEATS = 45
ATTENDANCE = 0.9
CHECKLIST_DONE = 0.94
FIRST_PASS, SECOND_PASS = 0.72, 0.6
REVOKED = 4
REVOKE_REASONS = (
    "Đã chuyển công tác khỏi xã.",
    "Giữ mật khẩu VNeID của người dân, trái quy định của tổ.",
    "Tự nguyện rút khỏi tổ hỗ trợ.",
)


@dataclass(frozen=True)
class TrainingDemoResult:
    created: bool
    workshops: int = 0
    enrolments: int = 0
    certificates: int = 0


def seed_training(
    commune: Commune, *, stdout: TextIO | None = None
) -> TrainingDemoResult:
    """Create the demo courses for `commune`'s volunteers; idempotent and deterministic."""
    if Workshop.objects.filter(commune=commune, is_sample=True).exists():
        _say(stdout, _("Dữ liệu tập huấn mẫu đã có, bỏ qua."))
        return TrainingDemoResult(created=False)
    seed_catalogue()
    with transaction.atomic():
        result = _Builder(commune).build()
    _say(
        stdout,
        _(
            "Tập huấn mẫu: %(workshops)s buổi, %(enrolments)s lượt ghi danh, "
            "%(certificates)s chứng nhận."
        )
        % {
            "workshops": result.workshops,
            "enrolments": result.enrolments,
            "certificates": result.certificates,
        },
    )
    return result


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


class _Builder:
    def __init__(self, commune: Commune) -> None:
        self.commune = commune
        self.rng = random.Random(f"{SEED}-{commune.code}")
        self.tz = ZoneInfo(commune.time_zone)
        self.today = timezone.now().astimezone(self.tz).date()
        self.topics = list(Topic.objects.filter(active=True))
        self.scam = next(t for t in self.topics if t.requires_quiz)
        self.steps = {
            t.pk: list(PracticeStep.objects.filter(topic=t).order_by("order"))
            for t in self.topics
        }
        staff = StaffMember.objects.filter(commune=commune).order_by("pk").first()
        self.trainer = staff.user if staff else None
        self.village = commune.villages.order_by("number").first()
        self.enrolments: list[Enrolment] = []
        self.completions: list[StepCompletion] = []
        self.attempts: list[QuizAttempt] = []
        self.certificates: list[Certificate] = []
        self.codes: set[str] = set()
        self._load_questions()

    def _load_questions(self) -> None:
        self.pool = list(
            Question.objects.filter(topic=self.scam, active=True).values_list(
                "id", flat=True
            )
        )
        self.choices: dict[int, list[tuple[int, bool]]] = {}
        for cid, qid, ok in Choice.objects.filter(
            question_id__in=self.pool
        ).values_list("id", "question_id", "is_correct"):
            self.choices.setdefault(qid, []).append((cid, ok))

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def build(self) -> TrainingDemoResult:
        volunteers = list(
            Volunteer.objects.filter(team__commune=self.commune, active=True).order_by(
                "team__name", "pk"
            )
        )
        teams: dict[int, list[Volunteer]] = {}
        for v in volunteers:
            teams.setdefault(v.team_id, []).append(v)
        groups = list(teams.values())
        workshops = []
        for course, ago in enumerate(COURSE_STARTS, start=1):
            members = [
                v for i, g in enumerate(groups) if i % 2 == course - 1 for v in g
            ]
            workshops += self._course(
                course, self.today - dt.timedelta(days=ago), members
            )
        workshops.append(self._upcoming(volunteers))
        self._revoke_some()
        Enrolment.objects.bulk_create(self.enrolments, batch_size=500)
        StepCompletion.objects.bulk_create(self.completions, batch_size=500)
        QuizAttempt.objects.bulk_create(self.attempts, batch_size=500)
        Certificate.objects.bulk_create(self.certificates, batch_size=500)
        return TrainingDemoResult(
            created=True,
            workshops=len(workshops),
            enrolments=len(self.enrolments),
            certificates=len(self.certificates),
        )

    def _workshop(
        self, title: str, start: dt.datetime, topics: list[Topic], seats: int
    ):
        workshop = Workshop.objects.create(
            commune=self.commune,
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3, minutes=30),
            village=self.village,
            address="Hội trường UBND xã",
            trainer=self.trainer,
            capacity=seats,
            is_sample=True,
        )
        workshop.topics.set(topics)
        return workshop

    def _course(self, course: int, first_day: dt.date, members: list[Volunteer]):
        batches = [members[i : i + SEATS] for i in range(0, len(members), SEATS)]
        workshops = []
        for n, batch in enumerate(batches):
            day = first_day + dt.timedelta(days=n // 2)
            start = self.at(day, 7 if n % 2 == 0 else 13, 30)
            title = f"Khoá {course} – lớp {n + 1}: thực hành dịch vụ công trực tuyến"
            workshop = self._workshop(title, start, self.topics, SEATS)
            workshops.append(workshop)
            for position, volunteer in enumerate(batch, start=1):
                self._trainee(workshop, volunteer, position)
        return workshops

    def _trainee(self, workshop: Workshop, volunteer: Volunteer, position: int) -> None:
        rng = self.rng
        came = rng.random() < ATTENDANCE
        checked_in = workshop.starts_at + dt.timedelta(minutes=rng.randint(-10, 25))
        self.enrolments.append(
            Enrolment(
                workshop=workshop,
                volunteer=volunteer,
                status=Enrolment.Status.ENROLLED,
                position=position,
                enrolled_at=workshop.starts_at - dt.timedelta(days=7),
                checked_in_at=checked_in if came else None,
                checked_in_by=volunteer.user if came else self.trainer,
                check_in_method=(
                    (
                        Enrolment.Method.QR
                        if rng.random() < 0.85
                        else Enrolment.Method.TRAINER
                    )
                    if came
                    else ""
                ),
            )
        )
        if not came:
            return
        done_at = workshop.ends_at - dt.timedelta(minutes=20)
        finished = set()
        for topic in self.topics:
            steps = self.steps[topic.pk]
            count = (
                len(steps)
                if rng.random() < CHECKLIST_DONE
                else rng.randint(1, len(steps) - 1)
            )
            self.completions += [
                StepCompletion(
                    volunteer=volunteer, step=s, ticked_by=self.trainer, at=done_at
                )
                for s in steps[:count]
            ]
            if count == len(steps):
                finished.add(topic.pk)
        passed_at = self._quiz(volunteer, workshop.ends_at)
        for topic in self.topics:
            if topic.pk not in finished or (topic.requires_quiz and passed_at is None):
                continue
            issued = passed_at if topic.requires_quiz else workshop.ends_at
            self.certificates.append(
                Certificate(
                    volunteer=volunteer,
                    topic=topic,
                    code=self._code(),
                    issued_at=issued,
                    expires_at=add_months(issued, topic.validity_months),
                )
            )

    def _quiz(self, volunteer: Volunteer, when: dt.datetime) -> dt.datetime | None:
        for chance in (FIRST_PASS, SECOND_PASS):
            passed = self.rng.random() < chance
            attempt = self._attempt(volunteer, when, passed)
            self.attempts.append(attempt)
            if passed:
                return attempt.submitted_at
            when += dt.timedelta(hours=2)
        return None

    def _attempt(
        self, volunteer: Volunteer, when: dt.datetime, passed: bool
    ) -> QuizAttempt:
        rng = self.rng
        drawn = rng.sample(self.pool, min(15, len(self.pool)))
        score = rng.randint(12, len(drawn)) if passed else rng.randint(6, 11)
        order, answers = {}, {}
        for i, qid in enumerate(drawn):
            options = list(self.choices.get(qid, []))
            rng.shuffle(options)
            order[str(qid)] = [cid for cid, _ok in options]
            pick = [cid for cid, ok in options if ok == (i < score)]
            answers[str(qid)] = pick[0] if pick else None
        return QuizAttempt(
            volunteer=volunteer,
            topic=self.scam,
            started_at=when,
            submitted_at=when + dt.timedelta(minutes=rng.randint(8, 20)),
            question_ids=drawn,
            choice_order=order,
            answers=answers,
            score=min(score, len(drawn)),
            passed=passed,
        )

    def _code(self) -> str:
        while True:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _revoke_some(self) -> None:
        taken = set(
            Certificate.objects.filter(code__in=self.codes).values_list(
                "code", flat=True
            )
        )
        for certificate in self.certificates:
            if certificate.code in taken:  # never collide with a real certificate
                self.codes.discard(certificate.code)
                certificate.code = self._code()
        for certificate in self.rng.sample(
            self.certificates, min(REVOKED, len(self.certificates))
        ):
            certificate.revoked_at = certificate.issued_at + dt.timedelta(days=60)
            certificate.revoked_reason = self.rng.choice(REVOKE_REASONS)
            certificate.revoked_by = self.trainer

    def _upcoming(self, volunteers: list[Volunteer]) -> Workshop:
        start = self.at(self.today + dt.timedelta(days=5), 8)
        topics = [t for t in self.topics if t.requires_quiz or t.key == "epayment"]
        workshop = self._workshop(
            "Bồi dưỡng nhận diện lừa đảo và thanh toán điện tử", start, topics, 30
        )
        chosen = self.rng.sample(volunteers, min(34, len(volunteers)))
        for position, volunteer in enumerate(chosen, start=1):
            self.enrolments.append(
                Enrolment(
                    workshop=workshop,
                    volunteer=volunteer,
                    status=(
                        Enrolment.Status.ENROLLED
                        if position <= workshop.capacity
                        else Enrolment.Status.WAITLISTED
                    ),
                    position=position,
                    enrolled_at=self.at(self.today - dt.timedelta(days=1), 9),
                )
            )
        return workshop
