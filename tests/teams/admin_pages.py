"""Reading and filling the registry's admin pages in tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

from teams.models import Volunteer


def found(client: Client, url: str) -> list:
    """The rows of an admin list page."""
    response = client.get(url)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def volunteer_form(volunteer: Volunteer, **changes: Any) -> dict[str, Any]:
    """The volunteer's admin change form as saved unchanged, but for `changes`
    (a value of None unticks a box)."""
    data = {
        "team": volunteer.team_id,
        "full_name": volunteer.full_name,
        "phone": volunteer.phone,
        "role": volunteer.role,
        "affiliation": volunteer.affiliation,
        "languages": volunteer.languages or ["vi"],
        "on_duty": "on" if volunteer.on_duty else None,
        "capacity": volunteer.capacity,
        "active": "on",
        **changes,
    }
    return {k: v for k, v in data.items() if v is not None}
