"""Accepting, declining and the lifecycle after: who may do what, and when."""

from __future__ import annotations

import pytest

from dispatch.errors import (
    AtCapacity,
    InvalidRating,
    InvalidTransition,
    NotAssignee,
    NotCertified,
    NotYourTeam,
    OfferAlreadyTaken,
    OfferExpired,
)
from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, Offer, RequestEvent, Status
from tests.personas import (
    SAU,
    make_overdue,
    open_offer_of,
    submit_for_lan,
)


def test_the_volunteer_who_accepts_is_assigned_and_the_offer_closes(duc_an):
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    accepted = lifecycle.accept_offer(offer=offer, volunteer=duc_an.an)
    assert accepted.status == Status.ACCEPTED
    assert accepted.assigned_volunteer == duc_an.an
    offer.refresh_from_db()
    assert offer.state == Offer.State.ACCEPTED and offer.answered_by == duc_an.an


def test_a_second_accept_is_told_already_taken(duc_an):
    teammate = SAU.join(duc_an.team_thon_1)
    offer = open_offer_of(submit_for_lan(duc_an))
    lifecycle.accept_offer(offer=offer, volunteer=duc_an.an)
    with pytest.raises(OfferAlreadyTaken) as caught:
        lifecycle.accept_offer(offer=offer, volunteer=teammate)
    assert caught.value.code == "already_taken"
    assert "đã có người khác nhận" in caught.value.message


def test_a_volunteer_of_another_team_cannot_accept(duc_an):
    offer = open_offer_of(submit_for_lan(duc_an))
    with pytest.raises(NotYourTeam):
        lifecycle.accept_offer(offer=offer, volunteer=duc_an.binh)


def test_an_accept_after_the_deadline_fails_and_the_sweep_still_expires_it(duc_an):
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    make_overdue(offer)
    with pytest.raises(OfferExpired):
        lifecycle.accept_offer(offer=offer, volunteer=duc_an.an)
    assert lifecycle.sweep_offers() == 1
    offer.refresh_from_db()
    assert offer.state == Offer.State.EXPIRED
    assert open_offer_of(request).team == duc_an.team_thon_5


def test_expiry_after_an_accept_changes_nothing(duc_an):
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    lifecycle.accept_offer(offer=offer, volunteer=duc_an.an)
    make_overdue(offer)
    assert lifecycle.expire_offer(offer=offer) is False
    offer.refresh_from_db()
    assert offer.state == Offer.State.ACCEPTED
    assert HelpRequest.objects.get(pk=request.pk).status == Status.ACCEPTED


def test_a_volunteer_at_capacity_cannot_take_more(duc_an):
    duc_an.an.capacity = 1
    duc_an.an.save()
    first = submit_for_lan(duc_an, resident_phone="0977200001")
    lifecycle.accept_offer(offer=open_offer_of(first), volunteer=duc_an.an)
    # An is now at capacity, so Tổ Thôn 1 is no longer a candidate; offer it by hand.
    second = submit_for_lan(duc_an, resident_phone="0977200002")
    lifecycle.reassign_request(
        request=second, user=duc_an.secretary.user, team=duc_an.team_thon_1
    )
    with pytest.raises(AtCapacity):
        lifecycle.accept_offer(offer=open_offer_of(second), volunteer=duc_an.an)


def test_an_uncertified_volunteer_cannot_take_a_scam_request(duc_an):
    request = submit_for_lan(duc_an, category="scam")
    lifecycle.reassign_request(
        request=request, user=duc_an.secretary.user, team=duc_an.team_thon_1
    )
    with pytest.raises(NotCertified):
        lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)


def test_only_the_assignee_starts_and_resolves(duc_an):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    with pytest.raises(NotAssignee):
        lifecycle.start_request(request=request, volunteer=duc_an.binh)
    started = lifecycle.start_request(request=request, volunteer=duc_an.an)
    assert started.status == Status.IN_PROGRESS
    with pytest.raises(InvalidTransition):
        lifecycle.start_request(request=request, volunteer=duc_an.an)
    resolved = lifecycle.resolve_request(
        request=request, outcome="referred_police", volunteer=duc_an.an, note="Đã báo"
    )
    assert resolved.outcome == "referred_police"
    assert resolved.resolved_at is not None


def test_the_resident_rates_then_staff_close(duc_an):
    request = submit_for_lan(duc_an)
    with pytest.raises(InvalidTransition):
        lifecycle.rate_request(request=request, rating=5)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    lifecycle.resolve_request(
        request=request, outcome="solved_visit", volunteer=duc_an.an
    )
    with pytest.raises(InvalidRating):
        lifecycle.rate_request(request=request, rating=9)
    assert lifecycle.rate_request(request=request, rating=5).rating == 5
    closed = lifecycle.close_request(request=request, user=duc_an.secretary.user)
    assert closed.status == Status.CLOSED


def test_cancelling_withdraws_the_open_offer(duc_an):
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    cancelled = lifecycle.cancel_request(
        request=request, actor_kind="resident", reason="Con đã giúp rồi"
    )
    assert cancelled.status == Status.CANCELLED
    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    with pytest.raises(OfferAlreadyTaken):
        lifecycle.accept_offer(offer=offer, volunteer=duc_an.an)
    with pytest.raises(InvalidTransition):
        lifecycle.cancel_request(request=request, actor_kind="resident")


def test_staff_can_escalate_and_reassign_to_a_volunteer(duc_an):
    request = submit_for_lan(duc_an)
    escalated = lifecycle.escalate_request(
        request=request, reason="Cần chuyên viên", user=duc_an.secretary.user
    )
    assert escalated.status == Status.ESCALATED
    assert open_offer_of(request).team == duc_an.specialists
    reassigned = lifecycle.reassign_request(
        request=request, user=duc_an.secretary.user, volunteer=duc_an.y_dam
    )
    assert reassigned.status == Status.ACCEPTED
    assert reassigned.assigned_volunteer == duc_an.y_dam
    assert open_offer_of(request) is None
    kinds = list(
        RequestEvent.objects.filter(request=request).values_list("kind", "actor_kind")
    )
    assert kinds[-2:] == [("escalated", "staff"), ("reassigned", "staff")]


def test_a_follow_up_message_is_appended_and_secrets_are_masked(duc_an):
    request = submit_for_lan(duc_an)
    lifecycle.add_resident_message(
        request=request, text="So CCCD cua toi 012345678901, ma OTP 123456"
    )
    request.refresh_from_db()
    assert "kich hoat VNeID" in request.description
    assert "012345678901" not in request.description
    assert "123456" not in request.description
    assert "8901" in request.description
    assert RequestEvent.objects.filter(
        request=request, kind="resident_message"
    ).exists()


def test_an_overdue_offer_is_not_accepted_even_before_the_sweep(duc_an):
    request = submit_for_lan(duc_an)
    make_overdue(open_offer_of(request))
    with pytest.raises(OfferExpired) as caught:
        lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    assert caught.value.code == "offer_expired"
