"""axe-core (shipped in the axe-playwright-python package, injected from disk, never
from a CDN) finds no critical or serious violation on the office's pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from dispatch.models import HelpRequest
from teams.demo import seed_demo_commune
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000
BLOCKING = ("critical", "serious")


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_the_office_pages_have_no_critical_or_serious_violation(
    live_stack: str, browser_page, transactional_db
) -> None:
    seed_demo_commune()
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page.context, live_stack, "secretary")
    request = HelpRequest.objects.filter(status="routed").first()
    pages = {
        "/board/": "#b-conn[data-state=online]",
        "/requests/": "main",
        "/dashboard/": "#map path.village-marker",
        "/operator/": "main",
        "/notices/": "main",
    }
    if request is not None:
        pages[f"/requests/{request.code}/"] = "main"
    found = {}
    for path, ready in pages.items():
        page.goto(live_stack + path, wait_until="domcontentloaded")
        page.wait_for_selector(ready, timeout=WAIT_MS)
        found[path] = blocking_violations(page)
    assert found == dict.fromkeys(pages, [])
