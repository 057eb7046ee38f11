"""A real Chromium on a phone-sized screen can open the running system."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.stack]


def test_the_login_page_opens_in_vietnamese_with_its_stylesheets(
    live_stack: str, browser_page
) -> None:
    static = []
    browser_page.on(
        "response",
        lambda response: (
            static.append(response.status) if "/static/" in response.url else None
        ),
    )

    browser_page.goto(f"{live_stack}/admin/login/")

    assert browser_page.locator("html").get_attribute("lang") == "vi"
    assert "Đăng nhập" in browser_page.content()
    assert static and all(status == 200 for status in static)
