"""Linking a volunteer's Zalo account: a 6-digit code shown on /v/, sent to the OA as
`LK <code>`. The code is single-use, lasts LINK_CODE_MINUTES and proves that whoever
writes from that Zalo account also holds the volunteer's login."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from dispatch.models import ZaloContact, ZaloLinkCode
from teams.models import Volunteer

LINK_CODE_MINUTES = 30


def issue_link_code(*, volunteer: Volunteer) -> ZaloLinkCode:
    """The volunteer's live link code (a new one once the old expired)."""
    now = timezone.now()
    current = ZaloLinkCode.objects.filter(volunteer=volunteer).first()
    if current is not None and current.expires_at > now:
        return current
    for _ in range(5):
        code = f"{secrets.randbelow(1_000_000):06d}"
        try:
            with transaction.atomic():
                link, _created = ZaloLinkCode.objects.update_or_create(
                    volunteer=volunteer,
                    defaults={
                        "code": code,
                        "expires_at": now + timedelta(minutes=LINK_CODE_MINUTES),
                    },
                )
            return link
        except IntegrityError:
            continue  # another volunteer holds this code right now: draw again
    raise RuntimeError("no free Zalo link code")


def link_volunteer(*, contact: ZaloContact, code: str) -> Volunteer | None:
    """Link `contact` to the volunteer whose live code is `code`; None if no such code.

    The code is used up. A volunteer linked to another Zalo account before is moved to
    this one (one Zalo account per volunteer). Locks the code row.
    """
    with transaction.atomic():
        link = (
            ZaloLinkCode.objects.select_for_update()
            .select_related("volunteer")
            .filter(code=code, expires_at__gt=timezone.now())
            .first()
        )
        if link is None:
            return None
        volunteer = link.volunteer
        link.delete()
        ZaloContact.objects.filter(volunteer=volunteer).exclude(pk=contact.pk).update(
            volunteer=None
        )
        contact.volunteer = volunteer
        contact.save(update_fields=["volunteer"])
    return volunteer
