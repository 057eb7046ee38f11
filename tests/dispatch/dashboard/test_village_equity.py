"""Village equity flags: only a gap that is both large and unlikely to be chance.

The test is the exact conditional binomial test of two Poisson rates: if every household
of the commune asked at the same rate, a village's share of the commune's N requests
would be Binomial(N, its households / all households).
"""

from __future__ import annotations

import pytest

from dispatch.dashboard import equity
from teams.models import Village
from tests.dispatch.kpi_history import OCTOBER, OCTOBER_QUERY, local, make_request
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def requests_from(duc_an, counts: dict) -> None:
    """`counts` requests from each village, over October."""
    Village.objects.filter(commune=duc_an.commune).update(households=0)
    n = 0
    for village, count in counts.items():
        Village.objects.filter(pk=village.pk).update(households=400)
        for i in range(count):
            n += 1
            make_request(
                duc_an,
                f"DA-E{n}",
                local(1 + i % 28, 9),
                village=village,
                team=None,
                category="other",
                channel="sms",
            )


def flags(duc_an) -> dict[str, dict]:
    rates = equity.village_rates(commune=duc_an.commune, period=OCTOBER)
    return {v["village"]: v for v in rates["villages"] if v["households"]}


def test_a_real_gap_is_flagged_and_shown_to_the_secretary(duc_an):
    # Three villages of 400 households: 20, 20 and 2 requests. Each "should" have 14;
    # 2 or fewer out of 42 at a one-in-three share happens about once in 40,000.
    requests_from(duc_an, {duc_an.thon_1: 20, duc_an.thon_5: 20, duc_an.thon_15: 2})

    rows = flags(duc_an)

    assert rows["Thôn 15"]["expected"] == 14.0
    assert rows["Thôn 15"]["p_value"] < 0.0001
    assert rows["Thôn 15"]["flagged"] is True
    assert rows["Thôn 1"]["flagged"] is False and rows["Thôn 5"]["flagged"] is False
    html = client_for(duc_an.secretary.user).get("/dashboard/" + OCTOBER_QUERY)
    row = html.content.decode().split(f'data-village="{duc_an.thon_15.pk}"')[1]
    assert "⚑ thấp bất thường" in row.split("</tr>")[0]


def test_a_large_gap_on_small_numbers_is_not_flagged(duc_an):
    # 8, 8 and 2: Thôn 15 asks at a third of the average (below the 0.5 ratio) and
    # "should" have 6, enough to compare; but 2 or fewer out of 18 happens 3 times in
    # 100 by chance: not below 5 % shared among the 3 villages tested.
    requests_from(duc_an, {duc_an.thon_1: 8, duc_an.thon_5: 8, duc_an.thon_15: 2})

    rows = flags(duc_an)

    assert rows["Thôn 15"]["enough"] is True
    assert 0.02 < rows["Thôn 15"]["p_value"] < 0.05
    assert not any(v["flagged"] for v in rows.values())


def test_a_village_the_commune_rate_gives_fewer_than_five_requests_is_never_flagged(
    duc_an,
):
    # 3, 3 and 0: nobody in Thôn 15 asked, but only 2 were expected.
    requests_from(duc_an, {duc_an.thon_1: 3, duc_an.thon_5: 3, duc_an.thon_15: 0})

    rows = flags(duc_an)

    assert rows["Thôn 15"]["expected"] == 2.0 and rows["Thôn 15"]["enough"] is False
    assert rows["Thôn 15"]["p_value"] is None
    assert not any(v["flagged"] for v in rows.values())


def test_the_exact_binomial_tail_matches_hand_computed_values():
    assert equity.binomial_lower_tail(0, 10, 0.5) == pytest.approx(1 / 1024)
    assert equity.binomial_lower_tail(2, 18, 1 / 3) == pytest.approx(0.0326, abs=1e-4)
    assert equity.binomial_lower_tail(5, 5, 0.3) == 1.0
