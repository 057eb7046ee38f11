"""A resident's relative scans the Thôn 5 poster and asks for help from a phone."""

from __future__ import annotations

import re

import pytest

from dispatch.models import HelpRequest
from teams.demo import seed_demo_commune
from tests.e2e.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]


def test_the_public_form_goes_from_the_village_page_to_the_tracking_page(
    live_stack: str, browser_page
) -> None:
    seed_demo_commune()
    page = browser_page
    page.goto(f"{live_stack}/help/thon-5/")

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("#id_village option:checked").inner_text() == "Thôn 5"
    page.get_by_label("Kích hoạt VNeID mức 2").check()
    page.get_by_label("Số điện thoại để tổ gọi lại").fill("0912 345 678")
    page.get_by_label("Họ tên (không bắt buộc)").fill("Bà Lan")
    page.get_by_label("Người cao tuổi").check()
    page.locator("#id_consent").check()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "help_form_filled.png"), full_page=True)
    page.get_by_role("button", name="Gửi yêu cầu").click()

    page.wait_for_url(re.compile(r"/track/[A-Z]{2}-[0-9A-Z]{7}$"))
    request = HelpRequest.objects.get()
    assert page.url.endswith(f"/track/{request.code}")
    assert request.code in page.content()
    assert request.village.name == "Thôn 5"
    assert request.is_elderly


def test_errors_show_next_to_the_fields_in_the_browser(
    live_stack: str, browser_page
) -> None:
    seed_demo_commune()
    page = browser_page
    page.goto(f"{live_stack}/help/")
    page.get_by_label("Số điện thoại để tổ gọi lại").fill("12")
    page.get_by_role("button", name="Gửi yêu cầu").click()

    phone = page.locator("#field-resident_phone .errorlist")
    assert "Số điện thoại chưa đúng" in phone.inner_text()
    assert page.locator("#field-consent .errorlist").is_visible()
    assert HelpRequest.objects.count() == 0
