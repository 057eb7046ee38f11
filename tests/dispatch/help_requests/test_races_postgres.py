"""Real concurrency on PostgreSQL: many volunteers tap "accept" at the same moment."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from dispatch.errors import DispatchError, OfferAlreadyTaken, OfferExpired
from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, Offer, RequestEvent, Status
from tests.personas import make_volunteer, open_offer_of, submit_for_lan

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite runs one writer at a time, so it cannot show a "
            "race (run the second leg with DATABASE_URL=postgres://…)"
        )


def run_together(count: int, work) -> list[object]:
    """Start `count` threads at the same instant; each returns a result or an error."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def runner(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # collected and asserted on below
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_of_twenty_four_simultaneous_accepts_exactly_one_wins(duc_an):
    volunteers = [duc_an.an] + [
        make_volunteer(
            duc_an.team_thon_1,
            f"Tình nguyện viên {i}",
            f"+8491300{i:04d}",
            on_duty=True,
        )
        for i in range(23)
    ]
    request = submit_for_lan(duc_an)
    offer = open_offer_of(request)

    results = run_together(
        len(volunteers),
        lambda i: lifecycle.accept_offer(offer=offer, volunteer=volunteers[i]),
    )

    winners = [r for r in results if isinstance(r, HelpRequest)]
    losers = [r for r in results if isinstance(r, DispatchError)]
    assert len(winners) == 1, results
    assert len(losers) == len(volunteers) - 1
    assert all(isinstance(r, OfferAlreadyTaken) for r in losers), results
    request.refresh_from_db()
    assert request.status == Status.ACCEPTED
    assert request.assigned_volunteer_id == winners[0].assigned_volunteer_id
    assert RequestEvent.objects.filter(request=request, kind="accepted").count() == 1


def test_an_accept_racing_the_expiry_never_both_win(duc_an):
    for attempt in range(10):
        request = submit_for_lan(duc_an, resident_phone=f"09771000{attempt:02d}")
        offer = open_offer_of(request)
        # Due in a moment: the accept may still make it, or the sweep wins.
        Offer.objects.filter(pk=offer.pk).update(
            expires_at=timezone.now() + timedelta(milliseconds=30)
        )
        offer.refresh_from_db()

        def work(index: int, offer=offer):
            if index == 0:
                return lifecycle.accept_offer(offer=offer, volunteer=duc_an.an)
            while timezone.now() <= offer.expires_at + timedelta(milliseconds=5):
                pass
            return lifecycle.expire_offer(offer=Offer.objects.get(pk=offer.pk))

        accepted, expired = run_together(2, work)
        offer.refresh_from_db()
        if isinstance(accepted, HelpRequest):
            assert expired is False
            assert offer.state == Offer.State.ACCEPTED
        else:
            assert isinstance(accepted, OfferExpired | OfferAlreadyTaken), accepted
            assert expired is True
            assert offer.state == Offer.State.EXPIRED
        # The resident's request is never both taken and moved on.
        request.refresh_from_db()
        kinds = set(
            RequestEvent.objects.filter(request=request).values_list("kind", flat=True)
        )
        assert not {"accepted", "offer_expired"} <= kinds
        if request.status == Status.ACCEPTED:
            lifecycle.resolve_request(
                request=request, outcome="solved_remote", volunteer=duc_an.an
            )


def test_two_sweeps_at_once_expire_each_offer_once(duc_an):
    requests = [
        submit_for_lan(duc_an, resident_phone=f"09772000{i:02d}") for i in range(5)
    ]
    Offer.objects.filter(request__in=requests).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    counts = run_together(2, lambda i: lifecycle.sweep_offers())
    assert sum(counts) == 5, counts
    for request in requests:
        assert (
            RequestEvent.objects.filter(request=request, kind="offer_expired").count()
            == 1
        )
        assert Offer.objects.filter(request=request, state="open").count() == 1


def test_refreshes_and_rebuilds_at_the_same_moment_store_each_day_once(duc_an):
    from django.db.models import Count

    from dispatch.dashboard import kpis
    from dispatch.figures import refresh
    from dispatch.models import DayTally, MonthTally

    refresh.rebuild(commune=duc_an.commune)
    for _ in range(3):
        submit_for_lan(duc_an)
    later = timezone.now() + timedelta(minutes=3)

    def work(index: int) -> int:
        if index % 3 == 0:
            return refresh.rebuild(commune=duc_an.commune, now=later)
        return refresh.refresh(commune=duc_an.commune, now=later)

    results = run_together(6, work)

    unexpected = [
        r
        for r in results
        if isinstance(r, Exception) and not isinstance(r, refresh.RebuildSuperseded)
    ]
    assert not unexpected
    duplicated = (
        DayTally.objects.values(
            "grouping", "day", "team", "village", "category", "channel"
        )
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicated.exists()
    months = (
        MonthTally.objects.values(
            "grouping", "month", "team", "village", "category", "channel"
        )
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not months.exists()
    this_month = timezone.localdate().replace(day=1)
    assert MonthTally.objects.get(grouping="", month=this_month).received == sum(
        DayTally.objects.filter(grouping="", day__gte=this_month).values_list(
            "received", flat=True
        )
    )
    today = kpis.Period.last_days(1)
    received = kpis.summary(
        commune=duc_an.commune, period=today, filters=kpis.Filters()
    ).received
    assert (
        received
        == HelpRequest.objects.filter(
            created_at__gte=today.start, created_at__lt=today.end
        ).count()
    )
