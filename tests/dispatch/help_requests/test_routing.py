"""Who gets offered a request: the nearest team with someone able to take it."""

from __future__ import annotations

from dispatch.help_requests import lifecycle
from dispatch.models import Offer, RequestEvent, Status
from teams.models import Volunteer
from tests.personas import make_overdue, open_offer_of, submit_for_lan


def test_it_offers_the_nearest_team_with_someone_on_duty(duc_an):
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)
    assert offer.team == duc_an.team_thon_1
    assert request.status == Status.ROUTED
    assert request.priority == 1  # elderly
    # The elderly resident's offer waits the shorter, priority timeout.
    assert (offer.expires_at - offer.offered_at).total_seconds() < 301


def test_teams_all_off_duty_or_at_capacity_are_never_offered_anything(duc_an, settings):
    settings.DISPATCH_MAX_ROUNDS = 10
    # Their posts sit closest to Bà Lan, yet nobody there can take work.
    request = submit_for_lan(duc_an)
    while (offer := open_offer_of(request)) and offer.team.kind == "village":
        make_overdue(offer)
        lifecycle.sweep_offers()
    offered = set(Offer.objects.filter(request=request).values_list("team", flat=True))
    assert duc_an.team_nam_tien.pk not in offered
    assert duc_an.team_ndrung.pk not in offered
    assert offered == {
        duc_an.team_thon_1.pk,
        duc_an.team_thon_5.pk,
        duc_an.team_bu_bir.pk,
        duc_an.team_thon_15.pk,
        duc_an.specialists.pk,
    }
    routed = RequestEvent.objects.filter(request=request, kind="routed")
    for event in routed:
        names = {row["team"] for row in event.data["ranking"]}
        assert "Tổ Nam Tiến" not in names and "Tổ Đắk N'Drung" not in names


def test_a_team_comes_back_once_its_volunteer_goes_on_duty(duc_an):
    Volunteer.objects.filter(pk=duc_an.off_duty_cuong.pk).update(on_duty=True)
    request = submit_for_lan(duc_an)
    ranking = RequestEvent.objects.get(request=request, kind="routed").data["ranking"]
    # Thôn 1's own team still wins (it serves her village); Nam Tiến's post is next.
    assert [r["team"] for r in ranking[:2]] == ["Tổ Thôn 1", "Tổ Nam Tiến"]


def test_the_routed_event_keeps_the_top_three_and_the_reason(duc_an):
    request = submit_for_lan(duc_an)
    event = RequestEvent.objects.get(request=request, kind="routed")
    ranking = event.data["ranking"]
    assert [r["team"] for r in ranking] == ["Tổ Thôn 1", "Tổ Thôn 5", "Tổ Bon Bu Bir"]
    assert ranking[0]["distance_km"] == 0.0
    assert 1.9 < ranking[1]["distance_km"] < 2.1
    assert ranking[0]["serves_village"] is True
    assert "Tổ Thôn 1" in event.data["reason"]


def test_a_busy_team_slips_behind_a_slightly_further_free_one(duc_an, settings):
    settings.DISPATCH_OWN_VILLAGE_BONUS_KM = 0
    settings.DISPATCH_LOAD_PENALTY_KM = 5
    first = submit_for_lan(duc_an, resident_phone="0977100001")
    assert open_offer_of(first).team == duc_an.team_thon_1  # now Thôn 1 carries one
    second = submit_for_lan(duc_an, resident_phone="0977100002")
    assert open_offer_of(second).team == duc_an.team_thon_5  # 2 km < 0 km + 5 km
    third = submit_for_lan(duc_an, resident_phone="0977100003")
    assert open_offer_of(third).team == duc_an.team_bu_bir


def test_a_scam_needing_a_certificate_goes_to_the_specialists_when_nobody_holds_one(
    duc_an,
):
    request = submit_for_lan(
        duc_an, category="scam", description="thon 1, co nguoi goi xung cong an"
    )
    assert request.priority == 2
    assert request.status == Status.ESCALATED
    assert open_offer_of(request).team == duc_an.specialists
    escalated = RequestEvent.objects.get(request=request, kind="escalated")
    assert escalated.data["reason_code"] == "no_certified"


def test_the_commune_can_require_a_certificate_for_more_categories(duc_an):
    duc_an.commune.certification_required = ["epayment"]
    duc_an.commune.save()
    request = submit_for_lan(duc_an, category="epayment")
    assert request.status == Status.ESCALATED


def test_due_time_follows_the_category_and_on_time_is_stored(duc_an, settings):
    settings.DISPATCH_DUE_HOURS = {**settings.DISPATCH_DUE_HOURS, "vneid": 24}
    request = submit_for_lan(duc_an)
    assert round((request.due_at - request.created_at).total_seconds() / 3600) == 24
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    resolved = lifecycle.resolve_request(
        request=request, outcome="solved_remote", volunteer=duc_an.an
    )
    assert resolved.on_time is True
