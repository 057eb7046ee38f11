"""KPI figures match a hand-computed October exactly (see kpi_history.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dispatch.dashboard import kpis
from dispatch.dashboard.kpis import Filters, Period
from dispatch.figures import refresh
from dispatch.help_requests import lifecycle, offers
from tests.dispatch.kpi_history import (
    OCTOBER,
    PHONES,
    build_october,
    local,
    make_request,
)
from tests.personas import open_offer_of, submit_for_lan

pytestmark = pytest.mark.django_db


def minutes(m: float) -> int:
    return round(m * 60)


def test_it_counts_received_processed_and_on_time_like_the_commune_reports(duc_an):
    build_october(duc_an)

    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters())

    assert (s.received, s.processed, s.on_time) == (6, 4, 3)
    assert s.on_time_percent == 75.0
    assert (s.open, s.cancelled) == (2, 0)


def test_it_counts_escalations_declines_expiries_ratings_and_repeat_phones(duc_an):
    build_october(duc_an)

    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters())

    assert s.escalations == 1
    assert (s.declines, s.expiries) == (1, 2)
    assert (s.rating_avg, s.rated) == (3.67, 3)
    # A repeat is a request from a phone that asked in the 30 days before it: K1 (after
    # K7 on 30 September) and K2 (after K1), all from phone A.
    assert s.repeat_requests == 2


def test_a_phone_that_last_asked_more_than_30_days_ago_is_not_a_repeat(duc_an):
    build_october(duc_an)
    make_request(
        duc_an,
        "DA-OLD",
        local(1, 9, month=9) - dt.timedelta(days=20),  # 12 August, phone C
        village=duc_an.thon_1,
        team=duc_an.team_thon_1,
        category="vneid",
        channel="sms",
        phone=PHONES["C"],
    )

    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters())

    assert s.repeat_requests == 2  # K4 (phone C, 10 October) came 59 days later


def test_it_gives_nearest_rank_median_and_90th_percentile_times(duc_an):
    build_october(duc_an)

    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters())

    assert s.durations["accept"] == {"n": 5, "p50": minutes(15), "p90": minutes(30)}
    assert s.durations["contact"] == {"n": 4, "p50": minutes(30), "p90": minutes(45)}
    assert s.durations["resolve"] == {"n": 4, "p50": minutes(100), "p90": minutes(3000)}


@pytest.mark.parametrize(
    ("filters", "received", "processed"),
    [
        ("team", 2, 2),
        ("village", 2, 1),
        ({"category": "vneid"}, 2, 2),
        ({"channel": "voice"}, 2, 2),
    ],
)
def test_it_narrows_every_figure_by_team_village_category_or_channel(
    duc_an, filters, received, processed
):
    build_october(duc_an)
    if filters == "team":
        filters = {"team_id": duc_an.team_thon_1.pk}
    elif filters == "village":
        filters = {"village_id": duc_an.thon_5.pk}

    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters(**filters))

    assert (s.received, s.processed) == (received, processed)


def test_it_lists_each_team_with_its_own_on_time_share(duc_an):
    build_october(duc_an)

    rows = kpis.per_team(commune=duc_an.commune, period=OCTOBER, filters=Filters())

    by_team = {r["team"]: r for r in rows}
    assert by_team["Tổ Thôn 1"]["received"] == 2
    assert by_team["Tổ Thôn 1"]["on_time_percent"] == 100.0
    assert by_team["Tổ Thôn 1"]["accept_avg_minutes"] == 7.5
    assert by_team["Tổ Thôn 5"]["on_time_percent"] == 0.0
    assert by_team["Tổ chuyên viên xã"]["escalations"] == 1
    assert by_team["Tổ Thôn 15"]["on_time_percent"] is None
    assert by_team[""]["received"] == 1  # K6, no team yet


def test_it_draws_a_daily_series_with_every_day_of_the_month(duc_an):
    build_october(duc_an)

    daily = kpis.trend(commune=duc_an.commune, period=OCTOBER, filters=Filters())
    weekly = kpis.trend(
        commune=duc_an.commune, period=OCTOBER, filters=Filters(), by="week"
    )

    assert len(daily) == 31
    by_day = {d["date"]: d for d in daily}
    assert by_day["2026-10-10"]["received"] == 5
    assert by_day["2026-10-12"] == {
        "date": "2026-10-12",
        "received": 1,
        "processed": 1,
        "on_time": 0,
    }
    assert sum(w["received"] for w in weekly) == 6
    assert weekly[0]["date"] == "2026-09-28"  # the Monday of the week of 1 October


def test_it_counts_a_request_that_went_through_the_real_services(duc_an):
    today = Period.last_days(1)
    before = kpis.summary(commune=duc_an.commune, period=today, filters=Filters())
    request = submit_for_lan(duc_an)
    offers.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    request = lifecycle.start_request(request=request, volunteer=duc_an.an)
    lifecycle.resolve_request(
        request=request, outcome="solved_remote", volunteer=duc_an.an
    )
    resolved = kpis.summary(commune=duc_an.commune, period=today, filters=Filters())
    # Resolved is not yet processed: the resident may still say "chưa xong".
    assert resolved.processed == before.processed
    lifecycle.close_request(request=request)

    s = kpis.summary(commune=duc_an.commune, period=today, filters=Filters())

    assert (s.received - before.received, s.processed - before.processed) == (1, 1)
    assert (s.on_time, s.on_time_percent) == (1, 100.0)
    assert s.durations["accept"]["n"] - before.durations["accept"]["n"] == 1


def _queries(commune) -> int:
    with CaptureQueriesContext(connection) as ctx:
        kpis.summary(commune=commune, period=OCTOBER, filters=Filters())
        kpis.per_team(commune=commune, period=OCTOBER, filters=Filters())
        kpis.trend(commune=commune, period=OCTOBER, filters=Filters())
    return len(ctx.captured_queries)


def _forty_more_requests(duc_an) -> None:
    for i in range(40):
        make_request(
            duc_an,
            f"DA-M{i}",
            local(1 + i % 28, 9) + dt.timedelta(minutes=i),
            village=duc_an.thon_1,
            team=duc_an.team_thon_1,
            category="vneid",
            channel="sms",
            accept=3,
            contact=9,
            resolve=30,
            on_time=True,
            status="resolved",
        )


@pytest.mark.parametrize("tallies", ["tallied from the requests", "stored"])
def test_its_query_count_does_not_grow_with_the_number_of_requests(duc_an, tallies):
    build_october(duc_an)
    if tallies == "stored":
        refresh.rebuild(commune=duc_an.commune)
    small = _queries(duc_an.commune)
    _forty_more_requests(duc_an)
    if tallies == "stored":
        refresh.rebuild(commune=duc_an.commune)

    assert _queries(duc_an.commune) == small


def test_a_request_just_after_local_midnight_counts_on_the_local_day(duc_an):
    make_request(
        duc_an,
        "DA-N1",
        local(11, 0, 30),  # 17:30 UTC on 10 October
        village=duc_an.thon_1,
        team=duc_an.team_thon_1,
        category="vneid",
        channel="sms",
    )

    daily = kpis.trend(commune=duc_an.commune, period=OCTOBER, filters=Filters())

    by_day = {d["date"]: d["received"] for d in daily}
    assert (by_day["2026-10-10"], by_day["2026-10-11"]) == (0, 1)


LATER = dt.timedelta(minutes=3)  # past refresh.LAG: the rebuild takes every event


def _pair_filters(duc_an) -> list[Filters]:
    """Every pair of filters the page and the API offer."""
    team, village = duc_an.team_thon_1.pk, duc_an.thon_1.pk
    return [
        Filters(team_id=team, village_id=village),
        Filters(team_id=team, category="vneid"),
        Filters(team_id=team, channel="sms"),
        Filters(village_id=village, category="vneid"),
        Filters(village_id=village, channel="sms"),
        Filters(category="vneid", channel="sms"),
    ]


def _pair_reads(duc_an) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """(received, teams listed) and the SQL of each pair's headline and team table."""
    figures, sql = [], []
    for chosen in _pair_filters(duc_an):
        with CaptureQueriesContext(connection) as ctx:
            report = kpis.report(commune=duc_an.commune, period=OCTOBER, filters=chosen)
        figures.append((report.summary.received, len(report.teams)))
        sql.append([q["sql"] for q in ctx.captured_queries])
    return figures, sql


def test_every_pair_of_filters_reads_stored_tallies_with_the_same_queries_at_any_size(
    duc_an,
):
    build_october(duc_an)
    refresh.rebuild(commune=duc_an.commune, now=timezone.now() + LATER)
    small_figures, small = _pair_reads(duc_an)
    _forty_more_requests(duc_an)  # Thôn 1, team Thôn 1, vneid, sms
    refresh.rebuild(commune=duc_an.commune, now=timezone.now() + LATER)

    large_figures, large = _pair_reads(duc_an)

    assert [len(q) for q in large] == [len(q) for q in small]
    # Read from the day tallies: not one query reads the requests themselves.
    assert not [q for qs in large for q in qs if '"dispatch_helprequest"' in q]
    assert [
        r - s for (r, _), (s, _) in zip(large_figures, small_figures, strict=True)
    ] == [40] * 6
