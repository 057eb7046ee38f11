"""Fairness: offer SMS order rotates among members; a team can cap each member's week."""

from __future__ import annotations

import pytest

from dispatch.errors import AtWeeklyCap
from dispatch.help_requests import lifecycle, offer_notices, selectors
from dispatch.models import OutboundMessage
from tests.personas import make_volunteer, open_offer_of, submit_for_lan


def first_texted(offer) -> str:
    return (
        OutboundMessage.objects.filter(
            purpose=OutboundMessage.Purpose.OFFER,
            dedupe_key__startswith=f"offer:{offer.pk}:",
        )
        .order_by("created_at", "pk")
        .first()
        .to_number
    )


@pytest.mark.django_db
def test_the_first_phone_to_ring_rotates_among_the_members_on_duty(duc_an, monkeypatch):
    from dispatch.push import presence

    monkeypatch.setattr(presence, "online_ids", lambda ids: set())
    minh = make_volunteer(
        duc_an.team_thon_1, "Hoàng Văn Minh", "+84912000031", on_duty=True
    )
    chi = make_volunteer(duc_an.team_thon_1, "Lê Thị Chi", "+84912000032", on_duty=True)

    firsts = []
    for n in range(3):
        request = submit_for_lan(duc_an, resident_phone=f"091234567{n}")
        offer = open_offer_of(request)
        assert offer_notices.text_offline_volunteers(offer_id=offer.pk) == 3
        firsts.append(first_texted(offer))

    assert sorted(firsts) == sorted([duc_an.an.phone, minh.phone, chi.phone])


@pytest.mark.django_db
def test_a_member_at_the_teams_weekly_cap_is_not_offered_more(duc_an, monkeypatch):
    from dispatch.push import presence

    monkeypatch.setattr(presence, "online_ids", lambda ids: set())
    duc_an.team_thon_1.weekly_cap = 1
    duc_an.team_thon_1.save()
    minh = make_volunteer(
        duc_an.team_thon_1, "Hoàng Văn Minh", "+84912000031", on_duty=True
    )
    first = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(first), volunteer=duc_an.an)

    second = submit_for_lan(duc_an, resident_phone="0912345670")
    offer = open_offer_of(second)
    offer_notices.text_offline_volunteers(offer_id=offer.pk)

    texted = set(
        OutboundMessage.objects.filter(
            purpose=OutboundMessage.Purpose.OFFER,
            dedupe_key__startswith=f"offer:{offer.pk}:",
        ).values_list("to_number", flat=True)
    )
    assert texted == {minh.phone}
    with pytest.raises(AtWeeklyCap):
        lifecycle.accept_offer(offer=offer, volunteer=duc_an.an)
    lifecycle.accept_offer(offer=offer, volunteer=minh)


@pytest.mark.django_db
def test_the_load_per_volunteer_counts_open_work_and_this_weeks_accepts(duc_an):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)

    load = selectors.volunteer_load(team_ids=[duc_an.team_thon_1.pk])

    assert load == [
        {
            "pk": duc_an.an.pk,
            "full_name": "Nguyễn Văn An",
            "team__name": "Tổ Thôn 1",
            "open_now": 1,
            "this_week": 1,
        }
    ]
