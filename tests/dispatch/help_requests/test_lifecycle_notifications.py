"""The resident hears the same news whichever channel the volunteer uses."""

from __future__ import annotations

from dispatch.help_requests import lifecycle
from dispatch.models import OutboundMessage
from tests.personas import open_offer_of, submit_for_lan


def updates_to_lan():
    return OutboundMessage.objects.filter(
        to_number="+84912345678", purpose=OutboundMessage.Purpose.UPDATE
    ).order_by("created_at")


def test_the_resident_is_told_once_when_a_volunteer_accepts_in_the_app(duc_an):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    # A second call for the same news (e.g. a retried task) sends nothing more.
    from dispatch.sms.resident_notices import tell_resident_accepted

    tell_resident_accepted(request=request, volunteer=duc_an.an)
    [message] = updates_to_lan()
    assert request.code in message.body
    assert "An" in message.body


def test_the_resident_is_told_when_the_help_is_done_and_asked_for_a_rating(duc_an):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    lifecycle.resolve_request(
        request=request, outcome="solved_visit", volunteer=duc_an.an
    )
    accepted, resolved = updates_to_lan()
    assert request.code in resolved.body
    assert "1" in resolved.body and "5" in resolved.body


def test_the_resident_is_told_when_the_secretary_gives_the_request_to_a_volunteer(
    duc_an,
):
    request = submit_for_lan(duc_an)
    lifecycle.reassign_request(
        request=request, user=duc_an.secretary.user, volunteer=duc_an.binh
    )
    [message] = updates_to_lan()
    assert request.code in message.body
