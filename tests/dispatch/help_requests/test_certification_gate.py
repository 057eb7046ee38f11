"""Suspected scams go only to volunteers holding a valid scam-awareness certificate.

These tests use training's real selector and real certificates (no stand-in), so they
prove the gate end to end: training decides who is certified, dispatch obeys.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dispatch.models import Offer, Status
from tests.personas import open_offer_of, submit_for_lan
from training.models import Certificate, Topic


def certify(volunteer, *, topic_key: str = "scam", days_left: int = 300) -> Certificate:
    now = timezone.now()
    return Certificate.objects.create(
        volunteer=volunteer,
        topic=Topic.objects.get(key=topic_key),
        issued_at=now - timedelta(days=30),
        expires_at=now + timedelta(days=days_left),
    )


def test_a_scam_request_is_never_offered_to_a_team_with_only_uncertified_volunteers(
    duc_an,
):
    # Only Bình (Thôn 5) holds the certificate; An in Thôn 1 is nearer but uncertified.
    certify(duc_an.binh)
    request = submit_for_lan(duc_an, category="scam", description="thon 1 lua dao")
    offered_teams = set(
        Offer.objects.filter(request=request).values_list("team", flat=True)
    )
    assert offered_teams == {duc_an.team_thon_5.pk}
    assert open_offer_of(request).team == duc_an.team_thon_5


def test_a_scam_request_escalates_when_nobody_certified_is_on_duty(duc_an):
    certify(duc_an.off_duty_cuong)  # certified, but not on duty
    request = submit_for_lan(duc_an, category="scam", description="thon 1 lua dao")
    assert request.status == Status.ESCALATED
    assert open_offer_of(request).team == duc_an.specialists


def test_an_expired_or_revoked_certificate_no_longer_counts_for_routing(duc_an):
    expired = certify(duc_an.binh, days_left=300)
    Certificate.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    revoked = certify(duc_an.ha)
    Certificate.objects.filter(pk=revoked.pk).update(
        revoked_at=timezone.now(), revoked_reason="Vi phạm quy định"
    )
    request = submit_for_lan(duc_an, category="scam", description="thon 1 lua dao")
    assert request.status == Status.ESCALATED


def test_a_certificate_for_another_topic_does_not_open_the_scam_gate(duc_an):
    certify(duc_an.an, topic_key="vneid")
    request = submit_for_lan(duc_an, category="scam", description="thon 1 lua dao")
    assert request.status == Status.ESCALATED
