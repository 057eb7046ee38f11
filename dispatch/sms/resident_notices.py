"""SMS to the resident when their request moves: someone took it, the help is done.

Called by the services themselves, so the resident hears the same news whichever
channel the volunteer used (the app, an SMS command, the secretary's board). Dedupe keys
make a repeated call harmless.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from dispatch.models import HelpRequest, OutboundMessage
from dispatch.sms import replies as sms_replies
from dispatch.sms.outbox import queue_sms
from teams.models import Volunteer


def tell_resident_accepted(*, request: HelpRequest, volunteer: Volunteer) -> None:
    """SMS the resident who asked that a named volunteer took the request, once."""
    if not request.resident_phone:
        return
    queue_sms(
        to=request.resident_phone,
        text=sms_replies.resident_accepted(
            code=request.code,
            volunteer=volunteer.full_name.split()[-1] if volunteer.full_name else "",
            team=volunteer.team.name,
        ),
        purpose=OutboundMessage.Purpose.UPDATE,
        request=request,
        dedupe_key=f"accepted:{request.pk}:{volunteer.pk}",
    )


def tell_resident_resolved(*, request: HelpRequest) -> None:
    """SMS the resident that the help is done and how to rate it, once."""
    if not request.resident_phone:
        return
    queue_sms(
        to=request.resident_phone,
        text=sms_replies.resident_resolved(code=request.code),
        purpose=OutboundMessage.Purpose.UPDATE,
        request=request,
        dedupe_key=f"resolved:{request.pk}",
    )


def tell_resident_visit(
    *, request: HelpRequest, volunteer: Volunteer, event_id: int
) -> None:
    """SMS the resident when a volunteer will come to the house (each new time once)."""
    if not request.resident_phone or request.visit_at is None:
        return
    local = timezone.localtime(request.visit_at)
    queue_sms(
        to=request.resident_phone,
        text=gettext(
            "Cầu Nối: %(volunteer)s (%(team)s) sẽ đến nhà bạn lúc %(time)s ngày"
            " %(date)s cho yêu cầu %(code)s. Đổi giờ, xin gọi lại cho tổ."
        )
        % {
            "volunteer": volunteer.full_name.split()[-1] if volunteer.full_name else "",
            "team": volunteer.team.name,
            "time": local.strftime("%H:%M"),
            "date": local.strftime("%d/%m"),
            "code": request.code,
        },
        purpose=OutboundMessage.Purpose.UPDATE,
        request=request,
        dedupe_key=f"visit:{request.pk}:{event_id}",
    )
