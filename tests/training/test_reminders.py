"""Dispatch sends the training reminders: the day before a workshop, 30 days before expiry."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dispatch.models import OutboundMessage
from dispatch.sms.reminders import send_expiry_reminders, send_workshop_reminders
from training import services
from training.models import Certificate, Topic

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def tomorrows_workshop(commune, bu_bir, scam_topic):
    workshop = commune.workshops.create(
        title="Nhận diện lừa đảo",
        starts_at=dt.datetime(2026, 3, 11, 8, 0, tzinfo=VN),
        ends_at=dt.datetime(2026, 3, 11, 11, 30, tzinfo=VN),
        village=bu_bir,
        address="Nhà văn hoá bon",
        capacity=1,
    )
    workshop.topics.add(scam_topic)
    return workshop


def _enrol(workshop, volunteer):
    return services.enrol_volunteer(
        workshop=workshop, volunteer=volunteer, now=dt.datetime(2026, 3, 1, tzinfo=VN)
    )


def test_enrolled_volunteers_get_one_reminder_the_day_before(
    tomorrows_workshop, hong, minh
):
    _enrol(tomorrows_workshop, hong)
    _enrol(tomorrows_workshop, minh)  # waitlisted: no seat, no reminder
    day_before = dt.datetime(2026, 3, 10, 7, 0, tzinfo=VN)

    assert send_workshop_reminders(now=day_before) == 1
    assert send_workshop_reminders(now=day_before + dt.timedelta(hours=1)) == 0

    message = OutboundMessage.objects.get(purpose="reminder")
    assert message.to_number == hong.phone
    # The commune sends unaccented SMS by default (one GSM-7 segment).
    assert "08:00" in message.body and "11/03/2026" in message.body
    assert "tap huan" in message.body.lower()


def test_no_reminder_two_days_before_or_on_the_day(tomorrows_workshop, hong):
    _enrol(tomorrows_workshop, hong)

    assert send_workshop_reminders(now=dt.datetime(2026, 3, 9, 9, tzinfo=VN)) == 0
    assert send_workshop_reminders(now=dt.datetime(2026, 3, 11, 6, tzinfo=VN)) == 0


def test_nobody_is_texted_at_night(tomorrows_workshop, hong):
    _enrol(tomorrows_workshop, hong)

    assert send_workshop_reminders(now=dt.datetime(2026, 3, 10, 22, tzinfo=VN)) == 0
    assert send_workshop_reminders(now=dt.datetime(2026, 3, 10, 6, 59, tzinfo=VN)) == 0
    assert send_workshop_reminders(now=dt.datetime(2026, 3, 10, 20, 59, tzinfo=VN)) == 1


def test_the_reminder_keeps_diacritics_when_the_commune_wants_them(
    tomorrows_workshop, hong, commune
):
    commune.sms_unaccented = False
    commune.save()
    _enrol(tomorrows_workshop, hong)

    send_workshop_reminders(now=dt.datetime(2026, 3, 10, 9, tzinfo=VN))

    assert "nhắc lịch tập huấn" in OutboundMessage.objects.get().body


def _certificate(volunteer, *, issued, months=12, topic="scam"):
    return Certificate.objects.create(
        volunteer=volunteer,
        topic=Topic.objects.get(key=topic),
        code=f"TEST{volunteer.pk:04d}{topic[:4].upper()}",
        issued_at=issued,
        expires_at=issued + dt.timedelta(days=30 * months),
    )


def test_a_certificate_expiring_within_30_days_is_reminded_once(hong, minh):
    now = dt.datetime(2026, 6, 1, 9, tzinfo=VN)
    soon = _certificate(hong, issued=now - dt.timedelta(days=340))  # 20 days left
    _certificate(minh, issued=now - dt.timedelta(days=200))  # 160 days left

    assert send_expiry_reminders(now=now) == 1
    assert send_expiry_reminders(now=now + dt.timedelta(days=1)) == 0

    message = OutboundMessage.objects.get()
    assert message.to_number == hong.phone
    assert soon.code in message.body


def test_a_renewed_certificate_is_not_reminded(hong):
    now = dt.datetime(2026, 6, 1, 9, tzinfo=VN)
    _certificate(hong, issued=now - dt.timedelta(days=340))
    Certificate.objects.create(
        volunteer=hong,
        topic=Topic.objects.get(key="scam"),
        code="RENEWED23456",
        issued_at=now - dt.timedelta(days=1),
        expires_at=now + dt.timedelta(days=360),
    )

    assert send_expiry_reminders(now=now) == 0


def test_expired_and_revoked_certificates_are_not_reminded(hong, minh):
    now = dt.datetime(2026, 6, 1, 9, tzinfo=VN)
    _certificate(hong, issued=now - dt.timedelta(days=365))  # already expired
    revoked = _certificate(minh, issued=now - dt.timedelta(days=340))
    services.revoke_certificate(certificate=revoked, reason="Chuyển công tác", now=now)

    assert send_expiry_reminders(now=now) == 0
