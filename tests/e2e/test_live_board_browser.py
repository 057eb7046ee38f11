"""The secretaries' live board in a real browser on the real stack: a new request shows
up without reloading, highlighted by priority, and the secretary gives it to a
volunteer through the row's action drawer and its picker."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dispatch.models import HelpRequest, Status
from tests import personas
from tests.e2e.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.stack,
    pytest.mark.django_db(transaction=True),
]

WAIT_MS = 60_000  # a generous bound for a loaded machine, not a speed claim


@pytest.fixture
def duc_an() -> dict:
    commune = personas.duc_an_commune()
    thon_1 = personas.village(commune, personas.THON_1)
    an = personas.AN.join(personas.team(commune, personas.THON_1.team_name, thon_1))
    secretary = personas.secretary_of(commune).user
    return {"commune": commune, "thon_1": thon_1, "an": an, "secretary": secretary}


def test_a_new_request_appears_on_the_board_live_and_the_secretary_gives_it_to_a_volunteer(
    live_stack: str, browser_page, duc_an
) -> None:
    client = Client()
    client.force_login(duc_an["secretary"])
    browser_page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_stack,
            }
        ]
    )
    browser_page.goto(f"{live_stack}/board/")
    browser_page.wait_for_selector("#b-conn[data-state=online]", timeout=WAIT_MS)

    # A relative asks on the public form in another tab: the stack does the rest.
    resident = browser_page.context.new_page()
    resident.goto(f"{live_stack}/help/{duc_an['thon_1'].slug}/")
    resident.check("input[name=category][value=vneid]")
    resident.check("input[name=flags][value=elderly]")
    resident.fill("input[name=resident_phone]", "0912 345 678")
    resident.check("input[name=consent]")
    resident.click("main form button[type=submit]")
    resident.wait_for_url(re.compile(r"/track/"), timeout=WAIT_MS)
    request = HelpRequest.objects.get(code=resident.url.rstrip("/").rsplit("/", 1)[-1])
    resident.close()
    browser_page.bring_to_front()
    row = browser_page.locator(f"tr.b-row[data-request='{request.pk}']")
    row.wait_for(timeout=WAIT_MS)
    assert int(row.get_attribute("data-priority")) >= 1
    assert "0912" not in row.inner_text()
    browser_page.screenshot(path=str(ARTIFACTS / "board_1_new_request.png"))

    # The row's action drawer: the picker lists who may take it, best first.
    row.locator("button.b-open").click()
    drawer = browser_page.locator("#b-drawer")
    drawer.locator("label.b-pick", has_text="Nguyễn Văn An").locator("input").check(
        timeout=WAIT_MS
    )
    drawer.get_by_role("button", name="Giao việc", exact=True).click()
    browser_page.locator("#b-notice", has_text=request.code).wait_for(timeout=WAIT_MS)

    assert HelpRequest.objects.get(pk=request.pk).status == Status.ACCEPTED
    assert (
        "Nguyễn Văn An"
        in browser_page.locator(f"tr.b-row[data-request='{request.pk}']").inner_text()
    )
    browser_page.screenshot(path=str(ARTIFACTS / "board_2_reassigned.png"))
