"""axe-core in a real page, from the copy the axe-playwright-python wheel ships (no CDN)."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

BLOCKING = ("critical", "serious")


def axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()


def blocking_violations(page: Page) -> list[str]:
    """`id: impact — target` for every critical or serious axe violation on the page."""
    # Evaluated through the DevTools protocol: the site's CSP (script-src 'self')
    # rightly refuses an inline <script>, and the page stays exactly as served.
    page.evaluate(axe_source() + "\n;void 0")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']}: {v['impact']} — {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
