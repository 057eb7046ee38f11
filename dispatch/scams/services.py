"""Writes of the scam response: a report on a request, its police referral, village
warnings and residents' opt-in to them.

Every function takes keyword-only arguments, runs in one transaction, records one
RequestEvent where a request is concerned and pushes only after commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dispatch.errors import BadAction
from dispatch.help_requests import events
from dispatch.help_requests.offers import lock_request
from dispatch.masking.contacts import contact_key
from dispatch.models import (
    ConsentRecord,
    EventKind,
    HelpRequest,
    OutboundMessage,
    PoliceReferral,
    ScamOutcome,
    ScamReport,
    ScamSettings,
    ScamWarning,
    WarningDelivery,
    WarningSubscription,
)
from dispatch.privacy.consent import record_consent
from dispatch.push import broadcast, presence
from dispatch.scams import selectors
from dispatch.sms.outbox import queue_sms, queue_to_volunteer
from dispatch.sms.text import sms_size
from teams import rosters
from teams.models import Commune, Village, Volunteer
from teams.phones import try_normalize_phone
from teams.text import nfc, unaccented
from training.models import ScamPattern
from training.services import note_scam_sighting

# --- The report -----------------------------------------------------------------------------


def record_scam(
    *,
    request: HelpRequest,
    pattern: ScamPattern | None,
    amount_lost: int | None = None,
    lost_on: dt.date | None = None,
    scammer_contact: str = "",
    outcome: str = ScamOutcome.UNKNOWN,
    volunteer: Volunteer | None = None,
    user: Any = None,
) -> ScamReport:
    """Create or update the request's scam report (the caller checked permission).

    Locks the request. Marks it as a suspected scam (category) if it was not one, so it
    counts among the commune's scams. One SCAM_RECORDED event; a newly named pattern is
    noted for the quiz (training.services.note_scam_sighting).
    """
    contact = " ".join(nfc(scammer_contact).split())[:300]
    with transaction.atomic():
        request = lock_request(request)
        report = ScamReport.objects.filter(request=request).first()
        previous_pattern = report.pattern_id if report else None
        if report is None:
            report = ScamReport(request=request, commune=request.commune)
            who = user if user is not None else getattr(volunteer, "user", None)
            report.recorded_by = who if getattr(who, "pk", None) else None
        report.village = request.village
        report.pattern = pattern
        report.amount_lost = amount_lost
        report.lost_on = lost_on
        report.scammer_contact = contact
        report.scammer_key = contact_key(contact)
        report.outcome = outcome
        report.save()
        if request.category != "scam":
            request.category = "scam"
            request.save(update_fields=["category", "updated_at"])
        events.record(
            request=request,
            kind=EventKind.SCAM_RECORDED,
            data={
                "pattern": pattern.name if pattern else "",
                "outcome": outcome,
            },
            **events.actor(volunteer=volunteer, user=user),
        )
        if pattern is not None and pattern.pk != previous_pattern:
            note_scam_sighting(
                pattern=pattern, commune=request.commune, village=request.village
            )
    return report


# --- The police referral --------------------------------------------------------------------


def refer_to_police(
    *,
    report: ScamReport,
    consent_given: bool,
    volunteer: Volunteer | None = None,
    user: Any = None,
) -> PoliceReferral:
    """Refer a report to the commune police: a referral record with its printable
    summary, the resident's consent, one SMS to the police contact, one
    POLICE_REFERRED event (shown on the tracking page).

    Refused (BadAction) without the resident's consent — the summary carries their
    name and phone to a third party — or when the commune has no police contact.
    Locks the request.
    """
    if not consent_given:
        raise BadAction(
            gettext("Cần người dân đồng ý trước khi chuyển thông tin cho công an xã.")
        )
    settings = selectors.scam_settings(commune=report.commune)
    if not settings.police_phone:
        raise BadAction(
            gettext("Xã chưa cài số điện thoại công an xã. Hãy báo thư ký xã.")
        )
    with transaction.atomic():
        request = lock_request(report.request_id)
        actor = user or (volunteer.user if volunteer else None)
        consent = record_consent(
            purpose=ConsentRecord.Purpose.POLICE_REFERRAL,
            method=ConsentRecord.Method.VOLUNTEER
            if volunteer
            else ConsentRecord.Method.OPERATOR,
            given=True,
            request=request,
            evidence=gettext("ghi nhận bởi %(who)s")
            % {"who": getattr(actor, "username", "")},
        )
        referral = PoliceReferral.objects.create(
            report=report,
            police_name=settings.police_name,
            police_phone=settings.police_phone,
            consent=consent,
            summary=selectors.referral_summary(report=report),
            referred_by=actor if getattr(actor, "pk", None) else None,
        )
        referral.message = queue_sms(
            to=settings.police_phone,
            text=selectors.referral_sms(report=report),
            purpose=OutboundMessage.Purpose.REFERRAL,
            commune=report.commune,
            request=request,
            dedupe_key=f"referral:{referral.pk}",
        )
        referral.save(update_fields=["message"])
        events.record(
            request=request,
            kind=EventKind.POLICE_REFERRED,
            data={"referral": referral.pk},
            **events.actor(volunteer=volunteer, user=user),
        )
    return referral


# --- Village warnings -------------------------------------------------------------------------


def warning_text(*, pattern_name: str, what_to_do: str, never_do: str) -> str:
    """The warning as one GSM-7 SMS: no diacritics, so 160 characters fit."""
    text = gettext(
        "Cau Noi canh bao lua dao: %(pattern)s. Nen: %(do)s. Khong: %(never)s."
    )
    return unaccented(
        text
        % {
            "pattern": pattern_name,
            "do": what_to_do.rstrip(". "),
            "never": never_do.rstrip(". "),
        }
    )


def _sms_from(commune: Commune, now: dt.datetime) -> dt.datetime:
    """`now`, or the end of the commune's quiet hours if `now` falls inside them."""
    end = commune.quiet_until
    if end is None or not rosters.in_quiet_hours(commune, at=now):
        return now
    local = rosters.local_now(commune, now)
    until = local.replace(
        hour=end.hour,
        minute=end.minute,
        second=0,
        microsecond=0,
    )
    if until <= local:
        until += dt.timedelta(days=1)
    return until.astimezone(dt.UTC)


def send_warning(
    *,
    author: Any,
    commune: Commune,
    pattern: ScamPattern,
    villages: list[Village],
    what_to_do: str,
    never_do: str,
    to_residents: bool = False,
    reports: list[ScamReport] | None = None,
    now: dt.datetime | None = None,
) -> ScamWarning:
    """Warn the volunteers of `villages` (live if `/v/` is open, else one SMS) and,
    with `to_residents`, the residents of the commune who opted in.

    Refused (BadAction): villages of another commune or none, a text longer than one
    GSM-7 SMS, or the commune's daily cap reached. SMS wait for the end of quiet hours
    (the task `send_held_warnings` sends them); a phone gets at most one warning a
    day. One transaction; the live push after commit.
    """
    now = now or timezone.now()
    if not villages or any(v.commune_id != commune.pk for v in villages):
        raise BadAction(gettext("Hãy chọn ít nhất một thôn của xã."))
    what_to_do = " ".join(nfc(what_to_do).split())
    never_do = " ".join(nfc(never_do).split())
    if not what_to_do or not never_do:
        raise BadAction(gettext("Hãy viết việc nên làm và việc không bao giờ làm."))
    text = warning_text(
        pattern_name=pattern.name, what_to_do=what_to_do, never_do=never_do
    )
    size = sms_size(text)
    if size.segments > 1:
        raise BadAction(
            gettext(
                "Cảnh báo dài %(n)s ký tự, quá một tin SMS (160). Hãy viết ngắn hơn."
            )
            % {"n": size.units}
        )
    settings = selectors.scam_settings(commune=commune)
    if (
        selectors.warnings_sent_today(commune=commune, now=now)
        >= settings.warnings_per_day
    ):
        raise BadAction(
            gettext("Hôm nay xã đã gửi đủ %(n)s cảnh báo; hãy gửi vào ngày mai.")
            % {"n": settings.warnings_per_day}
        )
    people = selectors.volunteers_of_villages(villages=villages)
    subscribers = (
        selectors.subscribers(commune=commune, villages=villages)
        if to_residents
        else []
    )
    online = presence.online_ids(v.pk for v in people)
    already = selectors.phones_warned_today(commune=commune, now=now)
    sms_from = _sms_from(commune, now)
    with transaction.atomic():
        warning = ScamWarning.objects.create(
            commune=commune,
            pattern=pattern,
            what_to_do=what_to_do,
            never_do=never_do,
            text=text,
            to_residents=to_residents,
            author=author if getattr(author, "pk", None) else None,
            sms_from=sms_from,
        )
        warning.villages.set(villages)
        if reports:
            warning.reports.set(reports)
        deliveries: list[WarningDelivery] = []
        for volunteer in people:
            live = volunteer.pk in online
            if not live and volunteer.phone in already:
                continue
            deliveries.append(
                WarningDelivery(
                    warning=warning,
                    volunteer=volunteer,
                    phone=volunteer.phone,
                    channel=WarningDelivery.Channel.LIVE
                    if live
                    else WarningDelivery.Channel.SMS,
                )
            )
        for subscription in subscribers:
            # A volunteer who also opted in as a resident hears it once.
            if subscription.phone in already or subscription.phone in {
                d.phone for d in deliveries
            }:
                continue
            deliveries.append(
                WarningDelivery(
                    warning=warning,
                    subscription=subscription,
                    phone=subscription.phone,
                    channel=WarningDelivery.Channel.SMS,
                )
            )
        WarningDelivery.objects.bulk_create(deliveries)
        if sms_from <= now:
            queue_warning_sms(warning=warning)
        ids = [
            d.volunteer_id
            for d in deliveries
            if d.channel == WarningDelivery.Channel.LIVE and d.volunteer_id is not None
        ]
        transaction.on_commit(
            lambda: broadcast.scam_warning(warning, volunteer_ids=ids)
        )
    return warning


def queue_warning_sms(*, warning: ScamWarning) -> int:
    """Queue the messages of a warning's deliveries that have none yet (an SMS; a Zalo
    message to a volunteer who linked Zalo and whose free window is open); safe to run
    twice."""
    count = 0
    pending = warning.deliveries.filter(
        channel=WarningDelivery.Channel.SMS, message__isnull=True
    ).select_related("volunteer")
    for delivery in pending:
        dedupe_key = f"warning:{warning.pk}:{delivery.phone}"
        if delivery.volunteer is not None:
            # On Zalo when the volunteer linked it and its free window is open.
            delivery.message = queue_to_volunteer(
                volunteer=delivery.volunteer,
                text=warning.text,
                purpose=OutboundMessage.Purpose.WARNING,
                dedupe_key=dedupe_key,
            )
        else:
            delivery.message = queue_sms(
                to=delivery.phone,
                text=warning.text,
                purpose=OutboundMessage.Purpose.WARNING,
                commune=warning.commune,
                dedupe_key=dedupe_key,
            )
        delivery.save(update_fields=["message"])
        count += 1
    return count


def send_held_warnings(*, now: dt.datetime | None = None) -> int:
    """Send the SMS that quiet hours held back, once their time has come."""
    now = now or timezone.now()
    count = 0
    for warning in selectors.warnings_with_held_sms(now=now):
        with transaction.atomic():
            count += queue_warning_sms(warning=warning)
    return count


# --- Residents' opt-in -------------------------------------------------------------------------


def subscribe_to_warnings(
    *,
    commune: Commune,
    phone: str,
    method: str,
    village: Village | None = None,
    evidence: str = "",
) -> WarningSubscription:
    """A resident asks for scam warnings: consent recorded, subscription (re)started."""
    normalized = try_normalize_phone(phone) or phone
    with transaction.atomic():
        consent = record_consent(
            purpose=ConsentRecord.Purpose.SCAM_WARNINGS,
            method=method,
            given=True,
            phone=normalized,
            evidence=evidence,
        )
        subscription, _ = WarningSubscription.objects.update_or_create(
            commune=commune,
            phone=normalized,
            defaults={
                "active": True,
                "consent": consent,
                "stopped_at": None,
                **({"village": village} if village is not None else {}),
            },
        )
    return subscription


def unsubscribe_from_warnings(*, commune: Commune, phone: str, method: str) -> bool:
    """Stop a resident's warnings; the withdrawal is recorded like the consent was."""
    normalized = try_normalize_phone(phone) or phone
    with transaction.atomic():
        stopped = WarningSubscription.objects.filter(
            commune=commune, phone=normalized, active=True
        ).update(active=False, stopped_at=timezone.now())
        record_consent(
            purpose=ConsentRecord.Purpose.SCAM_WARNINGS,
            method=method,
            given=False,
            phone=normalized,
        )
    return bool(stopped)


def save_settings(*, commune: Commune, **fields: Any) -> ScamSettings:
    """Store a commune's police contact and warning rules."""
    settings, _ = ScamSettings.objects.update_or_create(
        commune=commune, defaults=fields
    )
    return settings
