"""Small rules read from settings: priority, offer timeout, due time, certification.

Settings are read when a rule is applied, never at import time, so tests and communes
can change them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings

from dispatch.models import Category, HelpRequest, Priority
from teams.models import Commune

# Vulnerability flags accepted by `submit_request(flags=...)` → HelpRequest fields.
FLAG_FIELDS = {
    "elderly": "is_elderly",
    "disability": "has_disability",
    "pregnant": "is_pregnant",
    "ethnic_minority": "ethnic_minority",
    "no_smartphone": "no_smartphone",
    "home_visit": "home_visit",
}
# Residents who get the priority counter at the service centre get it here too.
PRIORITY_FIELDS = ("is_elderly", "has_disability", "is_pregnant")


def flag_values(flags: Iterable[str] | None) -> dict[str, bool]:
    """Field values for the given flag names; unknown names are ignored."""
    chosen = {str(f).strip().lower() for f in (flags or ())}
    return {field: name in chosen for name, field in FLAG_FIELDS.items()}


def priority_for(*, category: str, fields: dict[str, bool]) -> int:
    """A suspected scam is urgent (money may still be saved); vulnerable → priority."""
    if category == Category.SCAM:
        return Priority.URGENT
    if any(fields.get(name) for name in PRIORITY_FIELDS):
        return Priority.PRIORITY
    return Priority.NORMAL


def offer_timeout(priority: int) -> timedelta:
    by_priority: dict[int, int] = {
        Priority.URGENT: settings.DISPATCH_OFFER_TIMEOUT_URGENT,
        Priority.PRIORITY: settings.DISPATCH_OFFER_TIMEOUT_PRIORITY,
    }
    seconds = by_priority.get(priority, settings.DISPATCH_OFFER_TIMEOUT_NORMAL)
    return timedelta(seconds=seconds)


def due_at(*, category: str, created_at: datetime) -> datetime:
    hours = settings.DISPATCH_DUE_HOURS.get(
        category, settings.DISPATCH_DUE_HOURS.get("other", 48)
    )
    return created_at + timedelta(hours=hours)


def needs_certificate(*, commune: Commune, category: str) -> bool:
    required = set(commune.certification_required or ()) | set(
        settings.DISPATCH_CERTIFICATION_REQUIRED or ()
    )
    return category in required


def request_needs_certificate(request: HelpRequest) -> bool:
    return needs_certificate(commune=request.commune, category=request.category)
