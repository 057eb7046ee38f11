"""The one place that knows channel-layer group names and sends live pushes.

Services call these functions inside `transaction.on_commit`, so nobody hears about a
change that was rolled back. Payloads carry ids and small fields, times in ISO-8601 UTC.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

# The consumer method that receives every push (type "live.event" → live_event()).
LIVE_EVENT = "live.event"

# Event types that clients see in the `type` field.
NOTICE = "board.notice"


def board_group(commune_id: int) -> str:
    """Operators and secretaries of one commune watching the live board."""
    return f"board.{commune_id}"


def team_group(team_id: int) -> str:
    """Every connected volunteer of one support team."""
    return f"team.{team_id}"


def volunteer_group(volunteer_id: int) -> str:
    """All tabs and phones of one volunteer."""
    return f"volunteer.{volunteer_id}"


def send(group: str, message: dict[str, Any]) -> None:
    """Push one message to a group; a push is best-effort, the database is the truth."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, {"type": LIVE_EVENT, "message": message})


def board_notice(*, commune_id: int, text: str) -> None:
    """Show a short notice from the commune office on every open live board."""
    send(
        board_group(commune_id),
        {"type": NOTICE, "text": text, "sent_at": timezone.now().isoformat()},
    )
