"""Training reminders: dispatch sends every message, reading training selectors only.

Both functions take no required argument, so django-q2 can schedule them directly. Run
them hourly: each reminder has a dedupe key (queued at most once), and nothing is sent
outside daytime hours, so volunteers are never texted at night whatever the schedule's
start time.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dispatch.models import OutboundMessage
from dispatch.sms.outbox import queue_sms
from teams.models import Commune
from training.selectors import expiry_reminders_due, workshop_reminders_due

# Local hours (Asia/Ho_Chi_Minh) in which reminders may be sent: 07:00–20:59.
SEND_HOURS = range(7, 21)


def _daytime(now: dt.datetime | None) -> bool:
    return timezone.localtime(now or timezone.now()).hour in SEND_HOURS


def _communes(ids: set[int]) -> dict[int, Commune]:
    return Commune.objects.in_bulk(ids)


def _already_queued(key: str) -> bool:
    return OutboundMessage.objects.filter(dedupe_key=key).exists()


def send_workshop_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue the day-before SMS for each enrolled volunteer of tomorrow's workshops.

    Returns how many SMS were newly queued (0 at night). Dedupe key per enrolment and start date, so
    a rescheduled workshop is reminded again for its new day.
    """
    if not _daytime(now):
        return 0
    due = workshop_reminders_due(now=now)
    communes = _communes({r.commune_id for r in due})
    queued = 0
    for r in due:
        start = timezone.localtime(r.starts_at)
        key = f"training-workshop:{r.enrolment_id}:{start:%Y%m%d}"
        if _already_queued(key):
            continue
        text = _(
            'Cầu Nối: nhắc lịch tập huấn "%(title)s" lúc %(time)s ngày %(date)s '
            "tại %(place)s. Nhớ mang điện thoại để quét mã điểm danh."
        ) % {
            "title": r.title,
            "time": formats.time_format(start, "H:i"),
            "date": formats.date_format(start, "d/m/Y"),
            "place": r.place,
        }
        queue_sms(
            to=r.phone,
            text=text,
            purpose=OutboundMessage.Purpose.REMINDER,
            commune=communes.get(r.commune_id),
            dedupe_key=key,
        )
        queued += 1
    return queued


def send_expiry_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue one SMS per certificate that expires within 30 days and is not renewed.

    Returns how many SMS were newly queued (0 at night); each certificate is reminded
    once.
    """
    if not _daytime(now):
        return 0
    due = expiry_reminders_due(now=now)
    communes = _communes({r.commune_id for r in due})
    queued = 0
    for r in due:
        key = f"training-expiry:{r.certificate_id}"
        if _already_queued(key):
            continue
        text = _(
            'Cầu Nối: chứng nhận "%(topic)s" (mã %(code)s) của bạn hết hạn ngày '
            "%(date)s. Hãy đăng ký buổi tập huấn để gia hạn."
        ) % {
            "topic": r.topic,
            "code": r.code,
            "date": formats.date_format(timezone.localtime(r.expires_at), "d/m/Y"),
        }
        queue_sms(
            to=r.phone,
            text=text,
            purpose=OutboundMessage.Purpose.CERTIFICATE,
            commune=communes.get(r.commune_id),
            dedupe_key=key,
        )
        queued += 1
    return queued
