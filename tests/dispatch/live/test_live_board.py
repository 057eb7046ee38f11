"""The secretaries' live board: snapshot, live updates, assign and escalate, refusals."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from dispatch.models import HelpRequest, Status
from tests.dispatch.live_fixtures import (
    act,
    as_text,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
    receive_until,
)
from tests.personas import open_offer_of, submit_for_lan

BOARD = "/ws/board/"


@database_sync_to_async
def lan_asks(duc_an):
    request = submit_for_lan(duc_an)
    return request, open_offer_of(request)


@database_sync_to_async
def status_of(request) -> str:
    return HelpRequest.objects.get(pk=request.pk).status


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("presence_redis")
class TestBoardSocket:
    async def test_it_lists_every_open_request_with_its_offer_deadline(self, duc_an):
        request, offer = await lan_asks(duc_an)
        board = await open_socket(duc_an.secretary.user, BOARD)

        hello = await board.receive_json_from(timeout=10)

        rows = {r["code"]: r for r in hello["requests"]}
        assert rows[request.code]["status"] == Status.ROUTED
        assert rows[request.code]["team"] == "Tổ Thôn 1"
        assert rows[request.code]["expires_at"] is not None
        assert hello["can_reassign"] is True
        assert "Lan" not in as_text([hello])
        await board.disconnect()

    async def test_a_new_request_appears_live(self, duc_an):
        board = await open_socket(duc_an.operator.user, BOARD)
        await board.receive_json_from(timeout=10)

        request, _ = await lan_asks(duc_an)
        opened, _ = await receive_until(board, "offer.opened")

        assert opened["code"] == request.code and opened["priority"] >= 1
        await board.disconnect()

    async def test_a_secretary_assigns_to_a_volunteer_and_escalates(self, duc_an):
        request, _ = await lan_asks(duc_an)
        second, _ = await lan_asks(duc_an)
        board = await open_socket(duc_an.secretary.user, BOARD)
        await board.receive_json_from(timeout=10)

        given = await act(
            board,
            action="assign",
            request_id=request.pk,
            volunteer_id=duc_an.binh.pk,
        )
        escalated = await act(
            board, action="escalate", request_id=second.pk, reason="Cần chuyên viên"
        )
        to_team = await act(
            board,
            action="assign",
            request_id=second.pk,
            team_id=duc_an.team_thon_15.pk,
        )

        assert given["status"] == Status.ACCEPTED
        assert escalated["status"] == Status.ESCALATED
        assert to_team["status"] == Status.ROUTED
        assert await status_of(request) == Status.ACCEPTED
        await board.disconnect()

    async def test_an_operator_watches_but_cannot_move_requests(self, duc_an):
        request, _ = await lan_asks(duc_an)
        board = await open_socket(duc_an.operator.user, BOARD)
        hello = await board.receive_json_from(timeout=10)

        answer = await act(board, action="escalate", request_id=request.pk)

        assert hello["can_reassign"] is False
        assert answer["code"] == "not_allowed"
        assert await status_of(request) == Status.ROUTED
        await board.disconnect()

    async def test_bad_moves_are_refused_in_vietnamese(self, duc_an):
        request, _ = await lan_asks(duc_an)
        board = await open_socket(duc_an.secretary.user, BOARD)
        await board.receive_json_from(timeout=10)

        nowhere = await act(board, action="assign", request_id=request.pk)
        unknown = await act(board, action="assign", request_id=request.pk, team_id=9999)
        missing = await act(board, action="escalate", request_id=123456)

        assert nowhere["code"] == "bad_action" and "Hãy chọn" in nowhere["message"]
        assert unknown["code"] == "not_found"
        assert missing["code"] == "not_found"
        await board.disconnect()

    async def test_a_volunteer_going_on_duty_on_the_phone_changes_the_teams_count(
        self, duc_an
    ):
        board = await open_socket(duc_an.secretary.user, BOARD)
        hello = await board.receive_json_from(timeout=10)
        phone = await open_socket(duc_an.off_duty_cuong.user)
        await phone.receive_json_from(timeout=10)

        await act(phone, action="duty", on_duty=True)
        count, _ = await receive_until(board, "team.duty")

        before = {t["id"]: (t["on_duty"], t["members"]) for t in hello["teams"]}
        assert before[duc_an.team_nam_tien.pk] == (0, 1)
        assert before[duc_an.team_thon_1.pk] == (1, 1)
        assert count["team_id"] == duc_an.team_nam_tien.pk
        assert (count["on_duty"], count["members"]) == (1, 1)
        await phone.disconnect()
        await board.disconnect()

    async def test_a_volunteer_cannot_open_the_board(self, duc_an):
        board = await open_socket(duc_an.an.user, BOARD)

        assert (await board.receive_output(timeout=5))["code"] == 4403


def test_the_board_page_is_for_staff_only(client, duc_an):
    client.force_login(duc_an.an.user)
    assert client.get("/board/").status_code == 403

    client.force_login(duc_an.secretary.user)
    page = client.get("/board/")
    assert page.status_code == 200
    assert "Bảng điều phối trực tiếp" in page.content.decode()


def test_the_volunteer_page_is_installable(client, duc_an):
    client.force_login(duc_an.an.user)

    page = client.get("/v/").content.decode()
    manifest = client.get("/v/manifest.webmanifest")
    worker = client.get("/v/sw.js")

    assert 'rel="manifest"' in page and "volunteer.js" in page
    assert "https://" not in page.replace("https://www.openstreetmap.org", "")
    data = json.loads(manifest.content)
    assert manifest["Content-Type"] == "application/manifest+json"
    assert data["start_url"] == "/v/" and data["display"] == "standalone"
    assert worker["Content-Type"] == "application/javascript"
    assert '"/v/"' in worker.content.decode()


def test_a_signed_in_staff_member_without_a_volunteer_profile_is_told_so(
    client, duc_an
):
    client.force_login(duc_an.operator.user)

    response = client.get("/v/")

    assert response.status_code == 403
    assert "không phải tình nguyện viên" in response.content.decode()
