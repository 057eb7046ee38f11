"""Live pushes after commit: the board, the team and the volunteer hear of changes."""

from __future__ import annotations

import json

from dispatch.help_requests import lifecycle
from dispatch.push import broadcast
from tests.dispatch.channel_messages import drain, listen
from tests.personas import open_offer_of, submit_for_lan


def test_a_new_request_reaches_the_board_and_the_offered_team(
    duc_an, django_capture_on_commit_callbacks
):
    board = listen(broadcast.board_group(duc_an.commune.pk))
    team = listen(broadcast.team_group(duc_an.team_thon_1.pk))
    other_team = listen(broadcast.team_group(duc_an.team_thon_5.pk))
    with django_capture_on_commit_callbacks(execute=True):
        request = submit_for_lan(duc_an)
    board_messages = drain(board)
    assert [m["type"] for m in board_messages] == [
        "request.changed",
        "request.changed",
        "offer.opened",
    ]
    assert [m["event"] for m in board_messages] == ["created", "located", "routed"]
    event_ids = [m["event_id"] for m in board_messages]
    assert event_ids == sorted(event_ids)
    team_messages = drain(team)
    assert [m["type"] for m in team_messages] == ["offer.opened"]
    opened = team_messages[0]
    assert opened["code"] == request.code
    assert opened["village"] == "Thôn 1"
    assert opened["expires_at"].endswith("+00:00")
    assert drain(other_team) == []


def test_the_offered_team_hears_of_a_new_request_before_the_board(
    duc_an, django_capture_on_commit_callbacks, monkeypatch
):
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        broadcast, "send", lambda group, message: sent.append((group, message["type"]))
    )

    with django_capture_on_commit_callbacks(execute=True):
        submit_for_lan(duc_an)

    board = broadcast.board_group(duc_an.commune.pk)
    team = broadcast.team_group(duc_an.team_thon_1.pk)
    assert sent == [
        (team, "offer.opened"),
        (board, "request.changed"),
        (board, "request.changed"),
        (board, "offer.opened"),
    ]


def test_pushes_never_carry_the_residents_name_phone_or_point(
    duc_an, django_capture_on_commit_callbacks
):
    board = listen(broadcast.board_group(duc_an.commune.pk))
    team = listen(broadcast.team_group(duc_an.team_thon_1.pk))
    with django_capture_on_commit_callbacks(execute=True):
        request = submit_for_lan(duc_an, lat=11.9003, lng=107.6004)
        lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    text = json.dumps(drain(board) + drain(team), ensure_ascii=False)
    for secret in ("Nguyễn Thị Lan", "912345678", "11.9003", "107.6004"):
        assert secret not in text


def test_an_accepted_offer_closes_on_every_screen_and_tells_the_volunteer(
    duc_an, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit_for_lan(duc_an)
    team = listen(broadcast.team_group(duc_an.team_thon_1.pk))
    volunteer = listen(broadcast.volunteer_group(duc_an.an.pk))
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    closed = drain(team)
    assert [m["type"] for m in closed] == ["offer.closed"]
    assert closed[0]["offer_state"] == "accepted"
    assert closed[0]["status"] == "accepted"
    assert [m["event"] for m in drain(volunteer)] == ["accepted"]


def test_nothing_is_pushed_when_the_change_rolls_back(duc_an):
    from django.db import transaction

    board = listen(broadcast.board_group(duc_an.commune.pk))
    try:
        with transaction.atomic():
            submit_for_lan(duc_an)
            raise RuntimeError("rollback")
    except RuntimeError:
        pass
    assert drain(board) == []
