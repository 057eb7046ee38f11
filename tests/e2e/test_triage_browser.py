"""Triage in a real browser: an SMS naming two villages lands in the board's triage tab
with both as candidates; one click routes it to that village's team, live."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from dispatch.models import HelpRequest, Offer
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from tests.e2e.conftest import post_smsgate_sms, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.stack]

WAIT_MS = 60_000
HOTLINE = "+84368000123"


@pytest.fixture
def two_villages(live_stack, browser_page, transactional_db) -> Commune:
    commune = Commune.objects.create(
        name="Đức An",
        code="DA",
        province="Lâm Đồng",
        lat=11.93,
        lng=107.62,
        hotline_numbers=[HOTLINE],
    )
    users = get_user_model().objects
    for number, name, lat in ((5, "Thôn 5", 11.90), (20, "Bon Bu Bir", 11.95)):
        village = Village.objects.create(
            commune=commune, name=name, number=number, lat=lat, lng=107.60
        )
        team = SupportTeam.objects.create(
            commune=commune, name=f"Tổ {name}", base_lat=lat, base_lng=107.60
        )
        team.villages.set([village])
        Volunteer.objects.create(
            user=users.create_user(f"tnv{number}"),
            team=team,
            full_name=f"Người trực {name}",
            phone=f"+849120000{number:02d}",
            on_duty=True,
        )
    SupportTeam.objects.create(
        commune=commune,
        name="Tổ chuyên viên xã",
        base_lat=11.93,
        base_lng=107.62,
        kind=SupportTeam.Kind.SPECIALISTS,
    )
    StaffMember.objects.create(
        user=users.create_user("tongdai", first_name="Phúc"),
        commune=commune,
        role=StaffMember.Role.OPERATOR,
    )
    return commune


def test_an_sms_naming_two_villages_is_placed_from_the_triage_tab(
    live_stack: str, browser_page, two_villages
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page.context, live_stack, "tongdai")
    page.goto(f"{live_stack}/board/", wait_until="domcontentloaded")
    page.wait_for_selector("#b-conn[data-state=online]", timeout=WAIT_MS)

    text = "Toi o thon 5 hay bon bu bir, can kich hoat VNeID"
    assert (
        post_smsgate_sms(live_stack, text, sender="0912777888", hotline=HOTLINE) == 200
    )

    page.get_by_role("tab", name="Cần phân loại (1)").click(timeout=WAIT_MS)
    request = HelpRequest.objects.get(commune=two_villages)
    assert request.needs_triage
    row = page.locator(f'tr.b-row:has(a.b-code:text-is("{request.code}"))')
    row.get_by_role("button", name="Bon Bu Bir").click(timeout=WAIT_MS)

    page.get_by_role("tab", name="Cần phân loại (0)").wait_for(timeout=WAIT_MS)
    page.get_by_role("tab", name="Tất cả").click()
    row.locator(".b-team", has_text="Tổ Bon Bu Bir").wait_for(timeout=WAIT_MS)
    assert row.locator(".b-village").inner_text() == "Bon Bu Bir"
    offer = Offer.objects.get(request=request, state=Offer.State.OPEN)
    assert offer.team.name == "Tổ Bon Bu Bir"
