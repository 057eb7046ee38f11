"""One reopen rule for everyone: the resident (tracking page, SMS, keypad) and the
office reopen a resolved or closed request within DISPATCH_REOPEN_DAYS of its
resolution; it goes back to the volunteer who helped, or, with nobody assigned, it is
routed again to a nearby village team (not parked with the specialists)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from dispatch.errors import InvalidTransition
from dispatch.help_requests import events, lifecycle
from dispatch.models import EventKind, HelpRequest, Status
from teams.models import SupportTeam
from tests.dispatch.conftest import open_offer_of, submit_for_lan


def resolved_by_the_office(duc_an) -> HelpRequest:
    request = submit_for_lan(duc_an)
    return lifecycle.resolve_request(
        request=request, outcome="solved_remote", user=duc_an.secretary.user
    )


def test_a_resident_reopening_an_unassigned_request_sends_it_to_a_village_team(
    duc_an, client
):
    request = resolved_by_the_office(duc_an)

    page = client.post(
        reverse("dispatch:track_reopen", args=[request.code]), follow=True
    ).content.decode()

    assert "Đã báo lại cho tổ" in page
    request.refresh_from_db()
    assert request.status == Status.ROUTED and request.resolved_at is None
    offer = open_offer_of(request)
    assert offer is not None and offer.team.kind == SupportTeam.Kind.VILLAGE
    event = request.events.get(kind=EventKind.REOPENED)
    assert event.actor_kind == "resident" and event.data["via"] == "web"


def test_the_office_reopening_the_same_request_follows_the_same_rule(duc_an):
    request = resolved_by_the_office(duc_an)

    request = lifecycle.reopen_request(
        request=request,
        actor=events.actor(user=duc_an.secretary.user),
        reason="Bà gọi lại",
        via="office",
    )

    assert request.status == Status.ROUTED
    assert open_offer_of(request).team.kind == SupportTeam.Kind.VILLAGE
    event = request.events.get(kind=EventKind.REOPENED)
    assert event.actor_user == duc_an.secretary.user
    assert event.data == {"via": "office", "reason": "Bà gọi lại"}


def test_a_closed_request_within_the_window_reopens_for_the_resident_too(duc_an):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    lifecycle.resolve_request(
        request=request, outcome="solved_visit", volunteer=duc_an.an
    )
    lifecycle.close_request(request=request)

    request = lifecycle.reopen_request(
        request=request, actor=events.RESIDENT, via="voice"
    )

    assert request.status == Status.ACCEPTED and request.assigned_volunteer == duc_an.an
    assert request.closed_at is None and request.followup_attempts == 0


@pytest.mark.parametrize("actor", [events.RESIDENT, None], ids=["resident", "office"])
def test_nobody_reopens_after_the_window(duc_an, settings, actor):
    settings.DISPATCH_REOPEN_DAYS = 2
    request = resolved_by_the_office(duc_an)
    HelpRequest.objects.filter(pk=request.pk).update(
        resolved_at=request.resolved_at - timedelta(days=3)
    )
    actor = actor or events.actor(user=duc_an.secretary.user)

    with pytest.raises(InvalidTransition):
        lifecycle.reopen_request(request=request, actor=actor, via="sms")

    request.refresh_from_db()
    assert request.status == Status.RESOLVED
    assert not request.events.filter(kind=EventKind.REOPENED).exists()
