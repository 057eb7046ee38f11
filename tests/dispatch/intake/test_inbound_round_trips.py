"""An SMS costs a fixed, small number of SQL round trips, and its reply no task.

Counted are the SQL statements (SELECT, INSERT, UPDATE); the SAVEPOINT/RELEASE pairs of
nested transactions are listed apart (the test itself runs inside a transaction, so the
task's own transaction shows up as one more pair here).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import OrmQ

from dispatch import tasks
from dispatch.intake import sms as sms_intake
from dispatch.intake.store import receive_sms
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from teams import registry
from teams.models import SupportTeam, Village

MAX_STATEMENTS = 12


def stored_sms(commune, body: str, *, phone: str) -> InboundMessage:
    inbound, _ = receive_sms(
        provider=InboundMessage.Provider.TWILIO_SMS,
        provider_id=f"SM-{phone}",
        from_number=phone,
        to_number=commune.hotline_numbers[0],
        body=body,
        payload={},
    )
    return inbound


def statements(context: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


@pytest.fixture
def warm(demo_commune):
    """One SMS already handled by this process: the registry facts are cached."""
    registry.forget_all()
    first = stored_sms(
        demo_commune, "can giup kich hoat vneid o thon 5", phone="+84912000001"
    )
    sms_intake.process_inbound(inbound_id=first.pk)
    return demo_commune


@pytest.mark.django_db
def test_a_new_request_by_sms_takes_at_most_twelve_sql_statements(warm):
    inbound = stored_sms(
        warm, "can giup cai dich vu cong o thon 3", phone="+84912000002"
    )

    with CaptureQueriesContext(connection) as context:
        sms_intake.process_inbound(inbound_id=inbound.pk)

    assert len(statements(context)) <= MAX_STATEMENTS, "\n".join(statements(context))
    request = HelpRequest.objects.get(resident_phone="+84912000002")
    assert request.village.name == "Thôn 3"
    assert request.offers.get().team.name == "Tổ hỗ trợ Thôn 3"
    kinds = list(request.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["created", "located", "routed"]
    reply = OutboundMessage.objects.get(request=request)
    assert request.code in reply.body


@pytest.mark.django_db
def test_a_registry_change_in_any_process_is_seen_by_the_next_sms(warm):
    """A village renamed and a new team serving it: the cached facts are not reused."""
    village = Village.objects.get(commune=warm, name="Thôn 3")
    village.aliases = [*village.aliases, "xom moi"]
    village.save()
    team = SupportTeam.objects.get(commune=warm, name="Tổ hỗ trợ Thôn 3")
    team.active = False
    team.save()

    inbound = stored_sms(warm, "can giup cai vneid o xom moi", phone="+84912000003")
    sms_intake.process_inbound(inbound_id=inbound.pk)

    request = HelpRequest.objects.get(resident_phone="+84912000003")
    assert request.village == village  # the new alias is known
    assert request.offers.get().team != team  # the inactive team gets nothing


@pytest.mark.django_db
def test_the_reply_to_an_sms_is_sent_by_the_same_task_not_a_task_of_its_own(
    warm, django_capture_on_commit_callbacks
):
    inbound = stored_sms(warm, "can giup cai vneid o thon 3", phone="+84912000004")
    OrmQ.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.process_inbound(inbound.pk)

    reply = OutboundMessage.objects.get(to_number="+84912000004")
    assert reply.status == OutboundMessage.Status.DELIVERED  # the console gateway
    queued = [t.task["func"] for t in OrmQ.objects.all()]
    assert "dispatch.tasks.send_outbound" not in queued
    # Run inside an outer transaction (this test's), the offer's texts commit after
    # the task has finished: they are queued as a task of their own, not lost.
    assert queued == ["dispatch.tasks.text_offer_to_offline"]  # one per offer


@pytest.mark.django_db(transaction=True)
def test_the_offer_texts_to_volunteers_off_the_app_are_queued_by_the_same_task(
    demo_commune,
):
    inbound = stored_sms(
        demo_commune, "can giup cai vneid o thon 3", phone="+84912000005"
    )
    OrmQ.objects.all().delete()

    tasks.process_inbound(inbound.pk)

    queued = [t.task["func"] for t in OrmQ.objects.all()]
    assert "dispatch.tasks.text_offer_to_offline" not in queued
    request = InboundMessage.objects.get(pk=inbound.pk).request
    texts = OutboundMessage.objects.filter(
        purpose=OutboundMessage.Purpose.OFFER, request=request
    )
    on_duty = request.current_team.volunteers.filter(active=True, on_duty=True)
    assert texts.count() == on_duty.count() > 0  # nobody has the app open here
    assert all(request.code in text.body for text in texts)
