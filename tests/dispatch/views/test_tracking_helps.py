"""The tracking page helps: who comes and from which number, a hotline, cancel with the
phone's last 4 digits, rating, "not done yet", honest waits and scam safety first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from dispatch.help_requests import lifecycle, selectors
from dispatch.models import EventKind, HelpRequest, Offer, Status
from tests.dispatch.conftest import make_overdue, open_offer_of, submit_for_lan


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def page(client, request) -> str:
    return client.get(reverse("dispatch:track", args=[request.code])).content.decode()


def test_it_shows_the_helpers_given_name_team_and_number_once_accepted(duc_an, client):
    request = submit_for_lan(duc_an)
    assert "sẽ gọi bác từ số" not in page(client, request)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    html = page(client, request)
    assert "An, Tổ Thôn 1, sẽ gọi bác từ số" in html
    assert 'href="tel:+84912000001"' in html and "0912 000 001" in html
    data = client.get(reverse("dispatch:track_api", args=[request.code])).json()
    assert data["helper"] == {
        "name": "An",
        "team": "Tổ Thôn 1",
        "phone": "+84912000001",
        "phone_display": "0912 000 001",
    }
    assert "0912 345 678" not in str(data) and "Lan" not in str(data)


def test_it_has_no_meta_refresh_and_a_tap_to_call_hotline(duc_an, client):
    duc_an.commune.hotline_numbers = ["+842633000111"]
    duc_an.commune.save()
    html = page(client, submit_for_lan(duc_an))
    assert 'http-equiv="refresh"' not in html
    assert 'href="tel:+842633000111"' in html and "Gọi tổng đài xã" in html
    assert "dispatch/track.js" in html


def test_a_resident_cancels_with_the_last_four_digits_of_their_phone(duc_an, client):
    request = submit_for_lan(duc_an)
    url = reverse("dispatch:track_cancel", args=[request.code])
    wrong = client.post(url, {"last_digits": "1234"}, follow=True)
    assert "4 số cuối chưa khớp" in wrong.content.decode()
    assert HelpRequest.objects.get(pk=request.pk).status != Status.CANCELLED
    right = client.post(url, {"last_digits": "5678"}, follow=True)
    assert "Đã hủy yêu cầu" in right.content.decode()
    request.refresh_from_db()
    assert request.status == Status.CANCELLED
    event = request.events.get(kind=EventKind.CANCELLED)
    assert event.actor_kind == "resident"
    assert open_offer_of(request) is None


def test_after_resolution_there_is_no_deadline_but_a_rating_and_not_done_yet(
    duc_an, client
):
    request = submit_for_lan(duc_an)
    lifecycle.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    assert "Hạn hoàn thành" in page(client, request)
    lifecycle.resolve_request(
        request=request, outcome="solved_visit", volunteer=duc_an.an
    )
    html = page(client, request)
    assert "Hạn hoàn thành" not in html
    assert "Việc đã xong." in html and "Chưa xong? Báo lại cho tổ" in html
    assert html.count('name="rating"') == 5 and "😄" in html
    assert "Hủy yêu cầu" not in html

    client.post(reverse("dispatch:track_rate", args=[request.code]), {"rating": "4"})
    assert HelpRequest.objects.get(pk=request.pk).rating == 4
    reopened = client.post(
        reverse("dispatch:track_reopen", args=[request.code]), follow=True
    ).content.decode()
    assert "Đã báo lại cho tổ" in reopened
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer == duc_an.an and request.resolved_at is None
    assert request.events.filter(kind=EventKind.REOPENED).exists()
    assert "Đã có người nhận việc" in page(client, request)


def test_the_wait_estimate_grows_as_offers_expire(duc_an, settings):
    settings.DISPATCH_DEFAULT_WAIT_MINUTES = 15
    request = submit_for_lan(duc_an)
    assert selectors.public_tracking(request)["eta_minutes"] == 15
    for _ in range(2):
        make_overdue(open_offer_of(request))
        lifecycle.sweep_offers()
        request.refresh_from_db()
    assert Offer.objects.filter(request=request, state="expired").count() == 2
    assert open_offer_of(request) is not None
    assert selectors.public_tracking(request)["eta_minutes"] == 45


def test_a_scam_request_shows_three_safety_steps_before_anything_else(duc_an, client):
    html = page(client, submit_for_lan(duc_an, category="scam"))
    safety = html.index("Làm ngay 3 việc này")
    assert safety < html.index("<h1>")
    for step in ("Không chuyển tiền", "Không đọc mã OTP", "Gọi 113"):
        assert html.index(step) > safety
    assert 'href="tel:113"' in html


def test_the_lookup_box_accepts_a_code_without_prefix_in_any_case(duc_an, client):
    request = submit_for_lan(duc_an)
    body = request.code.split("-")[1]
    response = client.get(reverse("dispatch:track_lookup"), {"code": body.lower()})
    assert response.url == reverse("dispatch:track", args=[request.code])
    short = client.get(f"/t/{request.code.lower()}")
    assert short.status_code == 302 and short.url.endswith(f"/track/{request.code}")


def test_json_waited_minutes_counts_from_creation(duc_an, client):
    request = submit_for_lan(duc_an)
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=request.created_at - timedelta(minutes=12)
    )
    data = client.get(reverse("dispatch:track_api", args=[request.code])).json()
    assert data["waited_minutes"] == 12
