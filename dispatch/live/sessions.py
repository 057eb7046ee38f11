"""The signed-in session behind a socket's cookie, read in one prepared query.

A volunteer socket reads its session on every connect, and a reconnect storm is
hundreds of them: with database sessions (the default `SESSION_ENGINE`) the row is
read by a query compiled once per process (teams/prepared.py), with the checks of
Django's database session store — the row exists, has not expired, and its data is
signed with this site's secret (anything else reads as no session). With any other
session engine, the store itself is asked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from teams.prepared import Prepared

DATABASE_ENGINE = "django.contrib.sessions.backends.db"

_SESSION = Prepared(
    lambda session_key: Session.objects.filter(session_key=session_key).values_list(
        "session_data", "expire_date"
    )
)


def session_data(scope: dict[str, Any]) -> Any:
    """The session of a socket's scope (a mapping to `.get` from), or None."""
    session = scope.get("session")
    if session is None:
        return None
    if settings.SESSION_ENGINE != DATABASE_ENGINE:
        return session
    key = scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    rows = _SESSION.rows(session_key=str(key))
    if not rows:
        return None
    data, expires = rows[0]
    if expires <= timezone.now():
        return None
    return SessionStore().decode(data)
