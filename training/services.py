"""Writes of the training app: enrolment, attendance, practice steps and certificates.

Every public function takes keyword-only arguments and says which rows it locks. The
quiz has its own module (`training/quiz.py`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from teams.models import Commune, SupportTeam, Village, Volunteer
from training.errors import (
    AlreadyRevoked,
    EnrolmentClosed,
    InactiveVolunteer,
    NotEnrolled,
    StaleCheckinCode,
    WorkshopNotOpen,
)
from training.models import (
    Certificate,
    Enrolment,
    PracticeStep,
    QuizAttempt,
    ScamPattern,
    ScamSighting,
    StepCompletion,
    Topic,
    Workshop,
    add_months,
    new_certificate_code,
)

CHECKIN_WINDOW_SECONDS = 60

# --- Workshops ----------------------------------------------------------------------------


def create_workshop(
    *,
    commune: Commune,
    title: str,
    topics: list[Topic],
    day: dt.date,
    start: dt.time,
    end: dt.time,
    capacity: int,
    village: Village | None = None,
    address: str = "",
    trainer: User | None = None,
) -> Workshop:
    """Schedule a workshop from a local date and times (the commune's time zone).

    Stored in UTC. One transaction: the workshop and its topics.
    """
    tz = ZoneInfo(commune.time_zone)
    with transaction.atomic():
        workshop = Workshop.objects.create(
            commune=commune,
            title=title.strip(),
            starts_at=dt.datetime.combine(day, start, tzinfo=tz),
            ends_at=dt.datetime.combine(day, end, tzinfo=tz),
            village=village,
            address=address.strip(),
            trainer=trainer,
            capacity=capacity,
        )
        workshop.topics.set(topics)
        return workshop


# --- Enrolment and the waitlist ---------------------------------------------------------


def _lock_workshop(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def enrol_volunteer(
    *, workshop: Workshop, volunteer: Volunteer, now: dt.datetime | None = None
) -> Enrolment:
    """Enrol `volunteer`, or put them on the waitlist when every seat is taken.

    Enrolling someone already enrolled or waitlisted changes nothing; a cancelled
    enrolment is reopened at the back of the queue. Locks the workshop row so two
    simultaneous enrolments cannot both take the last seat.
    """
    now = now or timezone.now()
    if not volunteer.active:
        raise InactiveVolunteer()
    with transaction.atomic():
        workshop = _lock_workshop(workshop)
        if workshop.ends_at <= now:
            raise EnrolmentClosed()
        enrolment = Enrolment.objects.filter(
            workshop=workshop, volunteer=volunteer
        ).first()
        if enrolment is not None and enrolment.status != Enrolment.Status.CANCELLED:
            return enrolment
        seats_taken = workshop.enrolments.filter(
            status=Enrolment.Status.ENROLLED
        ).count()
        status = (
            Enrolment.Status.ENROLLED
            if seats_taken < workshop.capacity
            else Enrolment.Status.WAITLISTED
        )
        position = (workshop.enrolments.aggregate(m=Max("position"))["m"] or 0) + 1
        if enrolment is None:
            enrolment = Enrolment(workshop=workshop, volunteer=volunteer)
        enrolment.status, enrolment.position, enrolment.enrolled_at = (
            status,
            position,
            now,
        )
        enrolment.save()
        return enrolment


def enrol_team(
    *, workshop: Workshop, team: SupportTeam, now: dt.datetime | None = None
) -> list[Enrolment]:
    """Enrol every active member of `team` (leaders first, then by name).

    Members beyond the capacity go to the waitlist in that order. One transaction; the
    workshop row is locked once per member by `enrol_volunteer`.
    """
    members = team.volunteers.filter(active=True).order_by("-role", "full_name")
    with transaction.atomic():
        return [
            enrol_volunteer(workshop=workshop, volunteer=member, now=now)
            for member in members
        ]


def cancel_enrolment(*, enrolment: Enrolment) -> Enrolment | None:
    """Cancel `enrolment`; if it held a seat, the first waitlisted person moves up.

    Returns the promoted enrolment, if any. Locks the workshop row. Notifying the
    promoted volunteer is dispatch's job (it owns every message).
    """
    with transaction.atomic():
        workshop = _lock_workshop(enrolment.workshop)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        held_seat = enrolment.status == Enrolment.Status.ENROLLED
        if enrolment.status == Enrolment.Status.CANCELLED:
            return None
        enrolment.status = Enrolment.Status.CANCELLED
        enrolment.save(update_fields=["status"])
        if not held_seat:
            return None
        seats_taken = workshop.enrolments.filter(
            status=Enrolment.Status.ENROLLED
        ).count()
        if seats_taken >= workshop.capacity:
            return None
        promoted = (
            workshop.enrolments.filter(status=Enrolment.Status.WAITLISTED)
            .order_by("position")
            .first()
        )
        if promoted is not None:
            promoted.status = Enrolment.Status.ENROLLED
            promoted.save(update_fields=["status"])
        return promoted


# --- Attendance: rotating QR and the trainer's list -------------------------------------


def _window(at: dt.datetime) -> int:
    return int(at.timestamp()) // CHECKIN_WINDOW_SECONDS


def _token_for(workshop_id: int, window: int) -> str:
    value = f"{workshop_id}:{window}"
    return salted_hmac("training.checkin", value, algorithm="sha256").hexdigest()[:20]


def checkin_token(*, workshop: Workshop, at: dt.datetime | None = None) -> str:
    """The QR token of `workshop` for the minute containing `at` (keyed by SECRET_KEY)."""
    return _token_for(workshop.pk, _window(at or timezone.now()))


def checkin_open(*, workshop: Workshop, at: dt.datetime) -> bool:
    """Whether `at` lies in the workshop window widened by the configured grace."""
    grace = dt.timedelta(minutes=settings.TRAINING_CHECKIN_GRACE_MINUTES)
    return workshop.starts_at - grace <= at <= workshop.ends_at + grace


def check_in_with_token(
    *,
    workshop: Workshop,
    volunteer: Volunteer,
    token: str,
    now: dt.datetime | None = None,
) -> Enrolment:
    """Record that `volunteer` scanned the workshop's QR code.

    Refused outside the workshop window (plus grace), with a token that is neither the
    current nor the previous minute's, or for someone not enrolled. Scanning twice keeps
    the first time. May issue certificates. Locks the enrolment row.
    """
    now = now or timezone.now()
    if not checkin_open(workshop=workshop, at=now):
        raise WorkshopNotOpen()
    window = _window(now)
    if not any(
        constant_time_compare(token or "", _token_for(workshop.pk, w))
        for w in (window, window - 1)
    ):
        raise StaleCheckinCode()
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(workshop=workshop, volunteer=volunteer)
            .exclude(status=Enrolment.Status.CANCELLED)
            .first()
        )
        if enrolment is None or enrolment.status != Enrolment.Status.ENROLLED:
            raise NotEnrolled()
        if enrolment.checked_in_at is None:
            enrolment.checked_in_at = now
            enrolment.check_in_method = Enrolment.Method.QR
            enrolment.checked_in_by = volunteer.user
            enrolment.save(
                update_fields=["checked_in_at", "check_in_method", "checked_in_by"]
            )
            issue_due_certificates(volunteer=volunteer, now=now)
        return enrolment


def mark_attendance(
    *,
    enrolment: Enrolment,
    by: User,
    present: bool = True,
    now: dt.datetime | None = None,
) -> Enrolment:
    """The trainer marks (or unmarks) attendance from the list.

    A waitlisted person who came anyway is moved into the enrolled list. Marking
    present may issue certificates. Locks the enrolment row.
    """
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if present and enrolment.checked_in_at is None:
            enrolment.status = Enrolment.Status.ENROLLED
            enrolment.checked_in_at = now
            enrolment.checked_in_by = by
            enrolment.check_in_method = Enrolment.Method.TRAINER
        elif not present:
            enrolment.checked_in_at = None
            enrolment.checked_in_by = None
            enrolment.check_in_method = ""
        enrolment.save()
        if present:
            issue_due_certificates(volunteer=enrolment.volunteer, now=now)
        return enrolment


# --- Practice checklists ----------------------------------------------------------------


def set_step_done(
    *,
    volunteer: Volunteer,
    step: PracticeStep,
    done: bool,
    by: User,
    now: dt.datetime | None = None,
) -> bool:
    """Tick (or untick) one practice step for a trainee; returns the new state.

    Ticking twice keeps the first tick. Completing a checklist may issue certificates.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not done:
            StepCompletion.objects.filter(volunteer=volunteer, step=step).delete()
            return False
        try:
            with transaction.atomic():
                StepCompletion.objects.get_or_create(
                    volunteer=volunteer,
                    step=step,
                    defaults={"ticked_by": by, "at": now},
                )
        except IntegrityError:
            pass  # ticked at the same moment by another trainer's phone
        issue_due_certificates(volunteer=volunteer, now=now)
        return True


# --- Certificates -----------------------------------------------------------------------


def topic_requirements(
    *, volunteer: Volunteer, topic: Topic, since: dt.datetime | None = None
) -> dict[str, bool]:
    """Which of attendance, checklist and quiz `volunteer` has done for `topic`.

    With `since` (a previous certificate's issue time), attendance and the quiz must be
    newer, so a renewal needs a new workshop and a new pass; practice stays done.
    """
    attended = Enrolment.objects.filter(
        volunteer=volunteer, workshop__topics=topic, checked_in_at__isnull=False
    )
    passed = QuizAttempt.objects.filter(volunteer=volunteer, topic=topic, passed=True)
    if since is not None:
        attended = attended.filter(checked_in_at__gt=since)
        passed = passed.filter(submitted_at__gt=since)
    step_ids = set(topic.steps.values_list("id", flat=True))
    done_ids = set(
        StepCompletion.objects.filter(
            volunteer=volunteer, step__topic=topic
        ).values_list("step_id", flat=True)
    )
    return {
        "attendance": attended.exists(),
        "checklist": step_ids <= done_ids,
        "quiz": passed.exists() if topic.requires_quiz else True,
    }


def _create_certificate(
    *, volunteer: Volunteer, topic: Topic, issued_at: dt.datetime
) -> Certificate:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    volunteer=volunteer,
                    topic=topic,
                    code=new_certificate_code(),
                    issued_at=issued_at,
                    expires_at=add_months(issued_at, topic.validity_months),
                )
        except IntegrityError:
            continue  # a code collision: astronomically rare, draw again
    raise RuntimeError("could not draw a unique certificate code")


def issue_due_certificates(
    *, volunteer: Volunteer, now: dt.datetime | None = None
) -> list[Certificate]:
    """Issue every certificate `volunteer` has newly earned; return the new ones.

    A topic is earned by attendance at a workshop covering it, its full practice
    checklist and, where the topic requires it, a passed quiz. Nothing is issued while
    a valid certificate for the topic exists. Idempotent. Locks the volunteer row so two
    ticks at once cannot issue two certificates.
    """
    now = now or timezone.now()
    issued: list[Certificate] = []
    with transaction.atomic():
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        for topic in Topic.objects.filter(active=True):
            latest = (
                Certificate.objects.filter(volunteer=volunteer, topic=topic)
                .order_by("-issued_at")
                .first()
            )
            if latest is not None and latest.status_at(now) == "valid":
                continue
            since = latest.issued_at if latest is not None else None
            done = topic_requirements(volunteer=volunteer, topic=topic, since=since)
            if all(done.values()):
                issued.append(
                    _create_certificate(volunteer=volunteer, topic=topic, issued_at=now)
                )
    return issued


def revoke_certificate(
    *,
    certificate: Certificate,
    reason: str,
    by: User | None = None,
    now: dt.datetime | None = None,
) -> Certificate:
    """Revoke `certificate` with a reason; it stops counting for routing at once.

    Locks the certificate row; revoking twice raises `AlreadyRevoked`.
    """
    now = now or timezone.now()
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise AlreadyRevoked()
        certificate.revoked_at = now
        certificate.revoked_reason = reason.strip()[:300]
        certificate.revoked_by = by
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        return certificate


# --- Scam patterns seen in the field (issue 20) -------------------------------------------


def note_scam_sighting(
    *,
    pattern: ScamPattern,
    commune: Commune,
    village: Village | None = None,
    at: dt.datetime | None = None,
) -> ScamSighting:
    """Remember that `pattern` was reported in `commune` (called by dispatch when a scam
    report is recorded). One row, no locks; the quiz reads it (training/quiz.py)."""
    return ScamSighting.objects.create(
        pattern=pattern, commune=commune, village=village, seen_at=at or timezone.now()
    )
