"""One request walks the whole escalation ladder (the issue's scenario)."""

from __future__ import annotations

from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, OutboundMessage, RequestEvent, Status
from tests.personas import make_overdue, open_offer_of, submit_for_lan


def test_a_request_nobody_takes_climbs_to_the_specialists_then_the_secretaries(
    duc_an, settings
):
    settings.DISPATCH_MAX_ROUNDS = 3
    request = submit_for_lan(duc_an)

    first = open_offer_of(request)
    assert first.team == duc_an.team_thon_1  # nearest team with someone on duty
    lifecycle.decline_offer(offer=first, volunteer=duc_an.an, reason="Đang đi rẫy")

    second = open_offer_of(request)
    assert second.team == duc_an.team_thon_5  # next-nearest
    make_overdue(second)
    assert lifecycle.sweep_offers() == 1

    third = open_offer_of(request)
    assert third.team == duc_an.team_bu_bir
    make_overdue(third)
    assert lifecycle.sweep_offers() == 1

    # Three village rounds used: the commune specialists get it, not Thôn 15.
    to_specialists = open_offer_of(request)
    assert to_specialists.team == duc_an.specialists
    request.refresh_from_db()
    assert request.status == Status.ESCALATED
    make_overdue(to_specialists)
    assert lifecycle.sweep_offers() == 1
    assert open_offer_of(request) is None

    events = list(
        RequestEvent.objects.filter(request=request).values_list(
            "kind", "actor_kind", "actor_user", "team"
        )
    )
    assert events == [
        ("created", "resident", None, None),
        ("located", "system", None, None),
        ("routed", "system", None, duc_an.team_thon_1.pk),
        ("offer_declined", "volunteer", duc_an.an.user.pk, duc_an.team_thon_1.pk),
        ("routed", "system", None, duc_an.team_thon_5.pk),
        ("offer_expired", "system", None, duc_an.team_thon_5.pk),
        ("routed", "system", None, duc_an.team_bu_bir.pk),
        ("offer_expired", "system", None, duc_an.team_bu_bir.pk),
        ("escalated", "system", None, duc_an.specialists.pk),
        ("offer_expired", "system", None, duc_an.specialists.pk),
        ("alerted", "system", None, None),
    ]
    alert = OutboundMessage.objects.get(purpose=OutboundMessage.Purpose.ALERT)
    assert alert.to_number == duc_an.secretary.phone
    assert request.code in alert.body
    assert HelpRequest.objects.get(pk=request.pk).alerted_at is not None


def test_a_second_sweep_changes_nothing(duc_an):
    request = submit_for_lan(duc_an)
    make_overdue(open_offer_of(request))
    assert lifecycle.sweep_offers() == 1
    events_after_first = RequestEvent.objects.filter(request=request).count()
    assert lifecycle.sweep_offers() == 0
    assert RequestEvent.objects.filter(request=request).count() == events_after_first


def test_the_specialist_who_accepts_gets_the_request(duc_an, settings):
    settings.DISPATCH_MAX_ROUNDS = 1
    request = submit_for_lan(duc_an)
    make_overdue(open_offer_of(request))
    lifecycle.sweep_offers()
    offer = open_offer_of(request)
    assert offer.team == duc_an.specialists
    accepted = lifecycle.accept_offer(offer=offer, volunteer=duc_an.specialist_tuan)
    assert accepted.status == Status.ACCEPTED
    assert accepted.assigned_volunteer == duc_an.specialist_tuan


def test_the_sweep_routes_a_request_a_crash_left_without_an_offer(duc_an):
    from datetime import timedelta

    from django.utils import timezone

    from dispatch.models import Offer

    request = submit_for_lan(duc_an)
    # As if the process died between closing the offer and opening the next one.
    Offer.objects.filter(request=request).update(state="declined")
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    lifecycle.sweep_offers()
    assert open_offer_of(request).team == duc_an.team_thon_5
    lifecycle.sweep_offers()
    assert Offer.objects.filter(request=request).count() == 2


def test_without_a_specialist_team_the_secretaries_are_alerted_at_once(duc_an):
    duc_an.specialists.active = False
    duc_an.specialists.save()
    request = submit_for_lan(
        duc_an, description="khong ro o dau", resident_phone="0977"
    )
    request.refresh_from_db()
    assert request.status == Status.ESCALATED
    assert request.alerted_at is not None
    assert OutboundMessage.objects.filter(
        request=request, purpose="alert", to_number=duc_an.secretary.phone
    ).exists()
    lifecycle.sweep_offers()
    assert RequestEvent.objects.filter(request=request, kind="alerted").count() == 1
