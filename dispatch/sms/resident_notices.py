"""Notices to the resident when their request moves: someone took it, the help is done.

By SMS, or on Zalo for residents who asked on the commune's Zalo OA (`queue_to_resident`
chooses, within Zalo's consultation window, and falls back to ZNS or SMS outside it).

Called by the services themselves, so the resident hears the same news whichever
channel the volunteer used (the app, an SMS command, the secretary's board). Dedupe keys
make a repeated call harmless.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from dispatch.models import HelpRequest, OutboundMessage
from dispatch.sms import replies as sms_replies
from dispatch.sms.outbox import queue_to_resident
from teams.models import Volunteer
from teams.phones import national_format


def tell_resident_accepted(*, request: HelpRequest, volunteer: Volunteer) -> None:
    """SMS the resident who asked that a named volunteer took the request, once."""
    if not request.resident_phone and request.zalo_contact_id is None:
        return
    queue_to_resident(
        text=sms_replies.resident_accepted(
            code=request.code,
            volunteer=volunteer.full_name.split()[-1] if volunteer.full_name else "",
            team=volunteer.team.name,
            phone=national_format(volunteer.phone),
        ),
        purpose=OutboundMessage.Purpose.UPDATE,
        request=request,
        dedupe_key=f"accepted:{request.pk}:{volunteer.pk}",
        notice="accepted",
    )


def tell_resident_resolved(*, request: HelpRequest) -> None:
    """SMS the resident that the help is done and how to rate it, once."""
    if not request.resident_phone and request.zalo_contact_id is None:
        return
    queue_to_resident(
        text=sms_replies.resident_resolved(code=request.code),
        purpose=OutboundMessage.Purpose.UPDATE,
        request=request,
        dedupe_key=f"resolved:{request.pk}",
        notice="resolved",
    )


def received_text(
    *,
    request: HelpRequest,
    position: int | None = None,
    triage: bool = False,
    hint: str = "",
) -> str:
    """The acknowledgement a resident gets: their code, the team, what happens next.

    Always in the default language (Vietnamese): the resident's SMS, call or form says
    nothing about the language of whoever pressed the button.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return sms_replies.received(
            code=request.code,
            team=request.current_team.name if request.current_team else "",
            position=position,
            triage=triage,
            unaccented_mode=request.commune.sms_unaccented,
            hint=hint,
        )


def text_the_code(*, request: HelpRequest, dedupe_key: str) -> None:
    """SMS the acknowledgement with the tracking code to a caller or form sender, once."""
    if not request.resident_phone and request.zalo_contact_id is None:
        return
    queue_to_resident(
        text=received_text(request=request),
        purpose=OutboundMessage.Purpose.REPLY,
        request=request,
        dedupe_key=dedupe_key,
        notice="received",
    )


def tell_resident_visit(
    *, request: HelpRequest, volunteer: Volunteer, event_id: int
) -> None:
    """SMS the resident when a volunteer will come to the house (each new time once)."""
    if request.visit_at is None:
        return
    if not request.resident_phone and request.zalo_contact_id is None:
        return
    local = timezone.localtime(request.visit_at)
    with translation.override(settings.LANGUAGE_CODE):  # the resident's language
        text = gettext(
            "Cầu Nối: %(volunteer)s (%(team)s) sẽ đến nhà bạn lúc %(time)s ngày"
            " %(date)s cho yêu cầu %(code)s. Đổi giờ, xin gọi lại cho tổ."
        ) % {
            "volunteer": volunteer.full_name.split()[-1] if volunteer.full_name else "",
            "team": volunteer.team.name,
            "time": local.strftime("%H:%M"),
            "date": local.strftime("%d/%m"),
            "code": request.code,
        }
    queue_to_resident(
        text=text,
        purpose=OutboundMessage.Purpose.UPDATE,
        request=request,
        dedupe_key=f"visit:{request.pk}:{event_id}",
        notice="visit",
    )
