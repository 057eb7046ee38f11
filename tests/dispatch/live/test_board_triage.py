"""Triage on the live board: an SMS naming two villages waits in the triage tab with
both as candidates; one click on a candidate sends it to that village's team live."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from dispatch.models import HelpRequest, Status
from tests.dispatch.conftest import open_offer_of, submit_for_lan
from tests.dispatch.live_fixtures import (
    act,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
    receive_until,
)

BOARD = "/ws/board/"
VOLUNTEER = "/ws/volunteer/"


@database_sync_to_async
def sms_naming_two_villages(duc_an) -> HelpRequest:
    return submit_for_lan(
        duc_an,
        description="Toi o thon 5 hoac bon bu bir, can giup VNeID",
        resident_phone="0912 777 888",
        flags=[],
    )


@database_sync_to_async
def offered_team(request):
    return open_offer_of(HelpRequest.objects.get(pk=request.pk)).team


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("presence_redis")
class TestTriage:
    async def test_an_ambiguous_sms_waits_with_its_candidates_until_one_is_chosen(
        self, duc_an
    ):
        request = await sms_naming_two_villages(duc_an)
        assert request.needs_triage and request.village is None
        board = await open_socket(duc_an.operator.user, BOARD)
        hello = await board.receive_json_from(timeout=10)
        row = next(r for r in hello["requests"] if r["code"] == request.code)
        assert row["needs_triage"] is True
        assert {c["name"] for c in row["candidates"]} == {"Thôn 5", "Bon Bu Bir"}
        team_phone = await open_socket(duc_an.y_dam.user, VOLUNTEER)
        await team_phone.receive_json_from(timeout=10)

        answer = await act(
            board, action="place", request_id=request.pk, village_id=duc_an.bu_bir.pk
        )

        assert answer["type"] == "result" and answer["status"] == Status.ROUTED
        routed, _ = await receive_until(board, "offer.opened")
        assert routed["code"] == request.code and routed["village"] == "Bon Bu Bir"
        assert routed["needs_triage"] is False and routed["candidates"] == []
        offer, _ = await receive_until(team_phone, "offer.opened")
        assert offer["request_id"] == request.pk
        assert (await offered_team(request)) == duc_an.team_bu_bir
        await board.disconnect()
        await team_phone.disconnect()

    async def test_a_village_of_another_commune_is_refused(self, duc_an):
        request = await sms_naming_two_villages(duc_an)
        board = await open_socket(duc_an.secretary.user, BOARD)
        await board.receive_json_from(timeout=10)
        answer = await act(
            board, action="place", request_id=request.pk, village_id=999999
        )
        assert answer["type"] == "error"
        assert answer["message"] == "Không tìm thấy thôn này."
        await board.disconnect()
