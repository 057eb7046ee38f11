"""Read-side queries of the training app that dispatch may call (dispatch → training)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from teams.models import Volunteer


def certified_volunteers(
    *, category: str, at: datetime | None = None
) -> QuerySet[Volunteer]:
    """Volunteers holding a certificate valid at `at` that qualifies for `category`.

    Placeholder on the dispatch branch: the training issue replaces it with the real
    query on certificates. Until then nobody is certified, so requests of categories that
    need a certificate go to the commune specialists.
    """
    return Volunteer.objects.none()
