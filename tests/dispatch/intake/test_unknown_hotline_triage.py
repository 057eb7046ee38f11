"""SMS and calls to a hotline number no commune has configured go to triage.

With two communes an unknown number never falls back to "the first commune": the
message waits for an administrator, who alone reads it and places it in a commune;
neither commune's secretary sees it. With one commune it is that commune's, as before.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dispatch.intake import retries
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from teams.models import StaffMember
from tests import personas
from tests.dispatch.providers import fixture, post_twilio

pytestmark = pytest.mark.django_db

UNKNOWN_NUMBER = "+842633999111"  # a line the installation owns, given to no commune
RESIDENT = "+84912345678"
CALLER = "+84987654321"
WORDS = "can giup kich hoat vneid muc 2 o thon 5"


@pytest.fixture
def nam_binh(duc_an):
    commune = personas.nam_binh_commune(hotline_numbers=["0263 3888 000"])
    personas.nam_binh_team(commune)
    return commune


@pytest.fixture
def superuser_client(db):
    return personas.client_for(
        personas.make_user("quantri", is_staff=True, is_superuser=True)
    )


def _sms_to(deliver, number: str, *, sid: str = "SMunknownline0001") -> InboundMessage:
    data = {**fixture("twilio_sms_inbound.json"), "To": number, "MessageSid": sid}
    deliver(post_twilio, Client(), "/hooks/twilio/sms", data)
    return InboundMessage.objects.get(provider_id=sid)


def _theirs(phone: str = RESIDENT):
    """Requests of this test's resident (Đức An's cast already has one of its own)."""
    return HelpRequest.objects.filter(resident_phone=phone)


def _admin_list(client: Client, query: str = "") -> str:
    response = client.get(f"/admin/dispatch/inboundmessage/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_an_sms_to_an_unknown_number_waits_for_triage_and_no_commune_gets_it(
    duc_an, nam_binh, deliver
):
    inbound = _sms_to(deliver, UNKNOWN_NUMBER)

    inbound.refresh_from_db()
    assert not _theirs().exists()
    assert inbound.commune is None and inbound.processed_at is None
    # The resident is told it arrived, once, and nothing about any commune.
    [reply] = OutboundMessage.objects.filter(to_number=RESIDENT)
    assert "dang chuyen den xa cua ban" in reply.body  # no commune: unaccented
    # Triage is not a failure: the sweep leaves it alone, it never "gives up".
    later = timezone.now() + dt.timedelta(hours=5)
    for _ in range(3):
        assert deliver(retries.retry_unprocessed, now=later) == {
            "retried": 0,
            "gave_up": 0,
        }
    assert OutboundMessage.objects.filter(to_number=RESIDENT).count() == 1


def test_only_an_administrator_sees_it_and_places_it_in_the_residents_commune(
    duc_an, nam_binh, deliver, superuser_client
):
    inbound = _sms_to(deliver, UNKNOWN_NUMBER)
    nam_binh_secretary = personas.nam_binh_staff(nam_binh, StaffMember.Role.SECRETARY)

    for secretary in (duc_an.secretary, nam_binh_secretary):
        page = _admin_list(personas.client_for(secretary.user))
        assert UNKNOWN_NUMBER not in page and inbound.provider_id not in page
        assert "place_in_commune" not in page and "chua-ro-xa" not in page
    triage = _admin_list(superuser_client, "?xu_ly=chua-ro-xa")
    assert inbound.provider_id in triage
    assert "chờ phân xã: số +842633999111 chưa gán cho xã nào" in triage

    # The action asks which commune first, showing what the resident wrote.
    ask = superuser_client.post(
        "/admin/dispatch/inboundmessage/",
        {"action": "place_in_commune", "_selected_action": [inbound.pk]},
    )
    assert WORDS in ask.content.decode() and "Giao cho xã này" in ask.content.decode()
    deliver(
        superuser_client.post,
        "/admin/dispatch/inboundmessage/",
        {
            "action": "place_in_commune",
            "_selected_action": [inbound.pk],
            "apply": "1",
            "commune": nam_binh.pk,
        },
    )

    request = _theirs().get()
    assert request.commune == nam_binh and request.description == WORDS
    inbound.refresh_from_db()
    assert inbound.processed_at is not None and inbound.commune == nam_binh
    assert (
        request.code
        in OutboundMessage.objects.get(dedupe_key=f"reply:{inbound.pk}").body
    )
    # Now it is Nam Bình's: its secretary sees it, Đức An's still does not.
    nb_page = _admin_list(personas.client_for(nam_binh_secretary.user))
    assert inbound.provider_id in nb_page
    assert inbound.provider_id not in _admin_list(
        personas.client_for(duc_an.secretary.user)
    )


def test_a_secretary_cannot_place_a_message_even_by_posting_the_action(
    duc_an, nam_binh, deliver
):
    inbound = _sms_to(deliver, UNKNOWN_NUMBER)
    client = personas.client_for(duc_an.secretary.user)
    deliver(
        client.post,
        "/admin/dispatch/inboundmessage/",
        {
            "action": "place_in_commune",
            "_selected_action": [inbound.pk],
            "apply": "1",
            "commune": duc_an.commune.pk,
        },
    )
    inbound.refresh_from_db()
    assert inbound.commune is None and not _theirs().exists()


def test_a_configured_number_still_reaches_its_own_commune(duc_an, nam_binh, deliver):
    _sms_to(deliver, "+842633888000")
    assert _theirs().get().commune == nam_binh


def test_with_one_commune_an_unknown_number_is_that_communes(duc_an, deliver):
    inbound = _sms_to(deliver, UNKNOWN_NUMBER)
    request = _theirs().get()
    assert request.commune == duc_an.commune
    inbound.refresh_from_db()
    assert inbound.commune == duc_an.commune and inbound.processed_at is not None


def _call(client: Client, path: str, to: str, **params: str) -> str:
    data = {**fixture("twilio_voice_call.json")["call"], "To": to, "Called": to}
    response = post_twilio(client, path, {**data, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_call_to_an_unknown_number_is_kept_for_triage_then_becomes_a_request(
    duc_an, nam_binh, deliver, superuser_client
):
    client = Client()
    steps = fixture("twilio_voice_call.json")["steps"]
    answers = [
        deliver(_call, client, s["path"], UNKNOWN_NUMBER, **s["params"]) for s in steps
    ]
    # The caller is not dropped: told the call is kept and the code comes by SMS.
    assert "Chúng tôi đã ghi nhận cuộc gọi" in answers[-1]
    assert "<Hangup" in answers[-1]
    assert not _theirs(CALLER).exists()
    # Hanging up adds no second triage item: the kept step carries the call.
    ended = {**fixture("twilio_voice_call.json")["call"], "To": UNKNOWN_NUMBER}
    deliver(
        post_twilio,
        client,
        "/hooks/twilio/status",
        {**ended, "CallStatus": "completed"},
    )
    assert not _theirs(CALLER).exists()
    page = _admin_list(superuser_client, "?xu_ly=chua-ro-xa")
    [kept] = InboundMessage.objects.filter(event="voice:done")
    assert kept.provider_id in page
    assert page.count("chờ phân xã: số") == 1

    deliver(
        superuser_client.post,
        "/admin/dispatch/inboundmessage/",
        {
            "action": "place_in_commune",
            "_selected_action": [kept.pk],
            "apply": "1",
            "commune": nam_binh.pk,
        },
    )
    request = _theirs(CALLER).get()
    assert request.commune == nam_binh and request.channel == "voice"
    assert request.category == "vneid"
    sms = OutboundMessage.objects.get(to_number=CALLER)
    assert request.code in sms.body
