"""Residents follow their request by code: status, team, queue — never personal data."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from dispatch.help_requests import lifecycle
from tests.personas import open_offer_of, submit_for_lan

NAME = "Bà Nguyễn Thị Lan"
PHONE_FORMS = ("0912345678", "+84912345678", "912345678", "0912 345 678")


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def assert_no_personal_data(text: str, request) -> None:
    for secret in (NAME, "Nguyễn Thị Lan", *PHONE_FORMS, "11.9003", "107.6004"):
        assert secret not in text


def test_the_tracking_page_shows_progress_without_name_phone_or_point(duc_an, client):
    request = submit_for_lan(duc_an, lat=11.9003, lng=107.6004)
    response = client.get(reverse("dispatch:track", args=[request.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert request.code in html
    assert "Tổ Thôn 1" in html
    assert "Thôn 1" in html
    assert "vị trí số 1" in html
    assert "Kích hoạt VNeID mức 2" in html
    assert_no_personal_data(html, request)


def test_the_tracking_json_has_status_queue_and_timeline_without_personal_data(
    duc_an, client
):
    request = submit_for_lan(duc_an, lat=11.9003, lng=107.6004)
    response = client.get(reverse("dispatch:track_api", args=[request.code]))
    body = response.content.decode()
    data = response.json()
    assert data["status"] == "routed"
    assert data["team"] == "Tổ Thôn 1"
    assert data["village"] == "Thôn 1"
    assert data["queue_position"] == 1
    assert data["eta_minutes"] >= 1
    assert [e["kind"] for e in data["timeline"]] == ["created", "routed"]
    assert (
        data["timeline"][0]["at"].endswith("Z") or "+00:00" in data["timeline"][0]["at"]
    )
    assert_no_personal_data(body, request)
    assert "resident" not in body and "phone" not in body


def test_a_typed_code_in_lower_case_without_dash_still_finds_the_request(
    duc_an, client
):
    request = submit_for_lan(duc_an)
    typed = request.code.replace("-", "").lower()
    response = client.get(reverse("dispatch:track_api", args=[typed]))
    assert response.json()["code"] == request.code


def test_an_unknown_code_gets_a_friendly_404(client, db):
    page = client.get(reverse("dispatch:track", args=["DA-ZZZZZZZ"]))
    assert page.status_code == 404
    assert "Không tìm thấy yêu cầu" in page.content.decode()
    api = client.get(reverse("dispatch:track_api", args=["DA-ZZZZZZZ"]))
    assert api.status_code == 404
    assert api.json()["error"] == "not_found"


def test_too_many_lookups_from_one_client_are_slowed_down(client, db, settings):
    settings.DISPATCH_TRACK_RATE_LIMIT = 3
    codes = [
        client.get(reverse("dispatch:track_api", args=["DA-ZZZZZZZ"])).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]
    page = client.get(reverse("dispatch:track", args=["DA-ZZZZZZZ"]))
    assert page.status_code == 429
    assert "thử lại sau ít phút" in page.content.decode()
    other = client.get(
        reverse("dispatch:track_api", args=["DA-ZZZZZZZ"]), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 404


def test_queue_position_puts_priority_before_age(duc_an):
    ordinary = submit_for_lan(duc_an, flags=[], resident_phone="0912000111")
    elderly = submit_for_lan(duc_an, resident_phone="0912000222")
    from dispatch.help_requests import selectors

    assert selectors.queue_position(elderly) == 1
    assert selectors.queue_position(ordinary) == 2


def test_queue_position_breaks_a_tie_in_time_by_who_asked_first(duc_an):
    from dispatch.help_requests import selectors

    first, second, third = (
        submit_for_lan(duc_an, flags=[], resident_phone=f"091200033{n}")
        for n in range(3)
    )
    same_moment = first.created_at
    type(first).objects.filter(pk__in=[second.pk, third.pk]).update(
        created_at=same_moment
    )
    for request in (first, second, third):
        request.refresh_from_db()

    assert {r.current_team_id for r in (first, second, third)} == {
        first.current_team_id
    }
    assert [selectors.queue_position(r) for r in (first, second, third)] == [1, 2, 3]


def test_the_timeline_follows_the_request_to_resolution(duc_an, client):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    lifecycle.start_request(request=request, volunteer=duc_an.an)
    lifecycle.resolve_request(
        request=request, outcome="solved_visit", volunteer=duc_an.an
    )
    lifecycle.add_note(
        request=request, text="Nhà bà Lan ở sau chợ", volunteer=duc_an.an
    )
    data = client.get(reverse("dispatch:track_api", args=[request.code])).json()
    assert data["status"] == "resolved"
    assert data["queue_position"] is None
    assert [e["kind"] for e in data["timeline"]] == [
        "created",
        "routed",
        "accepted",
        "started",
        "resolved",
    ]
    assert "sau chợ" not in str(data)
    assert "Nguyễn Văn An" not in str(data)


def test_the_eta_learns_from_how_fast_the_team_accepted_lately(duc_an, settings):
    from datetime import timedelta

    from dispatch.help_requests import selectors
    from dispatch.models import Offer

    settings.DISPATCH_DEFAULT_WAIT_MINUTES = 15
    done = submit_for_lan(duc_an, resident_phone="0977400001")
    lifecycle.accept_offer(offer=open_offer_of(done), volunteer=duc_an.an)
    accepted = Offer.objects.get(request=done, state="accepted")
    Offer.objects.filter(pk=accepted.pk).update(
        offered_at=accepted.answered_at - timedelta(minutes=4)
    )
    first = submit_for_lan(duc_an, resident_phone="0977400002")
    second = submit_for_lan(duc_an, resident_phone="0977400003")
    assert open_offer_of(second).team == duc_an.team_thon_1
    assert selectors.eta_minutes(first) == 4
    assert selectors.eta_minutes(second) == 8
