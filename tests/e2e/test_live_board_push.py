"""A push made by a background worker reaches a browser's WebSocket on another process.

This is the proof that the embedded channel layer works across processes: a real Daphne,
a real WebSocket client, and a django-q2 task run by a real qcluster doing the group_send.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_q.tasks import async_task, fetch
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from teams.models import Commune
from tests import personas

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]

RECEIVE_TIMEOUT = 60  # a generous bound for a loaded CI machine, not a speed claim


@pytest.fixture
def duc_an() -> Commune:
    return personas.duc_an_commune()


@pytest.fixture
def secretary(duc_an: Commune) -> User:
    return personas.secretary_of(duc_an).user


@pytest.fixture
def volunteer_user() -> User:
    return User.objects.create_user("vol01-01", password="caunoi-test")


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def run_task_to_the_end(func: str, *args: object) -> None:
    """Queue a task and wait until the qcluster has finished it."""
    task = fetch(async_task(func, *args), wait=RECEIVE_TIMEOUT * 1000)
    assert task is not None and task.success, task and task.result


@pytest.fixture
def open_board(live_stack: str) -> Iterator:
    with ExitStack() as sockets:

        def _open(user: User | None, query: str = "") -> ClientConnection:
            headers = {"Cookie": session_cookie(user)} if user else {}
            return sockets.enter_context(
                connect(
                    live_stack.replace("http://", "ws://") + "/ws/board/" + query,
                    origin=live_stack,
                    additional_headers=headers,
                    open_timeout=30,
                )
            )

        yield _open


def next_notice(board: ClientConnection) -> dict:
    """The first notice on the board; the board's `hello` snapshot comes before it."""
    while True:
        message = json.loads(board.recv(timeout=RECEIVE_TIMEOUT))
        if message["type"] != "hello":
            return message


def test_a_notice_pushed_by_a_worker_reaches_the_secretarys_live_board(
    open_board, secretary: User, duc_an: Commune
) -> None:
    board = open_board(secretary)

    async_task("dispatch.tasks.push_board_notice", duc_an.pk, "Họp giao ban lúc 14:00")

    message = next_notice(board)
    assert message["type"] == "board.notice"
    assert message["text"] == "Họp giao ban lúc 14:00"


def test_a_notice_for_another_commune_does_not_reach_the_board(
    open_board, secretary: User, duc_an: Commune
) -> None:
    other = personas.nam_binh_commune()
    board = open_board(secretary)

    run_task_to_the_end("dispatch.tasks.push_board_notice", other.pk, "Không phải")
    async_task("dispatch.tasks.push_board_notice", duc_an.pk, "Cho Đức An")

    message = next_notice(board)
    assert message["text"] == "Cho Đức An"


def test_an_administrator_watches_the_board_of_the_commune_they_ask_for(
    open_board, duc_an: Commune
) -> None:
    nam_binh = personas.nam_binh_commune()
    admin = User.objects.create_user("admin", password="caunoi-test", is_staff=True)
    board = open_board(admin, f"?commune={nam_binh.pk}")

    run_task_to_the_end("dispatch.tasks.push_board_notice", duc_an.pk, "Cho Đức An")
    async_task("dispatch.tasks.push_board_notice", nam_binh.pk, "Cho Nam Bình")

    message = next_notice(board)
    assert message["text"] == "Cho Nam Bình"


def test_an_anonymous_visitor_is_turned_away_with_code_4403(open_board) -> None:
    board = open_board(None)

    with pytest.raises(ConnectionClosed) as closed:
        board.recv(timeout=RECEIVE_TIMEOUT)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


def test_a_volunteer_without_a_staff_role_is_turned_away_with_code_4403(
    open_board, volunteer_user: User, duc_an: Commune
) -> None:
    board = open_board(volunteer_user)

    with pytest.raises(ConnectionClosed) as closed:
        board.recv(timeout=RECEIVE_TIMEOUT)
    assert closed.value.rcvd.code == 4403
