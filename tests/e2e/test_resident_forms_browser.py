"""Forms anyone can complete, tried on a 360×740 phone: the error summary, a grandchild
asking for a grandmother, and axe on the public pages."""

from __future__ import annotations

import re

import pytest

from dispatch.models import HelpRequest
from teams.demo import seed_demo_commune
from tests.e2e.axe import blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]
PHONE = {"width": 360, "height": 740}


def test_an_empty_submit_focuses_a_summary_whose_links_jump_to_each_field(
    live_stack: str, browser_page
) -> None:
    seed_demo_commune()
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_stack}/help/")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    page.wait_for_load_state()

    assert page.title().startswith("Lỗi:")
    summary = page.locator("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.is_visible()
    assert summary.bounding_box()["y"] < 740
    links = summary.get_by_role("link")
    texts = links.all_inner_texts()
    assert "Hãy chọn một việc cần giúp." in texts
    assert "Hãy nhập số điện thoại để tổ gọi lại." in texts
    assert "Cần bạn đồng ý thì tổ mới liên hệ được." in texts
    for index, expected in enumerate(
        ["id_category_0", "id_resident_phone", "id_consent"]
    ):
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == expected
        box = page.locator(f"#{expected}").bounding_box()
        assert 0 <= box["y"] < 740
    # every aria-describedby names an element that exists
    missing = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
            el.getAttribute('aria-describedby').split(/\\s+/)
              .filter(id => id && !document.getElementById(id)))"""
    )
    assert missing == []
    assert page.locator("fieldset:has(#id_category_0) > legend").inner_text() == (
        "Bạn cần giúp việc gì?"
    )
    assert page.locator("fieldset:has(#id_flags_0) > legend").is_visible()
    assert blocking_violations(page) == []
    assert HelpRequest.objects.count() == 0


def test_nothing_is_cut_off_at_320_pixels(live_stack: str, browser_page) -> None:
    seed_demo_commune()
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_stack}/help/thon-5/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    select = page.locator("#id_village")
    assert select.bounding_box()["x"] + select.bounding_box()["width"] <= 320
    page.get_by_role("button", name="Gửi yêu cầu").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_grandchild_asks_for_help_for_a_grandmother(
    live_stack: str, browser_page
) -> None:
    seed_demo_commune()
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_stack}/help/thon-5/")
    page.get_by_label("Kích hoạt VNeID mức 2").check()
    # The grandmother's own phone (the per-phone limit is shared by the whole session).
    page.get_by_label("Số điện thoại để tổ gọi lại").fill("0987 654 320")
    page.get_by_label("Họ tên (không bắt buộc)").fill("Bà Nguyễn Thị Lan")
    landmark = "Nhà bà ngoại, cạnh trường mẫu giáo Thôn 5, cổng xanh"
    if page.locator("#id_landmark").count():
        page.locator("#id_landmark").fill(landmark)
    page.get_by_label("Mô tả ngắn (không bắt buộc)").fill(
        "Cháu gửi giúp bà, bà không dùng điện thoại thông minh. " + landmark
    )
    page.get_by_label("Người cao tuổi").check()
    page.get_by_label("Không có điện thoại thông minh").check()
    page.get_by_label("Cần người đến tận nhà").check()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Gửi yêu cầu").click()

    page.wait_for_url(re.compile(r"/track/[A-Z]{2}-[0-9A-Z]{7}$"))
    request = HelpRequest.objects.get()
    assert request.resident_name == "Bà Nguyễn Thị Lan"
    assert request.is_elderly and request.no_smartphone and request.home_visit
    assert "trường mẫu giáo" in request.description + getattr(request, "landmark", "")
    assert request.code in page.locator("h1").inner_text()


@pytest.mark.parametrize("path", ["/help/", "/help/thon-5/", "/track/"])
def test_axe_finds_nothing_serious_on_the_public_pages(
    live_stack: str, browser_page, path: str
) -> None:
    seed_demo_commune()
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_stack}{path}")
    assert blocking_violations(page) == []
