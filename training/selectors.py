"""Read-side queries of the training app that dispatch may call (dispatch → training).

`certified_volunteers` is the routing gate: it is a plain QuerySet so dispatch can chain
its own filters (team, on duty, capacity) onto it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Commune, Volunteer
from training.models import (
    Certificate,
    Enrolment,
    ScamPattern,
    ScamSighting,
    Topic,
    Workshop,
    normalize_code,
)


def valid_certificates(*, at: dt.datetime | None = None) -> QuerySet[Certificate]:
    """Certificates issued, not revoked and not expired at `at` (default now)."""
    at = at or timezone.now()
    return Certificate.objects.filter(issued_at__lte=at, expires_at__gt=at).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gt=at)
    )


def topics_for_category(*, category: str) -> list[Topic]:
    """Active topics whose certificate qualifies for request `category`."""
    # Few rows; filtering in Python keeps this portable (SQLite has no JSON contains).
    return [t for t in Topic.objects.filter(active=True) if category in t.categories]


def certified_volunteers(
    *, category: str, at: dt.datetime | None = None
) -> QuerySet[Volunteer]:
    """Volunteers holding a certificate valid at `at` whose topic qualifies for `category`.

    Valid = not revoked, issued and not yet expired: a certificate stops counting the
    moment it expires. A category no topic qualifies for returns no one.
    """
    topic_ids = [t.pk for t in topics_for_category(category=category)]
    certificates = valid_certificates(at=at).filter(
        volunteer=OuterRef("pk"), topic_id__in=topic_ids
    )
    return Volunteer.objects.filter(Exists(certificates))


def required_categories(*, commune: Commune) -> set[str]:
    """Categories that need a certificate in `commune`.

    The commune's own list adds to the DISPATCH_CERTIFICATION_REQUIRED setting (default
    ["scam"]): a commune can gate more categories, never fewer than the deployment's.
    This is the same rule as dispatch.help_requests.rules.needs_certificate.
    """
    return set(commune.certification_required or ()) | set(
        settings.DISPATCH_CERTIFICATION_REQUIRED or ()
    )


def requires_certificate(*, commune: Commune, category: str) -> bool:
    """Whether requests of `category` in `commune` may only go to certified volunteers."""
    return category in required_categories(commune=commune)


# --- Certificates: verification -----------------------------------------------------------


@dataclass(frozen=True)
class CertificateStatus:
    """What anyone may learn about a certificate: no name, no phone."""

    code: str
    grouped_code: str
    topic: str
    status: str  # "valid" | "expired" | "revoked"
    status_label: str
    holder_initials: str
    team: str
    issued_at: dt.datetime
    expires_at: dt.datetime


def initials(full_name: str) -> str:
    """ "Nguyễn Thị Hoa" → "N.T.H."."""
    return "".join(f"{word[0].upper()}." for word in full_name.split() if word)


def status_label(status: str) -> str:
    return {
        "valid": _("Còn hiệu lực"),
        "expired": _("Đã hết hạn"),
        "revoked": _("Đã bị thu hồi"),
    }[status]


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with `code` (any case, spaces or dashes ignored), or None."""
    code = normalize_code(code)
    if not code:
        return None
    return (
        Certificate.objects.select_related("topic", "volunteer__team")
        .filter(code=code)
        .first()
    )


def certificate_status(
    code: str, *, at: dt.datetime | None = None
) -> CertificateStatus | None:
    """Public status of the certificate `code` (for /verify/ and the SMS `XM <code>`)."""
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return None
    status = certificate.status_at(at or timezone.now())
    return CertificateStatus(
        code=certificate.code,
        grouped_code=certificate.grouped_code,
        topic=certificate.topic.name,
        status=status,
        status_label=status_label(status),
        holder_initials=initials(certificate.volunteer.full_name),
        team=certificate.volunteer.team.name,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
    )


# --- A volunteer's own view -------------------------------------------------------------


def volunteer_certificates(*, volunteer: Volunteer) -> QuerySet[Certificate]:
    return volunteer.certificates.select_related("topic").order_by(
        "topic__order", "-issued_at"
    )


def upcoming_enrolments(
    *, volunteer: Volunteer, now: dt.datetime | None = None
) -> QuerySet[Enrolment]:
    now = now or timezone.now()
    return (
        volunteer.enrolments.exclude(status=Enrolment.Status.CANCELLED)
        .filter(workshop__ends_at__gt=now)
        .select_related("workshop", "workshop__village")
        .order_by("workshop__starts_at")
    )


def workshops_for(*, commune: Commune | None) -> QuerySet[Workshop]:
    workshops = Workshop.objects.select_related("village", "trainer", "commune")
    if commune is not None:
        workshops = workshops.filter(commune=commune)
    return workshops.prefetch_related("topics")


# --- Reminders (read by dispatch/reminders.py, which sends them) ----------------------------


@dataclass(frozen=True)
class WorkshopReminder:
    enrolment_id: int
    workshop_id: int
    volunteer_id: int
    commune_id: int
    phone: str
    full_name: str
    title: str
    starts_at: dt.datetime
    place: str


def workshop_reminders_due(*, now: dt.datetime | None = None) -> list[WorkshopReminder]:
    """Enrolled volunteers of workshops that start tomorrow (local calendar day)."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    ) + dt.timedelta(days=1)
    rows = (
        Enrolment.objects.filter(
            status=Enrolment.Status.ENROLLED,
            volunteer__active=True,
            workshop__starts_at__gte=tomorrow,
            workshop__starts_at__lt=tomorrow + dt.timedelta(days=1),
        )
        .select_related("workshop__village", "volunteer")
        .order_by("workshop__starts_at", "position")
    )
    return [
        WorkshopReminder(
            enrolment_id=e.pk,
            workshop_id=e.workshop_id,
            volunteer_id=e.volunteer_id,
            commune_id=e.workshop.commune_id,
            phone=e.volunteer.phone,
            full_name=e.volunteer.full_name,
            title=e.workshop.title,
            starts_at=e.workshop.starts_at,
            place=e.workshop.place,
        )
        for e in rows
    ]


@dataclass(frozen=True)
class ExpiryReminder:
    certificate_id: int
    volunteer_id: int
    commune_id: int
    phone: str
    topic: str
    code: str
    expires_at: dt.datetime


def expiry_reminders_due(
    *, now: dt.datetime | None = None, days: int | None = None
) -> list[ExpiryReminder]:
    """Valid certificates expiring within `days` (default 30) and not yet renewed."""
    now = now or timezone.now()
    days = days or settings.TRAINING_EXPIRY_WARNING_DAYS
    renewed = valid_certificates(at=now).filter(
        volunteer=OuterRef("volunteer"),
        topic=OuterRef("topic"),
        expires_at__gt=OuterRef("expires_at"),
    )
    rows = (
        valid_certificates(at=now)
        .filter(expires_at__lte=now + dt.timedelta(days=days), volunteer__active=True)
        .exclude(Exists(renewed))
        .select_related("topic", "volunteer__team")
        .order_by("expires_at")
    )
    return [
        ExpiryReminder(
            certificate_id=c.pk,
            volunteer_id=c.volunteer_id,
            commune_id=c.volunteer.team.commune_id,
            phone=c.volunteer.phone,
            topic=c.topic.name,
            code=c.code,
            expires_at=c.expires_at,
        )
        for c in rows
    ]


# How long a scam reported in a commune keeps its questions at the top of the quiz.
SIGHTING_WINDOW = dt.timedelta(days=30)


def active_scam_patterns() -> QuerySet[ScamPattern]:
    """The patterns a report or a warning may name, in the catalogue's order."""
    return ScamPattern.objects.filter(active=True)


def patterns_seen_recently(
    *, commune_id: int, at: dt.datetime | None = None
) -> list[str]:
    """Names of the patterns reported in the commune within SIGHTING_WINDOW, most
    reported first: the quiz draws their questions before any other."""
    since = (at or timezone.now()) - SIGHTING_WINDOW
    rows = ScamSighting.objects.filter(
        commune_id=commune_id, seen_at__gte=since
    ).values_list("pattern__name", flat=True)
    counts: dict[str, int] = {}
    for name in rows:
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))
