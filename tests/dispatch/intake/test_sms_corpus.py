"""The labelled corpus of resident texts, end to end: no plea is ever lost to a command.

Every text of tests/fixtures/sms_corpus.tsv goes through the real, signed Twilio SMS
webhook, each from its own phone (a follow-up from the same phone would rightly join
the first request), and then through the task the webhook schedules, called directly:
django-q2's synchronous mode costs ~0.2 s a task, which would make 800 texts take
minutes. Volunteer commands are sent from a volunteer's phone; ratings are left to
test_sms_intake (they need a rating question first).
"""

from __future__ import annotations

from collections import Counter

import pytest

from dispatch.intake.classifier import read_corpus
from dispatch.intake.parsing import VOLUNTEER_KINDS, Kind, parse_sms
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from dispatch.tasks import process_inbound
from teams.models import Volunteer
from tests.dispatch.providers import FIXTURES, fixture, post_twilio

CORPUS = read_corpus(FIXTURES / "sms_corpus.tsv")


def twilio_sms(body: str, *, sid: str, sender: str) -> dict[str, str]:
    data = fixture("twilio_sms_inbound.json")
    data.update(Body=body, MessageSid=sid, SmsSid=sid, SmsMessageSid=sid, From=sender)
    return data


def test_the_corpus_is_big_and_varied_enough_to_measure_on():
    requests = [r for r in CORPUS if not r["command"]]
    scams = [r for r in requests if r["category"] == "scam"]
    patterns = {
        r["group"].split("-")[1] for r in scams if r["group"].startswith("scam")
    }
    assert len(requests) >= 600
    assert len(scams) >= 150 and len(patterns) >= 12
    assert set(Counter(r["category"] for r in requests)) == {
        "vneid",
        "portal",
        "dossier",
        "epayment",
        "scam",
        "other",
    }


def test_every_labelled_command_parses_as_that_command():
    for row in CORPUS:
        if row["command"]:
            assert parse_sms(row["text"]).kind.value == row["command"], row["text"]


def test_no_request_text_parses_as_a_resident_command():
    for row in CORPUS:
        if not row["command"]:
            parsed = parse_sms(row["text"])
            # A volunteer word from a resident's phone is read as free text anyway.
            assert parsed.kind == Kind.NEW_REQUEST or parsed.is_volunteer_command, row


@pytest.mark.django_db
def test_every_corpus_text_through_the_twilio_webhook_makes_one_request_or_a_reply(
    client, duc_an
):
    volunteer = Volunteer.objects.filter(team__commune=duc_an.commune).first()
    asked = 0
    for n, row in enumerate(CORPUS):
        if row["command"] == Kind.RATING:
            continue
        sender = (
            volunteer.phone
            if row["command"] in VOLUNTEER_KINDS
            else f"+8497{n:07d}"  # a phone of its own: no follow-up window
        )
        before = HelpRequest.objects.count()
        sid = f"SMcorpus{n:05d}"
        response = post_twilio(
            client, "/hooks/twilio/sms", twilio_sms(row["text"], sid=sid, sender=sender)
        )
        assert response.status_code == 200
        process_inbound(InboundMessage.objects.get(provider_id=sid).pk)
        made = HelpRequest.objects.count() - before
        if row["command"]:
            assert made == 0, row["text"]
        else:
            asked += 1
            assert made == 1, row["text"]
            request = HelpRequest.objects.get(resident_phone=sender)
            assert request.code in _reply_to(sender)
    assert asked == sum(1 for r in CORPUS if not r["command"])
    assert InboundMessage.objects.filter(processed_at__isnull=True).count() == 0


def _reply_to(phone: str) -> str:
    reply = OutboundMessage.objects.filter(
        to_number=phone, purpose=OutboundMessage.Purpose.REPLY
    ).get()
    return reply.body
