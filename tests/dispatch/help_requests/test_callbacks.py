"""Recording a call back: one `called_back` event per call, pushed to the board, which
flags the request after the third failed try; nothing is recorded for a request that
no longer waits for a call."""

from __future__ import annotations

import pytest

from dispatch.errors import InvalidTransition
from dispatch.help_requests import callbacks, lifecycle
from dispatch.models import EventKind
from dispatch.push import broadcast
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.conftest import submit_for_lan


def test_the_third_failed_try_reaches_the_board_flagged(duc_an, deliver):
    request = submit_for_lan(duc_an, callback_requested=True)
    board = listen(broadcast.board_group(duc_an.commune.pk))
    operator = duc_an.operator.user

    for _ in range(3):
        deliver(
            callbacks.record_callback,
            request=request,
            user=operator,
            outcome="no_answer",
        )

    pushed = [m for m in drain(board) if m.get("event") == EventKind.CALLED_BACK]
    assert [m["callback_failed"] for m in pushed] == [False, False, True]
    assert {m["code"] for m in pushed} == {request.code}


@pytest.mark.parametrize("case", ["not asked", "cancelled", "bad outcome"])
def test_nothing_is_recorded_for_a_request_not_waiting_for_a_call(duc_an, case):
    request = submit_for_lan(duc_an, callback_requested=case != "not asked")
    if case == "cancelled":
        lifecycle.cancel_request(request=request, actor_kind="resident")
    outcome = "maybe" if case == "bad outcome" else "no_answer"

    with pytest.raises(InvalidTransition):
        callbacks.record_callback(
            request=request, user=duc_an.operator.user, outcome=outcome
        )

    assert not request.events.filter(kind=EventKind.CALLED_BACK).exists()
