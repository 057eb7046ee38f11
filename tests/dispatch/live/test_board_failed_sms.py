"""An SMS that fails for good shows on the secretaries' live board."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from dispatch.live import board as live_board
from dispatch.models import OutboundMessage
from dispatch.sms import delivery
from tests.dispatch.live_fixtures import drain, open_socket, presence_redis  # noqa: F401
from tests.personas import submit_for_lan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("presence_redis"),
]


@database_sync_to_async
def the_reply_to_lan_fails(duc_an):
    request = submit_for_lan(duc_an)
    message = OutboundMessage.objects.filter(request=request).first() or (
        OutboundMessage.objects.create(
            to_number=request.resident_phone, body="x", request=request
        )
    )
    # The provider reports the message undeliverable (e.g. a landline, 21614).
    delivery.apply_provider_status(
        provider_id="", message_id=str(message.pk), status="undelivered", error="21614"
    )
    return request


async def test_the_board_is_told_live_and_shows_the_failure_after_a_reload(duc_an):
    socket = await open_socket(duc_an.secretary.user, "/ws/board/")
    await drain(socket)

    request = await the_reply_to_lan_fails(duc_an)

    pushed = [m for m in await drain(socket) if m["type"] == "sms.failed"]
    assert [m["code"] for m in pushed] == [request.code]
    state = await database_sync_to_async(live_board.board_state)(
        commune_id=duc_an.commune.pk, user=duc_an.secretary.user
    )
    [row] = [r for r in state["requests"] if r["code"] == request.code]
    assert row["sms_failed"] == 1
    await socket.disconnect()
