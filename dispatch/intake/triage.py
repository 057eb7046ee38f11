"""Messages and calls to a hotline number that no commune has configured.

With one commune, every number is that commune's (`store.commune_for_number`). With
two or more, a number nobody configured belongs to none: the stored row keeps no
commune and waits, unprocessed and never retried, in the administrators' triage queue
(the admin's "Tin đến" list, filter "chờ phân xã"). The resident who texted was told
it was received; the caller heard that the call is kept and the code comes by SMS.

An administrator reads it and places it (`place_in_commune`): it is then processed
exactly as if that commune's hotline had received it — the SMS or the call becomes a
request of that commune, and the code is texted. Who may do this is
`permissions.may_place_unrouted_messages` (SECURITY.md explains why not secretaries).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from dispatch.background import Job, enqueue_on_commit
from dispatch.intake.retries import with_work
from dispatch.models import InboundMessage
from teams.models import Commune


def awaiting_triage() -> QuerySet[InboundMessage]:
    """Rows with work whose hotline number belongs to no commune, oldest first."""
    return InboundMessage.objects.filter(
        with_work(),
        commune__isnull=True,
        processed_at__isnull=True,
        request__isnull=True,
    ).order_by("received_at", "pk")


def place_in_commune(*, rows: Iterable[InboundMessage], commune: Commune) -> int:
    """The administrator's triage: these rows belong to `commune`; process them.

    Only rows still awaiting triage move (a row already placed or processed is left
    alone). Each starts with a full set of tries; the work runs in a task after commit.
    """
    waiting = awaiting_triage()
    count = 0
    for row in rows:
        with transaction.atomic():
            moved = waiting.filter(pk=row.pk).update(
                commune=commune, attempts=0, last_tried_at=None, gave_up_at=None
            )
            if moved:
                enqueue_on_commit(Job.PROCESS_INBOUND, row.pk)
                count += 1
    return count
