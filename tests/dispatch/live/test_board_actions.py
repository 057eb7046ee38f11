"""The live board's action drawer: every request action of the request page, over the
board's socket, each through the same service, each pushed to every open board.

Secretaries assign through the picker (team, on duty, distance, load; only people who
may take the request), edit, note, cancel with a reason (a duplicate names its
original), merge, close with an outcome and reopen by code. Operators correct and
note only. The old 525-option list of every volunteer is gone from the snapshot."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from dispatch.help_requests import lifecycle
from dispatch.models import EventKind, HelpRequest, Status
from tests.dispatch.live_fixtures import (
    act,
    as_text,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
)
from tests.personas import (
    nam_binh_commune,
    nam_binh_staff,
    open_offer_of,
    submit_for_lan,
)

BOARD = "/ws/board/"


@database_sync_to_async
def lan_asks(duc_an, **fields) -> HelpRequest:
    return submit_for_lan(duc_an, **fields)


@database_sync_to_async
def fresh(request) -> HelpRequest:
    return HelpRequest.objects.select_related("village", "current_team").get(
        pk=request.pk
    )


@database_sync_to_async
def timeline(request) -> list[tuple[str, str]]:
    return [
        (e.kind, e.actor_user.username if e.actor_user else "")
        for e in request.events.select_related("actor_user").order_by("pk")
    ]


async def boards(duc_an):
    """The secretary's and the operator's boards, past their snapshots."""
    secretary = await open_socket(duc_an.secretary.user, BOARD)
    operator = await open_socket(duc_an.operator.user, BOARD)
    hellos = [
        await secretary.receive_json_from(timeout=10),
        await operator.receive_json_from(timeout=10),
    ]
    return secretary, operator, hellos


async def pushed(board, request, **expected) -> dict:
    """The next push about `request` on `board` whose fields match `expected`."""
    while True:
        message = await board.receive_json_from(timeout=10)
        if message.get("request_id") != request.pk or message["type"] in (
            "result",
            "error",
        ):
            continue
        if all(message.get(k) == v for k, v in expected.items()):
            return message


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("presence_redis")
class TestBoardActions:
    async def test_the_snapshot_lists_no_volunteers_and_says_who_may_do_what(
        self, duc_an
    ):
        await lan_asks(duc_an)
        secretary, operator, (mine, theirs) = await boards(duc_an)

        assert "volunteers" not in mine and "volunteers" not in theirs
        assert (mine["can_reassign"], mine["can_correct"]) == (True, True)
        assert (theirs["can_reassign"], theirs["can_correct"]) == (False, True)
        await secretary.disconnect()
        await operator.disconnect()

    async def test_the_picker_shows_team_duty_distance_and_load_best_first(
        self, duc_an
    ):
        request = await lan_asks(duc_an)
        secretary, operator, _ = await boards(duc_an)

        found = await act(secretary, action="picks", request_id=request.pk, q="y dam")
        everyone = await act(secretary, action="picks", request_id=request.pk)

        assert [p["name"] for p in found["picks"]] == ["Y Đam Niê"]
        y_dam = found["picks"][0]
        assert y_dam["team"] == "Tổ Bon Bu Bir" and y_dam["on_duty"] is True
        assert y_dam["distance_km"] == pytest.approx(4.0, abs=0.5)
        assert (y_dam["load"], y_dam["free"]) == (0, True)
        names = [p["name"] for p in everyone["picks"]]
        assert names[0] == "Nguyễn Văn An"  # free, on duty, in Thôn 1 itself
        busy = next(p for p in everyone["picks"] if p["name"] == "K'Dung")
        assert busy["free"] is False and busy["load"] == 1
        assert names.index("K'Dung") > names.index("Y Đam Niê")
        await secretary.disconnect()
        await operator.disconnect()

    async def test_the_picker_lists_only_people_certified_for_the_category(
        self, duc_an
    ):
        request = await lan_asks(duc_an, category="scam")
        secretary, operator, _ = await boards(duc_an)

        shown = await act(secretary, action="picks", request_id=request.pk)
        refused = await act(
            secretary,
            action="assign",
            request_id=request.pk,
            volunteer_id=duc_an.binh.pk,
        )

        assert "Trần Thị Bình" not in as_text(shown["picks"])
        assert refused["type"] == "error" and "chứng nhận" in refused["message"]
        await secretary.disconnect()
        await operator.disconnect()

    async def test_assigning_a_named_volunteer_reaches_every_board(self, duc_an):
        request = await lan_asks(duc_an)
        secretary, operator, _ = await boards(duc_an)

        done = await act(
            secretary,
            action="assign",
            request_id=request.pk,
            volunteer_id=duc_an.y_dam.pk,
        )

        assert done["type"] == "result" and done["status"] == Status.ACCEPTED
        seen = await pushed(operator, request, status=Status.ACCEPTED)
        assert seen["volunteer"] == "Y Đam Niê" and seen["team"] == "Tổ Bon Bu Bir"
        assert (EventKind.REASSIGNED, "thuky") in await timeline(request)
        await secretary.disconnect()
        await operator.disconnect()

    async def test_an_operator_fixes_category_and_village_and_it_is_routed_again(
        self, duc_an
    ):
        request = await lan_asks(duc_an)
        secretary, operator, _ = await boards(duc_an)

        done = await act(
            operator,
            action="edit",
            request_id=request.pk,
            category="portal",
            priority=1,
            village_id=duc_an.bu_bir.pk,
        )

        assert done["type"] == "result"
        seen = await pushed(secretary, request, team="Tổ Bon Bu Bir")
        assert seen["village"] == "Bon Bu Bir" and seen["category"] == "portal"
        offer = await database_sync_to_async(open_offer_of)(request)
        assert offer.team_id == duc_an.team_bu_bir.pk
        assert (EventKind.EDITED, "tongdai") in await timeline(request)
        await secretary.disconnect()
        await operator.disconnect()

    async def test_notes_land_in_the_timeline_with_who_wrote_them(self, duc_an):
        request = await lan_asks(duc_an)
        secretary, operator, _ = await boards(duc_an)

        done = await act(
            operator,
            action="note",
            request_id=request.pk,
            text="Bà nói chiều mới ở nhà",
        )
        empty = await act(operator, action="note", request_id=request.pk, text="  ")

        assert done["type"] == "result" and empty["code"] == "bad_action"
        assert (EventKind.NOTE, "tongdai") in await timeline(request)
        await secretary.disconnect()
        await operator.disconnect()

    async def test_spam_and_duplicates_are_cancelled_and_leave_every_board(
        self, duc_an
    ):
        original = await lan_asks(duc_an)
        spam = await lan_asks(duc_an, resident_phone="0912000222")
        again = await lan_asks(duc_an, resident_phone="0912000333")
        secretary, operator, _ = await boards(duc_an)

        no_code = await act(
            secretary, action="cancel", request_id=again.pk, reason="duplicate"
        )
        spam_done = await act(
            secretary, action="cancel", request_id=spam.pk, reason="spam"
        )
        dup_done = await act(
            secretary,
            action="cancel",
            request_id=again.pk,
            reason="duplicate",
            duplicate_of=original.code.lower(),
        )

        assert no_code["code"] == "bad_action" and "mã" in no_code["message"]
        assert spam_done["status"] == dup_done["status"] == Status.CANCELLED
        await pushed(operator, spam, status=Status.CANCELLED)
        await pushed(operator, again, status=Status.CANCELLED)
        event = await database_sync_to_async(
            lambda: again.events.get(kind=EventKind.CANCELLED)
        )()
        assert event.data["duplicate_of"] == original.code
        assert event.data["reason"] == "trùng với yêu cầu khác"
        await secretary.disconnect()
        await operator.disconnect()

    async def test_a_second_sms_from_the_same_phone_is_merged(self, duc_an):
        first = await lan_asks(duc_an)
        second = await lan_asks(duc_an, description="Nhắn lại: cần gấp")
        secretary, operator, _ = await boards(duc_an)

        done = await act(
            secretary, action="merge", request_id=first.pk, duplicate=second.code
        )

        assert done["merged"] == second.code and done["code"] == first.code
        await pushed(operator, second, status=Status.CANCELLED)
        assert "Nhắn lại: cần gấp" in (await fresh(first)).description
        assert (EventKind.MERGED, "thuky") in await timeline(first)
        await secretary.disconnect()
        await operator.disconnect()

    async def test_closing_with_an_outcome_and_reopening_by_code(self, duc_an):
        request = await lan_asks(duc_an)
        secretary, operator, _ = await boards(duc_an)

        closed = await act(
            secretary,
            action="resolve",
            request_id=request.pk,
            outcome="solved_remote",
        )
        await pushed(operator, request, status=Status.RESOLVED)
        reopened = await act(
            secretary, action="reopen", code=request.code, reason="Bà gọi lại"
        )

        assert closed["status"] == Status.RESOLVED
        assert reopened["status"] == Status.ROUTED
        seen = await pushed(operator, request, status=Status.ROUTED)
        assert seen["code"] == request.code
        kinds = [k for k, _ in await timeline(request)]
        assert kinds[-3:] == [EventKind.RESOLVED, EventKind.REOPENED, EventKind.ROUTED]
        await secretary.disconnect()
        await operator.disconnect()

    async def test_an_operator_may_not_cancel_merge_close_assign_or_reopen(
        self, duc_an
    ):
        request = await lan_asks(duc_an)
        other = await lan_asks(duc_an)
        secretary, operator, _ = await boards(duc_an)

        answers = [
            await act(operator, action="picks", request_id=request.pk),
            await act(operator, action="assign", request_id=request.pk, team_id=1),
            await act(operator, action="cancel", request_id=request.pk, reason="spam"),
            await act(
                operator, action="merge", request_id=request.pk, duplicate=other.code
            ),
            await act(
                operator, action="resolve", request_id=request.pk, outcome="unsolved"
            ),
            await act(operator, action="reopen", code=request.code, reason="x"),
        ]

        assert [a["code"] for a in answers] == ["not_allowed"] * 6
        assert (await fresh(request)).status == Status.ROUTED
        await secretary.disconnect()
        await operator.disconnect()

    async def test_another_communes_request_is_not_found_by_id_or_code(self, duc_an):
        @database_sync_to_async
        def far_request():
            commune = nam_binh_commune()
            nam_binh_staff(commune, "secretary")
            return lifecycle.create_request(
                commune=commune, channel="sms", category="other"
            )

        far = await far_request()
        here = await lan_asks(duc_an)
        secretary, operator, _ = await boards(duc_an)

        by_id = await act(secretary, action="cancel", request_id=far.pk, reason="spam")
        by_code = await act(
            secretary, action="merge", request_id=here.pk, duplicate=far.code
        )

        assert by_id["code"] == by_code["code"] == "not_found"
        far = await fresh(far)
        assert far.status == Status.RECEIVED
        await secretary.disconnect()
        await operator.disconnect()
