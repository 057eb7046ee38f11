"""The dashboard's figures come from stored day tallies, and are never stale for it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dispatch.dashboard import equity, kpis
from dispatch.dashboard.kpis import Filters, Period
from dispatch.errors import DispatchError
from dispatch.figures import refresh
from dispatch.figures.tally import Tally, two_figures
from dispatch.help_requests import lifecycle, offers
from dispatch.models import (
    DayTally,
    HelpRequest,
    RequestEvent,
    StaleDay,
    TallyState,
)
from dispatch.privacy import retention
from tests.dispatch.kpi_history import OCTOBER, build_october, local
from tests.personas import nam_binh_commune, open_offer_of, submit_for_lan

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=3)  # past refresh.LAG: the refresh may take every event


def figures(duc_an, period=OCTOBER, **filters):
    """Everything the dashboard shows for a period, as plain data."""
    commune, chosen = duc_an.commune, Filters(**filters)
    args = {"commune": commune, "period": period, "filters": chosen}
    return {
        "summary": dataclasses.asdict(kpis.summary(**args)),
        "teams": kpis.per_team(**args),
        "trends": kpis.trends(**args),
        "villages": equity.village_rates(commune=commune, period=period),
    }


def every_filter(duc_an):
    return [
        {},
        {"team_id": duc_an.team_thon_1.pk},
        {"village_id": duc_an.thon_5.pk},
        {"category": "vneid"},
        {"channel": "voice"},
        {"team_id": duc_an.team_thon_1.pk, "channel": "sms"},
        {"category": "vneid", "channel": "sms"},
        {"village_id": duc_an.thon_1.pk, "category": "vneid"},
        {
            "team_id": duc_an.team_thon_1.pk,
            "village_id": duc_an.thon_1.pk,
            "category": "vneid",
        },  # three: from the requests
    ]


def test_stored_tallies_give_exactly_the_figures_of_the_requests_themselves(duc_an):
    build_october(duc_an)
    from_requests = [figures(duc_an, **f) for f in every_filter(duc_an)]

    refresh.rebuild(commune=duc_an.commune)

    assert TallyState.objects.get(commune=duc_an.commune).built_at is not None
    assert [figures(duc_an, **f) for f in every_filter(duc_an)] == from_requests


def test_once_built_the_figures_are_read_from_the_stored_rows(duc_an):
    build_october(duc_an)
    refresh.rebuild(commune=duc_an.commune)
    stored = DayTally.objects.get(
        commune=duc_an.commune, grouping="", day=dt.date(2026, 10, 12)
    )
    assert stored.received == 1  # K3

    DayTally.objects.filter(pk=stored.pk).update(received=41)

    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters())
    assert s.received == 6 + 40


def test_a_request_handled_after_the_last_refresh_counts_at_once(duc_an):
    today = Period.last_days(1)
    refresh.rebuild(commune=duc_an.commune)
    request = submit_for_lan(duc_an)
    offers.accept_offer(offer=open_offer_of(request), volunteer=duc_an.an)
    request = lifecycle.start_request(request=request, volunteer=duc_an.an)
    lifecycle.resolve_request(
        request=request, outcome="solved_remote", volunteer=duc_an.an
    )
    assert figures(duc_an, period=today)["summary"]["processed"] == 0  # not closed yet
    lifecycle.close_request(request=request)

    before_refresh = figures(duc_an, period=today)
    refresh.refresh(commune=duc_an.commune, now=timezone.now() + LATER)

    assert before_refresh["summary"]["processed"] == 1
    assert figures(duc_an, period=today) == before_refresh
    assert (
        DayTally.objects.get(
            commune=duc_an.commune, grouping="", day=timezone.localdate()
        ).processed
        == 1
    )


def test_the_refresh_leaves_events_younger_than_two_minutes_for_the_next_one(duc_an):
    today = Period.last_days(1)
    refresh.rebuild(commune=duc_an.commune, now=timezone.now() + LATER)
    before = kpis.summary(commune=duc_an.commune, period=today, filters=Filters())
    request = submit_for_lan(duc_an)

    refresh.refresh(commune=duc_an.commune)  # the request's events are seconds old

    state = TallyState.objects.get(commune=duc_an.commune)
    assert not request.events.filter(id__lte=state.event_id).exists()
    s = kpis.summary(commune=duc_an.commune, period=today, filters=Filters())
    assert s.received == before.received + 1


def test_retention_marks_the_days_whose_repeats_it_changed(duc_an):
    build_october(duc_an)
    refresh.rebuild(commune=duc_an.commune)
    HelpRequest.objects.filter(code="DA-K7").update(
        status="closed", closed_at=local(1, 9) - dt.timedelta(days=400)
    )

    retention.anonymise_expired(now=local(20, 9))

    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters())
    assert s.repeat_requests == 1  # K1 no longer follows K7; K2 still follows K1
    assert StaleDay.objects.filter(commune=duc_an.commune).exists()
    refresh.refresh(commune=duc_an.commune, now=timezone.now() + LATER)
    assert not StaleDay.objects.filter(commune=duc_an.commune).exists()
    assert (
        kpis.summary(
            commune=duc_an.commune, period=OCTOBER, filters=Filters()
        ).repeat_requests
        == 1
    )


def test_a_newer_rebuild_stops_an_older_one_and_no_day_is_counted_twice(duc_an):
    build_october(duc_an)
    started = []

    def start_another(_n):
        if not started:
            started.append(True)
            refresh.rebuild(commune=duc_an.commune)

    with pytest.raises(refresh.RebuildSuperseded):
        refresh.rebuild(commune=duc_an.commune, progress=start_another)

    duplicated = (
        DayTally.objects.values(
            "grouping", "day", "team", "village", "category", "channel"
        )
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicated.exists()
    s = kpis.summary(commune=duc_an.commune, period=OCTOBER, filters=Filters())
    assert s.received == 6


def test_the_scheduled_refresh_builds_the_tallies_the_first_time(duc_an):
    build_october(duc_an)

    call_command("refresh_kpis", verbosity=0)

    assert TallyState.objects.get(commune=duc_an.commune).built_at is not None
    days = {timezone.localdate(r.created_at) for r in HelpRequest.objects.all()}
    assert len(days) >= 4  # October's four days, and the fixture's own requests
    stored = DayTally.objects.filter(commune=duc_an.commune, grouping="")
    assert set(stored.values_list("day", flat=True)) == days


def test_the_refresh_runs_every_minute():
    from dispatch import tasks

    declared = {s.func: s.minutes for s in tasks.SCHEDULES}
    assert declared["dispatch.tasks.refresh_tallies"] == 1


def test_a_rebuild_from_the_command_line_shows_its_progress(duc_an, capsys):
    build_october(duc_an)

    call_command("refresh_kpis", "--rebuild", verbosity=1)

    out, err = capsys.readouterr()
    assert "Đức An: " in out and "days tallied" in out
    total = HelpRequest.objects.filter(commune=duc_an.commune).count()
    assert f"{total}/{total}" in err  # tqdm's bar: every request of the commune


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, 0), (59.4, 59), (99, 99), (437, 440), (452, 450), (1204, 1200), (995, 1000)],
)
def test_times_are_kept_to_two_significant_figures(seconds, shown):
    assert two_figures(seconds) == shown


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=60))
def test_a_percentile_of_the_histogram_is_the_exact_percentile_rounded(times):
    tally = Tally()
    for seconds in times:
        tally.add_times("accept", {two_figures(seconds): 1})
    ordered = sorted(times)

    for p in (50, 90):
        rank = max(-(-p * len(times) // 100), 1)
        assert tally.percentile("accept", p) == two_figures(ordered[rank - 1])


def test_the_minute_task_refreshes_only_communes_with_changes(duc_an):
    quiet = nam_binh_commune()
    refresh.refresh_all(now=timezone.now() + LATER)  # builds Đức An: it has requests
    assert TallyState.objects.filter(commune=duc_an.commune).exists()
    assert not TallyState.objects.filter(commune=quiet).exists()

    assert refresh.refresh_all(now=timezone.now() + LATER) == 0  # nothing changed
    submit_for_lan(duc_an)
    later = timezone.now() + LATER

    assert refresh.refresh_all(now=later) == 1  # today, in Đức An
    state = TallyState.objects.get(commune=duc_an.commune)
    assert state.event_id == RequestEvent.objects.order_by("-id").first().pk


def test_an_invented_history_is_counted_even_before_the_next_refresh(duc_an):
    from dispatch.demo import Plan, seed_history

    refresh.rebuild(commune=duc_an.commune)
    plan = Plan(
        commune=duc_an.commune, requests=200, days=20, batch=100, seed=3, duty_days=0
    )

    seed_history(plan=plan)

    period = Period.last_days(21)
    s = kpis.summary(commune=duc_an.commune, period=period, filters=Filters())
    assert (
        s.received
        == HelpRequest.objects.filter(
            created_at__gte=period.start, created_at__lt=period.end
        ).count()
    )
    assert s.received >= 200


def figures_without_stored_tallies(duc_an, period):
    """The same figures, tallied from the requests alone (the tallies set aside)."""
    with transaction.atomic():
        TallyState.objects.update(built_at=None)
        found = figures(duc_an, period=period)
        transaction.set_rollback(True)
    return found


def test_stored_and_live_figures_agree_through_a_day_of_work(duc_an):
    """Random work, refreshes at random moments: the figures never depend on them."""
    rng = random.Random(7)
    today = Period.last_days(1)
    refresh.rebuild(commune=duc_an.commune)
    actions = ["submit"] * 3 + ["take"] * 3 + ["finish"] * 3 + ["rate"] * 2 + ["cancel"]

    def some(**where):
        found = list(HelpRequest.objects.filter(commune=duc_an.commune, **where))
        return rng.choice(found) if found else None

    for step in range(60):
        action = rng.choice(actions)
        try:
            if action == "submit":
                submit_for_lan(duc_an, resident_phone=phone(rng))
            elif action == "take" and (request := some(offers__state="open")):
                offer = open_offer_of(request)
                volunteer = offer.team.volunteers.filter(on_duty=True).first()
                if volunteer:
                    offers.accept_offer(offer=offer, volunteer=volunteer)
            elif action == "finish" and (request := some(status="accepted")):
                volunteer = request.assigned_volunteer
                request = lifecycle.start_request(request=request, volunteer=volunteer)
                lifecycle.resolve_request(
                    request=request, outcome="solved_remote", volunteer=volunteer
                )
            elif action == "rate" and (request := some(status="resolved")):
                lifecycle.rate_request(request=request, rating=rng.randint(1, 5))
                lifecycle.close_request(request=request)  # the resident confirmed
            elif action == "cancel" and (request := some(status="routed")):
                lifecycle.cancel_request(request=request, actor_kind="staff")
        except DispatchError:
            pass  # e.g. a volunteer at capacity: they would see an error, nothing else
        if rng.random() < 0.3:
            moment = timezone.now() + (LATER if rng.random() < 0.7 else dt.timedelta())
            refresh.refresh_all(now=moment)
        if step % 10 == 9:
            assert figures(duc_an, period=today) == figures_without_stored_tallies(
                duc_an, today
            )
    summary = figures(duc_an, period=today)["summary"]
    assert summary["processed"] >= 1 and summary["rated"] >= 1  # the work was real
    assert summary["cancelled"] >= 1 and summary["repeat_requests"] >= 1
    stored = DayTally.objects.get(
        commune=duc_an.commune, grouping="", day=today.first_day
    )
    assert stored.received >= 1  # and some of it went through the stored tallies


def phone(rng) -> str:
    return f"+8490{rng.randint(0, 5):07d}"  # a few phones, so some repeat


def test_a_long_build_goes_on_a_month_at_a_time_across_scheduled_runs(duc_an):
    """The task runner kills a task after a minute: a build must resume, not restart."""
    build_october(duc_an)
    expected = figures(duc_an)
    no_time = dt.timedelta(
        0
    )  # stop after every month, as if each took the whole budget
    later = timezone.now() + LATER

    first_run = refresh.refresh(commune=duc_an.commune, now=later, budget=no_time)

    state = TallyState.objects.get(commune=duc_an.commune)
    # September (K7, the first request, came on the 30th): a whole calendar month of
    # days written, with its month rows; October and the rest to do.
    assert first_run == 30 and state.built_at is None
    assert state.rebuild_next == dt.date(2026, 10, 1)
    assert figures(duc_an) == expected  # meanwhile tallied from the requests
    runs = 1
    while state.built_at is None:
        refresh.refresh(commune=duc_an.commune, now=later, budget=no_time)
        state.refresh_from_db()
        runs += 1
    assert runs >= 2
    assert figures(duc_an) == expected


def test_a_backlog_of_changed_days_is_worked_off_over_several_runs(duc_an):
    build_october(duc_an)
    refresh.rebuild(commune=duc_an.commune)
    expected = figures(duc_an)
    refresh.mark_stale(
        commune_id=duc_an.commune.pk,
        arrivals=[local(1, 9) + dt.timedelta(days=d) for d in range(31)]
        + [local(1, 9, month=9)],
    )

    refresh.refresh(commune=duc_an.commune, budget=dt.timedelta(0))

    left = set(StaleDay.objects.values_list("day", flat=True))
    assert left == {dt.date(2026, 10, 31)}  # 31 days a run, in order
    assert figures(duc_an) == expected
    refresh.refresh(commune=duc_an.commune, budget=dt.timedelta(0))
    assert not StaleDay.objects.exists()
