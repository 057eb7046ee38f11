"""A resident follows their request on a 360×740 phone: the helper's name and number,
cancelling with the last 4 digits, rating, "chưa xong" — and axe on the page."""

from __future__ import annotations

import pytest

from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, Offer, Status
from teams.demo import seed_demo_commune
from teams.models import Commune, Village
from tests.e2e.axe import blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 360, "height": 740}


def ask_for_help(**extra) -> HelpRequest:
    commune = Commune.objects.get()
    return lifecycle.submit_request(
        commune=commune,
        channel="web",
        category=extra.pop("category", "vneid"),
        resident_name="Bà Lan",
        resident_phone="0912 345 678",
        village=Village.objects.get(commune=commune, slug="thon-5"),
        consent=True,
        **extra,
    )


def accept(request: HelpRequest):
    offer = Offer.objects.get(request=request, state=Offer.State.OPEN)
    volunteer = offer.team.volunteers.filter(on_duty=True).first()
    lifecycle.accept_offer(offer=offer, volunteer=volunteer)
    return volunteer


def test_the_page_names_the_helper_and_then_takes_a_rating_and_a_not_done(
    live_stack: str, browser_page
) -> None:
    seed_demo_commune()
    request = ask_for_help()
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_stack}/track/{request.code}")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert blocking_violations(page) == []

    volunteer = accept(request)
    given = volunteer.full_name.split()[-1]
    # The page's poll notices the acceptance by itself, no reload by hand.
    page.wait_for_selector(".helper", timeout=60_000)
    helper = page.locator(".helper").inner_text()
    assert helper.startswith(f"{given}, {volunteer.team.name}, sẽ gọi bác từ số")
    assert page.locator(".helper a").get_attribute("href") == f"tel:{volunteer.phone}"

    lifecycle.resolve_request(
        request=request, outcome="solved_remote", volunteer=volunteer
    )
    page.reload()
    assert "Hạn hoàn thành" not in page.content()
    page.get_by_role("button", name="4 · Tốt").click()
    page.wait_for_load_state()
    assert "Cảm ơn bác đã đánh giá" in page.content()
    assert HelpRequest.objects.get(pk=request.pk).rating == 4
    page.get_by_role("button", name="Chưa xong? Báo lại cho tổ").click()
    page.wait_for_load_state()
    assert "Đã báo lại cho tổ" in page.content()
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert blocking_violations(page) == []


def test_a_resident_cancels_with_the_last_four_digits(
    live_stack: str, browser_page
) -> None:
    seed_demo_commune()
    request = ask_for_help(category="scam")
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_stack}/track/{request.code.split('-')[1].lower()}")
    assert (
        page.locator(".safety").bounding_box()["y"]
        < page.locator("h1").bounding_box()["y"]
    )
    assert blocking_violations(page) == []
    page.get_by_label("Nhập 4 số cuối của số điện thoại đã gửi yêu cầu").fill("0000")
    page.get_by_role("button", name="Hủy yêu cầu").click()
    page.wait_for_load_state()
    assert "4 số cuối chưa khớp" in page.content()
    page.get_by_label("Nhập 4 số cuối của số điện thoại đã gửi yêu cầu").fill("5678")
    page.get_by_role("button", name="Hủy yêu cầu").click()
    page.wait_for_load_state()
    assert "Yêu cầu đã hủy." in page.locator(".status-big").inner_text()
    assert HelpRequest.objects.get(pk=request.pk).status == Status.CANCELLED


def test_the_lookup_box_is_large_and_takes_a_code_as_people_type_it(
    live_stack: str, browser_page
) -> None:
    seed_demo_commune()
    request = ask_for_help()
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_stack}/track/")
    box = page.get_by_label("Nhập mã theo dõi trong tin nhắn")
    button = page.get_by_role("button", name="Tra cứu")
    assert box.bounding_box()["height"] >= 48
    assert button.bounding_box()["height"] >= 48
    body = request.code.split("-")[1]
    box.fill(" " + " ".join(body.lower()) + " ")
    button.click()
    page.wait_for_url(f"**/track/{request.code}")
    assert request.code in page.locator("h1").inner_text()
