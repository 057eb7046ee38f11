"""Whole months of a period are read from month rows, and give the very same figures.

A month row is the sum of the month's day rows; percentiles come from the summed
histograms, so they are the same numbers the requests themselves give.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dispatch.dashboard import equity, kpis, tokens
from dispatch.dashboard.kpis import Filters, Period
from dispatch.figures import refresh
from dispatch.figures.tally import COUNTS
from dispatch.help_requests import lifecycle, offers
from dispatch.models import HelpRequest, MonthTally, Offer, Status, TallyState
from tests.dispatch.kpi_history import make_request, offer
from tests.personas import open_offer_of, submit_for_lan

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=3)  # past refresh.LAG: the refresh may take every event
FIRST, LAST = dt.date(2026, 6, 20), dt.date(2026, 10, 25)
AUGUST = Period.month(2026, 8)
PERIODS = {
    "June 20 to October 25": Period.from_dates(FIRST, LAST),
    "July to October, whole months": Period.from_dates(
        dt.date(2026, 7, 1), dt.date(2026, 10, 31)
    ),
    "August": AUGUST,
    "mid-July to mid-September": Period.from_dates(
        dt.date(2026, 7, 15), dt.date(2026, 9, 10)
    ),
    "inside September": Period.from_dates(dt.date(2026, 9, 5), dt.date(2026, 9, 25)),
}


def local(day: dt.date, seconds: int) -> dt.datetime:
    midnight = dt.datetime.combine(day, dt.time.min, timezone.get_default_timezone())
    return midnight + dt.timedelta(seconds=seconds)


def invent_months(duc_an, rng: random.Random, count: int, prefix: str = "H") -> None:
    """`count` varied requests from 20 June to 25 October 2026 (the KPI factory)."""
    d = duc_an
    places = [
        (d.thon_1, d.team_thon_1),
        (d.thon_5, d.team_thon_5),
        (d.thon_15, d.team_thon_15),
        (d.bu_bir, d.specialists),
        (d.thon_5, None),
    ]
    span = (LAST - FIRST).days + 1
    for i in range(count):
        day = FIRST + dt.timedelta(days=rng.randrange(span))
        village, team = rng.choice(places)
        kind = rng.choice(["open", "accepted", "closed", "closed", "cancelled"])
        accept = rng.randint(1, 600) if kind in ("accepted", "closed") else None
        done = kind == "closed"
        request = make_request(
            d,
            f"DA-{prefix}{i}",
            local(day, rng.randrange(86_400)),
            village=village,
            team=team,
            category=rng.choice(["vneid", "dossier", "scam", "portal", "other"]),
            channel=rng.choice(["sms", "voice", "web", "operator"]),
            phone=f"+8490100{rng.randrange(12):04d}",  # few phones: some repeat
            accept=accept,
            contact=accept + rng.randint(0, 300) if done and accept else None,
            resolve=accept + rng.randint(300, 5000) if done and accept else None,
            on_time=rng.random() < 0.7 if done else None,
            rating=rng.choice([None, 1, 3, 4, 5]) if done else None,
            escalate=rng.randint(5, 60) if rng.random() < 0.1 else None,
            status={
                "open": Status.ROUTED,
                "accepted": Status.ACCEPTED,
                "closed": Status.CLOSED,
                "cancelled": Status.CANCELLED,
            }[kind],
        )
        if rng.random() < 0.2:
            state = rng.choice([Offer.State.DECLINED, Offer.State.EXPIRED])
            offer(request, d.team_thon_1, 1, state)


def submitted_on(duc_an, day: dt.date, phone: str) -> HelpRequest:
    """Bà Lan's request through the real services, moved back to `day`."""
    request = submit_for_lan(duc_an, resident_phone=phone)
    HelpRequest.objects.filter(pk=request.pk).update(created_at=local(day, 30_000))
    request.refresh_from_db()
    return request


def filters_of(duc_an) -> list[Filters]:
    """No filter, each single one, every pair, a team with a pair, and three others."""
    team, village = duc_an.team_thon_1.pk, duc_an.thon_1.pk
    return [
        Filters(),
        Filters(team_id=team),
        Filters(village_id=duc_an.thon_5.pk),
        Filters(category="vneid"),
        Filters(channel="voice"),
        Filters(team_id=team, village_id=village),
        Filters(team_id=team, category="vneid"),
        Filters(team_id=team, channel="sms"),
        Filters(village_id=village, category="vneid"),
        Filters(village_id=village, channel="sms"),
        Filters(category="vneid", channel="sms"),
        Filters(team_id=team, village_id=village, category="vneid"),
        Filters(village_id=village, category="vneid", channel="sms"),  # not stored
    ]


def api_figures(duc_an, key: str) -> dict:
    """What /api/v1/kpis answers, per period and filter, and the village equity rows."""
    found = {}
    for name, period in PERIODS.items():
        for chosen in filters_of(duc_an):
            params = {
                "date_from": period.first_day.isoformat(),
                "date_to": period.last_day.isoformat(),
                **chosen.as_query(),
            }
            response = Client().get(
                "/api/v1/kpis", params, HTTP_AUTHORIZATION=f"Token {key}"
            )
            assert response.status_code == 200, response.content
            found[name, str(params)] = response.json()
        found[name, "villages"] = equity.village_rates(
            commune=duc_an.commune, period=period
        )
    return found


def from_the_requests(duc_an, key: str) -> dict:
    """The same figures with every stored tally set aside (tallied from the requests)."""
    with transaction.atomic():
        TallyState.objects.update(built_at=None)
        found = api_figures(duc_an, key)
        transaction.set_rollback(True)
    return found


def month_rows(commune) -> list[tuple]:
    rows = MonthTally.objects.filter(commune=commune).values_list(
        "grouping",
        "month",
        "team_id",
        "village_id",
        "category",
        "channel",
        *COUNTS,
        "accept_seconds",
        "times",
    )
    found = [(*row[:-2], round(row[-2], 3), sorted(row[-1].items())) for row in rows]
    return sorted(found, key=str)


@pytest.fixture
def key(duc_an) -> str:
    return tokens.create_token(user=duc_an.secretary.user, name="bảng tính")[1]


def test_month_rows_give_exactly_the_figures_of_the_requests(duc_an, key):
    invent_months(duc_an, random.Random(19), 160)
    expected = from_the_requests(duc_an, key)

    refresh.rebuild(commune=duc_an.commune)

    months = MonthTally.objects.filter(commune=duc_an.commune, grouping="")
    assert {m.month for m in months} >= {dt.date(2026, m, 1) for m in range(6, 11)}
    assert api_figures(duc_an, key) == expected
    august = expected[
        "August", str({"date_from": "2026-08-01", "date_to": "2026-08-31"})
    ]
    assert august["summary"]["received"] > 20  # the months were full
    assert august["summary"]["durations_seconds"]["resolve"]["n"] > 5


def test_work_on_old_requests_moves_their_month_rows_exactly(duc_an, key):
    rng = random.Random(4)
    invent_months(duc_an, rng, 120)
    in_august = [
        submitted_on(duc_an, dt.date(2026, 8, day), f"+849020000{day:02d}")
        for day in (3, 14, 14, 28)
    ]
    refresh.rebuild(commune=duc_an.commune, now=timezone.now() + LATER)
    first, offered = in_august[0], open_offer_of(in_august[0])
    volunteer = offered.team.volunteers.filter(on_duty=True).first()
    offers.accept_offer(offer=offered, volunteer=volunteer)
    first = lifecycle.start_request(request=first, volunteer=volunteer)
    first = lifecycle.resolve_request(
        request=first, outcome="solved_remote", volunteer=volunteer
    )
    lifecycle.rate_request(request=first, rating=4)
    lifecycle.close_request(request=first)
    lifecycle.cancel_request(request=in_august[2], actor_kind="staff")
    refresh.mark_stale(  # e.g. retention: changed without an event
        commune_id=duc_an.commune.pk,
        arrivals=[local(dt.date(2026, 9, 9), 0), local(dt.date(2026, 7, 2), 0)],
    )
    # Not yet refreshed: August holds changed days, so it is read from its days.
    assert api_figures(duc_an, key) == from_the_requests(duc_an, key)

    refresh.refresh(commune=duc_an.commune, now=timezone.now() + LATER)

    moved = month_rows(duc_an.commune)
    assert api_figures(duc_an, key) == from_the_requests(duc_an, key)
    refresh.rebuild(commune=duc_an.commune, now=timezone.now() + LATER)
    assert moved == month_rows(duc_an.commune)  # the same rows a fresh build writes
    august = kpis.summary(commune=duc_an.commune, period=AUGUST, filters=Filters())
    assert august.cancelled >= 1 and august.rated >= 1


def test_a_whole_month_is_read_from_its_month_row(duc_an):
    invent_months(duc_an, random.Random(5), 60)
    refresh.rebuild(commune=duc_an.commune)
    stored = MonthTally.objects.get(
        commune=duc_an.commune, grouping="", month=dt.date(2026, 8, 1)
    )
    MonthTally.objects.filter(pk=stored.pk).update(
        times={"accept": {"7200": 1}, "contact": {}, "resolve": {}}
    )
    by_team = MonthTally.objects.filter(
        commune=duc_an.commune,
        grouping="team",
        month=dt.date(2026, 8, 1),
        team=duc_an.team_thon_1,
    )
    by_team.update(received=1000)

    report = kpis.report(commune=duc_an.commune, period=AUGUST, filters=Filters())

    accept = report.summary.durations["accept"]
    assert (accept["n"], accept["p50"], accept["p90"]) == (1, 7200, 7200)
    row = next(r for r in report.teams if r["team_id"] == duc_an.team_thon_1.pk)
    assert row["received"] == 1000


def _reads(duc_an) -> tuple[list[int], list[str]]:
    counts, sql = [], []
    for period in PERIODS.values():
        for chosen in filters_of(duc_an)[:-1]:  # every stored slice
            with CaptureQueriesContext(connection) as ctx:
                kpis.report(commune=duc_an.commune, period=period, filters=chosen)
                equity.village_rates(commune=duc_an.commune, period=period)
            counts.append(len(ctx.captured_queries))
            sql += [q["sql"] for q in ctx.captured_queries]
    return counts, sql


def one_in_every_slice(duc_an) -> None:
    """A request on the 10th of each month in every slice `filters_of` names, so no
    read is of an empty slice (an empty team table needs no team names)."""
    d = duc_an
    for month in range(6, 11):
        for village, team, channel in [
            (d.thon_1, d.team_thon_1, "sms"),
            (d.thon_5, d.team_thon_5, "voice"),
        ]:
            make_request(
                d,
                f"DA-S{month}{channel}",
                local(dt.date(2026, month, 10), 36_000),
                village=village,
                team=team,
                category="vneid",
                channel=channel,
                accept=5,
                contact=10,
                resolve=60,
                on_time=True,
                status=Status.CLOSED,
            )


def test_long_periods_read_the_same_queries_at_any_number_of_requests(duc_an):
    one_in_every_slice(duc_an)
    invent_months(duc_an, random.Random(6), 40)
    refresh.rebuild(commune=duc_an.commune, now=timezone.now() + LATER)
    small, _ = _reads(duc_an)
    invent_months(duc_an, random.Random(7), 200, prefix="M")
    refresh.rebuild(commune=duc_an.commune, now=timezone.now() + LATER)

    large, sql = _reads(duc_an)

    assert large == small
    assert not [q for q in sql if '"dispatch_helprequest"' in q]
    assert [q for q in sql if '"dispatch_monthtally"' in q]
