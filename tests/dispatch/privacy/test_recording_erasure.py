"""Voice messages are held at Twilio: erasing a phone or the yearly retention deletes
them there too, retried until Twilio confirms, and the request's timeline says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule

from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, InboundMessage
from dispatch.privacy import recordings, retention
from tests.dispatch.providers import fixture, post_twilio, twilio_not_found_json

pytestmark = pytest.mark.django_db
CALLER = "+84987654321"
RECORDING = fixture("twilio_recording_status.json")
SID = RECORDING["RecordingSid"]
DELETE_PATH = (
    f"/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Recordings/{SID}.json"
)


@pytest.fixture
def twilio_rest(fake_provider, settings):
    """Twilio's REST API as a local fake; SMS still leave through the console."""
    settings.TWILIO_API_BASE_URL = fake_provider.url
    return fake_provider


def a_call_with_a_voice_message(client, deliver) -> HelpRequest:
    """Lan's grandson calls the hotline, presses 1 to be recorded and speaks."""
    call = fixture("twilio_voice_call.json")
    for step in call["steps"]:
        deliver(post_twilio, client, step["path"], {**call["call"], **step["params"]})
    deliver(post_twilio, client, "/hooks/twilio/status", RECORDING)
    request = HelpRequest.objects.get()
    assert RECORDING["RecordingUrl"] in request.description
    return request


def erase_caller(client, demo_commune, deliver):
    from teams.models import StaffMember

    secretary = StaffMember.objects.get(
        commune=demo_commune, user__username="secretary"
    )
    client.force_login(secretary.user)
    response = deliver(
        client.post,
        "/privacy/subject/",
        {"phone": CALLER, "action": "erase", "confirm": "yes"},
    )
    assert response.status_code == 302


def deletes_sent(provider) -> list[str]:
    return [r["path"] for r in provider.requests if r["method"] == "DELETE"]


def timeline(client, request: HelpRequest) -> str:
    return client.get(f"/requests/{request.code}/").content.decode()


def sid_kept_anywhere() -> bool:
    return any(
        SID in str(row)
        for row in InboundMessage.objects.values_list("provider_id", "payload")
    )


def test_erasing_a_caller_deletes_their_voice_message_at_twilio(
    client, demo_commune, deliver, twilio_rest
):
    request = a_call_with_a_voice_message(client, deliver)
    twilio_rest.answer(204)

    erase_caller(client, demo_commune, deliver)

    assert deletes_sent(twilio_rest) == [DELETE_PATH]
    assert not sid_kept_anywhere()
    assert "đã xoá ghi âm lưu tại nhà cung cấp" in timeline(client, request).lower()
    assert RECORDING["RecordingUrl"] not in timeline(client, request)


def test_a_recording_already_gone_at_twilio_counts_as_deleted(
    client, demo_commune, deliver, twilio_rest
):
    request = a_call_with_a_voice_message(client, deliver)
    twilio_rest.answer(404, twilio_not_found_json(DELETE_PATH))

    erase_caller(client, demo_commune, deliver)

    assert deletes_sent(twilio_rest) == [DELETE_PATH]
    assert not sid_kept_anywhere()
    assert "ghi âm lưu tại nhà cung cấp" in timeline(client, request)


def make_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("quantri", password="x" * 12)


def test_retention_deletes_the_voice_message_of_a_request_closed_long_ago(
    client, demo_commune, deliver, twilio_rest
):
    request = a_call_with_a_voice_message(client, deliver)
    # Through the services: resolved, closed by the daily schedule, then expired.
    start = timezone.now()
    lifecycle.resolve_request(
        request=request, outcome="solved_remote", user=make_superuser()
    )
    assert lifecycle.close_resolved(now=start + timedelta(days=15)) == 1
    twilio_rest.answer(204)

    assert deliver(retention.anonymise_expired, now=start + timedelta(days=415)) == 1

    assert deletes_sent(twilio_rest) == [DELETE_PATH]
    assert not sid_kept_anywhere()
    assert request.events.filter(kind="recording_deleted").count() == 1


def test_a_twilio_server_error_is_retried_and_the_sid_kept_until_deleted(
    client, demo_commune, deliver, twilio_rest
):
    request = a_call_with_a_voice_message(client, deliver)
    twilio_rest.answer(500, {"code": 20500, "message": "Internal Server Error"})

    erase_caller(client, demo_commune, deliver)

    assert deletes_sent(twilio_rest) == [DELETE_PATH]
    assert sid_kept_anywhere()  # a retry must still know what to delete
    assert "ghi âm lưu tại nhà cung cấp" not in timeline(client, request)
    retry = Schedule.objects.get(name__startswith="recording-delete-")
    assert retry.func == "dispatch.tasks.delete_recording"
    assert retry.next_run > timezone.now()

    twilio_rest.answer(204)
    deliver(_run_schedule, retry)  # what the cluster does when it is due

    assert deletes_sent(twilio_rest) == [DELETE_PATH, DELETE_PATH]
    assert not sid_kept_anywhere()
    assert "ghi âm lưu tại nhà cung cấp" in timeline(client, request)


def _run_schedule(schedule: Schedule) -> None:
    import ast

    from django.utils.module_loading import import_string

    import_string(schedule.func)(*ast.literal_eval(schedule.args))


def test_without_twilio_configured_nothing_is_called_and_the_sid_is_kept(
    client, demo_commune, deliver, twilio_rest, settings, caplog
):
    request = a_call_with_a_voice_message(client, deliver)
    settings.TWILIO_ACCOUNT_SID = ""

    erase_caller(client, demo_commune, deliver)

    assert deletes_sent(twilio_rest) == []
    assert sid_kept_anywhere()  # deleted by a later retention run once configured
    assert "Twilio is not configured" in caplog.text
    request.refresh_from_db()
    assert request.resident_phone == "" and request.description == ""

    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    twilio_rest.answer(204)
    deliver(retention.anonymise_expired)
    assert deletes_sent(twilio_rest) == [DELETE_PATH]
    assert not InboundMessage.objects.filter(event=recordings.DELETING).exists()
