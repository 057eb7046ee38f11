"""Home visits: the assignee sets a date and time, and the resident is told by SMS."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dispatch.errors import BadAction, InvalidTransition, NotAssignee
from dispatch.help_requests import events
from dispatch.help_requests.offers import lock_request
from dispatch.help_requests.selectors import ASSIGNED_STATUSES
from dispatch.models import ActorKind, EventKind, HelpRequest
from dispatch.sms import resident_notices
from teams.models import Volunteer


def schedule_visit(
    *, request: HelpRequest, volunteer: Volunteer, at: dt.datetime
) -> HelpRequest:
    """The assignee books a home visit at `at` (aware, in the future).

    Locks the request row. One `visit_scheduled` event (public: the resident's tracking
    page shows it) and one SMS to the resident per booking. Raises NotAssignee,
    InvalidTransition (not accepted or in progress), BadAction (a time in the past).
    """
    if timezone.is_naive(at) or at <= timezone.now():
        raise BadAction(gettext("Giờ hẹn đến nhà phải ở tương lai."))
    with transaction.atomic():
        request = lock_request(request)
        if request.assigned_volunteer_id != volunteer.pk:
            raise NotAssignee()
        if request.status not in ASSIGNED_STATUSES:
            raise InvalidTransition()
        request.visit_at = at
        request.home_visit = True
        request.save(update_fields=["visit_at", "home_visit", "updated_at"])
        event = events.record(
            request=request,
            kind=EventKind.VISIT_SCHEDULED,
            actor_kind=ActorKind.VOLUNTEER,
            actor_user=volunteer.user,
            team=request.current_team,
            data={
                "visit_at": at.astimezone(dt.UTC).isoformat(),
                "volunteer_id": volunteer.pk,
            },
        )
        resident_notices.tell_resident_visit(
            request=request, volunteer=volunteer, event_id=event.pk
        )
    return request
