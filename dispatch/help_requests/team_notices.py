"""Notices to volunteers: a secretary or a team leader tells one team, several teams or
everyone on duty something short ("portal down this afternoon", "scam wave: fake
electricity calls"). Those with `/v/` open see it at once; the others get one SMS.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from dispatch.errors import BadAction
from dispatch.models import NoticeDelivery, OutboundMessage, VolunteerNotice
from dispatch.push import broadcast, presence
from dispatch.sms.outbox import queue_sms
from teams.models import Commune, SupportTeam, Volunteer
from teams.text import nfc

# One GSM-7 SMS is 160 characters; the "Cau Noi: " prefix leaves this much text.
MAX_LENGTH = 150
RECENT = 10


def recipients(*, commune: Commune, teams: list[SupportTeam] | None) -> list[Volunteer]:
    """Every active member of `teams`, or every active volunteer on duty (None)."""
    volunteers = Volunteer.objects.filter(team__commune=commune, active=True)
    if teams is None:
        volunteers = volunteers.filter(on_duty=True)
    else:
        volunteers = volunteers.filter(team__in=teams)
    return list(volunteers.select_related("team").order_by("pk"))


def send_notice(
    *, author: Any, commune: Commune, text: str, teams: list[SupportTeam] | None
) -> VolunteerNotice:
    """Log the notice with its recipients, push it live, text those offline.

    `teams=None` means everyone on duty in the commune. Teams of another commune are
    refused (BadAction). One transaction: the notice, one NoticeDelivery per person, one
    queued SMS per offline person; the live push runs after commit.
    """
    text = " ".join(nfc(text).split())[:MAX_LENGTH]
    if not text:
        raise BadAction(gettext("Hãy viết nội dung thông báo."))
    if teams is not None and (
        not teams or any(t.commune_id != commune.pk for t in teams)
    ):
        raise BadAction(gettext("Hãy chọn ít nhất một tổ của xã."))
    people = recipients(commune=commune, teams=teams)
    online = presence.online_ids(v.pk for v in people)
    with transaction.atomic():
        notice = VolunteerNotice.objects.create(
            commune=commune,
            author=author if getattr(author, "pk", None) else None,
            text=text,
            everyone_on_duty=teams is None,
        )
        if teams:
            notice.teams.set(teams)
        deliveries = []
        for volunteer in people:
            message = None
            if volunteer.pk not in online:
                message = queue_sms(
                    to=volunteer.phone,
                    text=gettext("Cau Noi: %(text)s") % {"text": text},
                    purpose=OutboundMessage.Purpose.NOTICE,
                    commune=commune,
                    volunteer=volunteer,
                    dedupe_key=f"notice:{notice.pk}:{volunteer.pk}",
                )
            deliveries.append(
                NoticeDelivery(
                    notice=notice,
                    volunteer=volunteer,
                    channel=NoticeDelivery.Channel.SMS
                    if message
                    else NoticeDelivery.Channel.LIVE,
                    message=message,
                )
            )
        NoticeDelivery.objects.bulk_create(deliveries)
        ids = [v.pk for v in people]
        transaction.on_commit(
            lambda: broadcast.volunteer_notice(notice, volunteer_ids=ids)
        )
    return notice


def recent_notices_for(volunteer: Volunteer) -> list[VolunteerNotice]:
    """The latest notices this volunteer received, newest first."""
    return list(
        VolunteerNotice.objects.filter(deliveries__volunteer=volunteer)
        .select_related("author")
        .order_by("-created_at")[:RECENT]
    )


def recent_notices_sent(*, commune: Commune) -> list[VolunteerNotice]:
    """The commune's latest notices with who got them, for the notices page."""
    return list(
        VolunteerNotice.objects.filter(commune=commune)
        .select_related("author")
        .prefetch_related("teams", "deliveries__volunteer")
        .order_by("-created_at")[:RECENT]
    )
