"""No call step is dropped in silence either: a failed step is retried, then shown.

The fault is injected where a real one comes from: the database refuses the write
that turns a call into a request (or links its recording). The caller is never told
an error; the sweep retries with backoff; after the last try the secretary of the
commune whose hotline was called sees it on the board (also after a reload) and in
her admin list, and retries it — the neighbouring commune sees none of it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from dispatch.intake import retries
from dispatch.intake import voice as voice_intake
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from dispatch.push import broadcast
from teams.models import StaffMember
from tests import personas
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.providers import fixture, post_twilio

pytestmark = pytest.mark.django_db

CALLER = "+84987654321"
STEPS = fixture("twilio_voice_call.json")["steps"]
CALL = fixture("twilio_voice_call.json")["call"]


@pytest.fixture
def database_refuses(monkeypatch):
    """Make `voice_intake.<name>` raise the next `times` calls (None: always)."""

    reals: dict[str, object] = {}

    def breaking(name: str, times: int | None) -> None:
        real = reals.setdefault(name, getattr(voice_intake, name))
        state = {"left": times}

        def broken(*args, **kwargs):
            if state["left"] is None or state["left"] > 0:
                if state["left"] is not None:
                    state["left"] -= 1
                raise OperationalError("database is locked")
            return real(*args, **kwargs)

        monkeypatch.setattr(voice_intake, name, broken)

    return breaking


def _step(client: Client, path: str, **params: str) -> str:
    response = post_twilio(client, path, {**CALL, **params})
    assert response.status_code == 200
    return response.content.decode()


def _whole_call(deliver) -> list[str]:
    client = Client()
    return [deliver(_step, client, s["path"], **s["params"]) for s in STEPS]


def _sweep(deliver, minutes: float) -> dict[str, int]:
    later = timezone.now() + dt.timedelta(minutes=minutes)
    return deliver(retries.retry_unprocessed, now=later)


def _callers_request():
    return HelpRequest.objects.filter(resident_phone=CALLER)


def test_a_failed_last_step_is_kept_and_the_sweep_makes_the_request(
    duc_an, deliver, database_refuses
):
    database_refuses("submit_request", 1)

    answers = _whole_call(deliver)

    # The caller hears the call is kept and the code comes by SMS; no error.
    assert "Chúng tôi đã ghi nhận cuộc gọi" in answers[-1]
    done = InboundMessage.objects.get(event="voice:done")
    assert "OperationalError: database is locked" in done.last_error
    assert done.processed_at is None and not _callers_request().exists()

    assert _sweep(deliver, 0.5)["retried"] == 0  # not before a minute
    assert _sweep(deliver, 1.5) == {"retried": 1, "gave_up": 0}

    request = _callers_request().get()
    assert request.channel == "voice" and request.category == "vneid"
    assert request.village == duc_an.thon_5
    assert request.code in OutboundMessage.objects.get(to_number=CALLER).body
    done.refresh_from_db()
    assert done.processed_at is not None and done.request == request


def test_a_failed_call_back_request_is_retried(duc_an, deliver, database_refuses):
    database_refuses("submit_request", 1)
    client = Client()
    answer = deliver(
        _step,
        client,
        "/hooks/twilio/voice/callback-confirm?village=05&phone=0987654321",
        Digits="1",
    )
    assert "Chúng tôi đã ghi nhận cuộc gọi" in answer
    assert not _callers_request().exists()

    _sweep(deliver, 1.5)

    request = _callers_request().get()
    assert request.callback_requested
    assert request.code in OutboundMessage.objects.get(to_number=CALLER).body


def test_a_recording_that_could_not_be_linked_is_linked_by_the_sweep(
    duc_an, deliver, database_refuses
):
    _whole_call(deliver)
    request = _callers_request().get()
    database_refuses("add_resident_message", 1)
    recording = fixture("twilio_recording_status.json")

    response = deliver(post_twilio, Client(), "/hooks/twilio/status", recording)

    assert response.status_code == 200
    row = InboundMessage.objects.get(event="recording")
    assert row.request is None and "database is locked" in row.last_error
    _sweep(deliver, 1.5)
    request.refresh_from_db()
    assert recording["RecordingUrl"] in request.description
    row.refresh_from_db()
    assert row.request == request and row.processed_at is not None


def test_a_failed_hang_up_report_is_retried(duc_an, deliver, database_refuses):
    client = Client()
    for step in STEPS[:3]:  # the caller chose VNeID, then hung up
        deliver(_step, client, step["path"], **step["params"])
    database_refuses("submit_request", 1)
    deliver(
        post_twilio, client, "/hooks/twilio/status", {**CALL, "CallStatus": "completed"}
    )
    ended = InboundMessage.objects.get(event="call-ended")
    assert "database is locked" in ended.last_error
    assert not _callers_request().exists()

    _sweep(deliver, 1.5)

    assert _callers_request().get().category == "vneid"


def test_after_the_last_try_the_secretary_sees_it_on_the_board_and_retries_it(
    duc_an, deliver, database_refuses, settings
):
    settings.INBOUND_MAX_ATTEMPTS = 2
    nam_binh = personas.nam_binh_commune(hotline_numbers=["0263 3888 000"])
    nam_binh_secretary = personas.nam_binh_staff(nam_binh, StaffMember.Role.SECRETARY)
    database_refuses("submit_request", None)
    _whole_call(deliver)
    board = listen(broadcast.board_group(duc_an.commune.pk))
    minutes = 0.0
    for _ in range(4):
        minutes += 10
        _sweep(deliver, minutes)

    done = InboundMessage.objects.get(event="voice:done")
    assert done.attempts == 2 and done.gave_up_at is not None
    [notice] = [m for m in drain(board) if m.get("type") == broadcast.NOTICE]
    assert "không xử lý được" in notice["text"]

    # Stored, not only pushed: the board opened afterwards still lists it.
    secretary = personas.client_for(duc_an.secretary.user)
    page = secretary.get("/board/").content.decode()
    assert "Tin đến không xử lý được (1)" in page
    assert "cuộc gọi · OperationalError: database is locked" in page
    # Her admin list (not only a superuser's) shows it, with its error.
    listing = secretary.get("/admin/dispatch/inboundmessage/?xu_ly=khong-duoc")
    assert done.provider_id in listing.content.decode()
    assert "không xử lý được: OperationalError" in listing.content.decode()
    # The neighbouring commune's secretary sees nothing of it.
    other = personas.client_for(nam_binh_secretary.user)
    assert "Tin đến không xử lý được" not in other.get("/board/").content.decode()
    other_list = other.get("/admin/dispatch/inboundmessage/").content.decode()
    assert done.provider_id not in other_list

    database_refuses("submit_request", 0)  # the cause is fixed; she tries again
    deliver(
        secretary.post,
        "/admin/dispatch/inboundmessage/",
        {"action": "process_again", "_selected_action": [done.pk]},
    )
    assert _callers_request().get().channel == "voice"
    assert "Tin đến không xử lý được" not in secretary.get("/board/").content.decode()
