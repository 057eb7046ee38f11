"""Reads of the scam response: settings, summaries, recipients, figures, suggestions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from dispatch.masking.contacts import contact_key, mask_contact
from dispatch.models import (
    PoliceReferral,
    ScamReport,
    ScamSettings,
    ScamWarning,
    WarningDelivery,
    WarningSubscription,
)
from teams import rosters
from teams.models import Commune, Village, Volunteer
from teams.text import unaccented

WEEK = dt.timedelta(days=7)


def scam_settings(*, commune: Commune) -> ScamSettings:
    """The commune's settings, or unsaved defaults (no police contact yet)."""
    found = ScamSettings.objects.filter(commune=commune).first()
    return found or ScamSettings(commune=commune)


def report_for(*, request_id: int) -> ScamReport | None:
    return (
        ScamReport.objects.select_related("pattern", "village", "request")
        .filter(request_id=request_id)
        .first()
    )


def referrals_of(*, report: ScamReport) -> QuerySet[PoliceReferral]:
    return report.referrals.select_related("referred_by", "consent", "message")


def _amount(report: ScamReport) -> str:
    if report.amount_lost is None:
        return gettext("chưa rõ")
    # Vietnamese groups thousands with dots: 15.000.000 đồng.
    return gettext("%(n)s đồng") % {"n": f"{report.amount_lost:,}".replace(",", ".")}


def referral_summary(*, report: ScamReport) -> str:
    """The printable summary for the commune police: everything the team learnt,
    the scammer's details in full (the police need them), the resident's contact."""
    request = report.request
    lines = [
        gettext("Mã yêu cầu: %(code)s") % {"code": request.code},
        gettext("Người dân: %(name)s, điện thoại %(phone)s")
        % {
            "name": request.resident_name or "—",
            "phone": request.resident_phone or "—",
        },
        gettext("Thôn: %(village)s")
        % {"village": request.village.name if request.village else "—"},
        gettext("Kiểu lừa đảo: %(pattern)s")
        % {"pattern": report.pattern.name if report.pattern else gettext("chưa rõ")},
        gettext("Số tiền mất: %(amount)s") % {"amount": _amount(report)},
        gettext("Ngày mất tiền: %(day)s")
        % {"day": report.lost_on.strftime("%d/%m/%Y") if report.lost_on else "—"},
        gettext("Số điện thoại, tài khoản, đường link của kẻ gian: %(contact)s")
        % {"contact": report.scammer_contact or "—"},
        gettext("Kết quả đến nay: %(outcome)s")
        % {"outcome": report.get_outcome_display()},
        gettext("Người dân kể: %(text)s") % {"text": request.description or "—"},
    ]
    return "\n".join(lines)


def referral_sms(*, report: ScamReport) -> str:
    """One SMS to the police contact: the case in brief; details on the printed sheet."""
    request = report.request
    return unaccented(
        gettext(
            "Cau Noi chuyen vu nghi lua dao %(code)s: %(pattern)s, %(village)s, "
            "mat %(amount)s. Nguoi dan %(phone)s dong y chuyen. Ke gian: %(contact)s"
        )
        % {
            "code": request.code,
            "pattern": report.pattern.name if report.pattern else gettext("chưa rõ"),
            "village": request.village.name
            if request.village
            else gettext("chưa rõ thôn"),
            "amount": _amount(report),
            "phone": request.resident_phone or "—",
            "contact": report.scammer_contact or "—",
        }
    )


def search_reports(
    *, commune_ids: list[int] | None, query: str = ""
) -> QuerySet[ScamReport]:
    """A commune's reports, newest first; `query` finds a scammer's phone, account or
    link by any part of it (digits and letters only) or a request code."""
    reports = ScamReport.objects.select_related("pattern", "village", "request")
    if commune_ids is not None:
        reports = reports.filter(commune_id__in=commune_ids)
    key = contact_key(query)
    if key:
        reports = reports.filter(
            Q(scammer_key__contains=key) | Q(request__code__iexact=query.strip())
        )
    return reports.order_by("-recorded_at")


# --- Warnings ----------------------------------------------------------------------------------


def _local_day_start(commune: Commune, now: dt.datetime) -> dt.datetime:
    local = rosters.local_now(commune, now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def warnings_sent_today(*, commune: Commune, now: dt.datetime | None = None) -> int:
    start = _local_day_start(commune, now or timezone.now())
    return ScamWarning.objects.filter(commune=commune, created_at__gte=start).count()


def phones_warned_today(
    *, commune: Commune, now: dt.datetime | None = None
) -> set[str]:
    """Phones that already got a warning SMS today (the per-person daily cap)."""
    start = _local_day_start(commune, now or timezone.now())
    return set(
        WarningDelivery.objects.filter(
            warning__commune=commune,
            warning__created_at__gte=start,
            channel=WarningDelivery.Channel.SMS,
        ).values_list("phone", flat=True)
    )


def volunteers_of_villages(*, villages: list[Village]) -> list[Volunteer]:
    """Active volunteers of the active teams that serve any of `villages`."""
    return list(
        Volunteer.objects.filter(
            active=True, team__active=True, team__villages__in=villages
        )
        .select_related("team")
        .distinct()
        .order_by("pk")
    )


def subscribers(
    *, commune: Commune, villages: list[Village]
) -> list[WarningSubscription]:
    """Residents who opted in: those of the chosen villages and those who gave none."""
    return list(
        WarningSubscription.objects.filter(commune=commune, active=True)
        .filter(Q(village__in=villages) | Q(village__isnull=True))
        .order_by("pk")
    )


def warnings_with_held_sms(*, now: dt.datetime) -> QuerySet[ScamWarning]:
    return ScamWarning.objects.filter(
        sms_from__lte=now,
        deliveries__channel=WarningDelivery.Channel.SMS,
        deliveries__message__isnull=True,
    ).distinct()


def recent_warnings(*, commune: Commune) -> QuerySet[ScamWarning]:
    return (
        ScamWarning.objects.filter(commune=commune)
        .select_related("pattern", "author")
        .prefetch_related("villages", "deliveries__volunteer")
        .order_by("-created_at")[:10]
    )


# --- Patterns that learn: figures and suggestions -----------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    pattern_id: int
    pattern: str
    village_id: int
    village: str
    count: int


def warning_suggestions(
    *, commune: Commune, now: dt.datetime | None = None
) -> list[Suggestion]:
    """Pattern × village pairs reported `suggest_after` times or more in the last
    seven days and not warned about since the first of those reports."""
    now = now or timezone.now()
    threshold = scam_settings(commune=commune).suggest_after
    rows = ScamReport.objects.filter(
        commune=commune,
        recorded_at__gte=now - WEEK,
        pattern__isnull=False,
        village__isnull=False,
    ).values_list(
        "pattern_id", "pattern__name", "village_id", "village__name", "recorded_at"
    )
    counts: Counter[tuple[int, str, int, str]] = Counter()
    first: dict[tuple[int, str, int, str], dt.datetime] = {}
    for pattern_id, pattern, village_id, village, at in rows:
        key = (pattern_id, pattern, village_id, village)
        counts[key] += 1
        first[key] = min(first.get(key, at), at)
    out = []
    for key, count in counts.most_common():
        if count < threshold:
            continue
        warned = ScamWarning.objects.filter(
            commune=commune,
            pattern_id=key[0],
            villages__id=key[2],
            created_at__gte=first[key],
        ).exists()
        if not warned:
            out.append(Suggestion(key[0], key[1], key[2], key[3], count))
    return out


@dataclass(frozen=True)
class ScamFigures:
    total: int
    lost: int
    referred: int
    by_pattern: list[tuple[str, int]]
    by_village: list[tuple[str, int]]
    by_week: list[tuple[dt.date, int]]


def scam_figures(
    *, commune: Commune, weeks: int = 8, now: dt.datetime | None = None
) -> ScamFigures:
    """Reports of the last `weeks` weeks by pattern, village and week (Monday)."""
    now = now or timezone.now()
    since = now - weeks * WEEK
    reports = list(
        ScamReport.objects.filter(commune=commune, recorded_at__gte=since).values_list(
            "pattern__name", "village__name", "recorded_at", "amount_lost", "pk"
        )
    )
    by_pattern: Counter[str] = Counter()
    by_village: Counter[str] = Counter()
    by_week: Counter[dt.date] = Counter()
    lost = 0
    for pattern, village, at, amount, _pk in reports:
        by_pattern[pattern or gettext("chưa rõ")] += 1
        by_village[village or gettext("chưa rõ thôn")] += 1
        day = rosters.local_now(commune, at).date()
        by_week[day - dt.timedelta(days=day.weekday())] += 1
        lost += amount or 0
    referred = (
        PoliceReferral.objects.filter(report__commune=commune, created_at__gte=since)
        .values("report")
        .distinct()
        .count()
    )
    return ScamFigures(
        total=len(reports),
        lost=lost,
        referred=referred,
        by_pattern=by_pattern.most_common(),
        by_village=by_village.most_common(),
        by_week=sorted(by_week.items()),
    )


def corpus_rows(*, commune_ids: list[int] | None = None, days: int = 90) -> list[str]:
    """Recorded scams as rows of tests/fixtures/sms_corpus.tsv (text, category,
    village, flags, command, group), for a person to review and append so the SMS
    classifier learns the words residents really use. Numbers and links are masked."""
    since = timezone.now() - dt.timedelta(days=days)
    reports = ScamReport.objects.filter(recorded_at__gte=since).select_related(
        "pattern", "village", "request"
    )
    if commune_ids is not None:
        reports = reports.filter(commune_id__in=commune_ids)
    rows = []
    for report in reports.order_by("pk"):
        text = " ".join(mask_contact(report.request.description).split())
        if not text:
            continue
        group = (
            f"scam-{report.pattern.key if report.pattern else 'unknown'}-r{report.pk}"
        )
        village = report.village.name if report.village else ""
        rows.append("\t".join([text, "scam", village, "", "", group]))
    return rows
