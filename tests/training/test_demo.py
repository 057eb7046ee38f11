"""Demo training data: two past courses, realistic outcomes, idempotent, deterministic."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from training.demo import seed_training
from training.models import (
    Certificate,
    Enrolment,
    QuizAttempt,
    StepCompletion,
    Workshop,
)
from training.selectors import certified_volunteers, expiry_reminders_due


@pytest.fixture
def demo_commune(commune, bu_bir, team, other_team, make_volunteer, secretary):
    for i in range(40):
        make_volunteer(team if i % 2 else other_team, f"Thành viên {i:02d}")
    return commune


def _snapshot():
    return sorted(
        Certificate.objects.values_list(
            "volunteer__phone", "topic__key", "code", "issued_at", "revoked_at"
        )
    )


def test_it_builds_two_past_courses_and_one_upcoming_workshop(demo_commune):
    out = io.StringIO()

    result = seed_training(demo_commune, stdout=out)

    now = timezone.now()
    workshops = Workshop.objects.filter(commune=demo_commune, is_sample=True)
    assert result.created and "chứng nhận" in out.getvalue()
    assert workshops.filter(ends_at__lt=now).count() == 2
    upcoming = workshops.get(starts_at__gt=now)
    assert upcoming.enrolments.filter(status="waitlisted").exists()
    attended = Enrolment.objects.filter(checked_in_at__isnull=False).count()
    assert 30 <= attended < 40  # most, not all, came
    assert QuizAttempt.objects.filter(passed=False).exists()
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 4
    assert expiry_reminders_due(now=now)  # some expire within 30 days
    assert certified_volunteers(category="scam").exists()


def test_running_it_twice_creates_nothing_more(demo_commune):
    seed_training(demo_commune)
    counts = (Workshop.objects.count(), Certificate.objects.count())

    assert not seed_training(demo_commune).created
    assert (Workshop.objects.count(), Certificate.objects.count()) == counts


def test_the_same_commune_on_the_same_day_gets_the_same_data(demo_commune):
    seed_training(demo_commune)
    first = _snapshot()
    Certificate.objects.all().delete()
    QuizAttempt.objects.all().delete()
    StepCompletion.objects.all().delete()
    Workshop.objects.all().delete()

    seed_training(demo_commune)

    assert _snapshot() == first


def test_revoked_certificates_were_revoked_in_the_past(demo_commune):
    seed_training(demo_commune)

    for certificate in Certificate.objects.filter(revoked_at__isnull=False):
        assert certificate.revoked_at < timezone.now()
        assert certificate.revoked_at - certificate.issued_at == dt.timedelta(days=60)
        assert certificate.revoked_reason
