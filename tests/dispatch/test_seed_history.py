"""manage.py seed_history writes a realistic past the dashboard can read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from dispatch.dashboard import kpis
from dispatch.models import DutyChange, HelpRequest, Offer, Status

pytestmark = pytest.mark.django_db


def test_it_seeds_requests_with_on_time_and_late_ones_and_a_duty_log(demo_commune):
    call_command("seed_history", requests=400, days=20, duty_days=3, verbosity=0)

    history = HelpRequest.objects.filter(code__startswith="DA-H")
    summary = kpis.summary(
        commune=demo_commune,
        period=kpis.Period.last_days(25),
        filters=kpis.Filters(),
    )
    assert history.count() == 400
    assert history.values("village").distinct().count() > 15
    assert 0 < summary.on_time < summary.processed < summary.received
    assert summary.repeat_requests > 0
    assert Offer.objects.filter(request__in=history).exists()
    assert DutyChange.objects.exists()


def test_every_seeded_request_and_offer_is_complete_and_valid(demo_commune):
    started = timezone.now()
    call_command(
        "seed_history", requests=500, days=20, batch=100, duty_days=0, verbosity=0
    )

    requests = list(HelpRequest.objects.filter(code__startswith="DA-H"))
    offers = list(Offer.objects.all())
    ids = {r.pk for r in requests}
    period_start = started - dt.timedelta(days=21)
    assert len(requests) == 500
    for r in requests:
        r.full_clean(validate_unique=False)  # choices, lengths, rating 1–5, …
        assert r.commune == demo_commune
        assert r.village is not None and r.current_team is not None
        assert r.resident_name == "" and r.language == "vi"
        assert r.location_candidates == []
        assert period_start <= r.created_at <= timezone.now()
        assert r.created_at < r.routed_at and r.created_at < r.due_at
        assert r.updated_at >= started
        if r.status in (Status.RESOLVED, Status.CLOSED):
            assert r.created_at < r.accepted_at < r.started_at < r.resolved_at
            assert r.on_time == (r.resolved_at <= r.due_at)
            assert r.outcome
        else:
            assert r.on_time is None and r.resolved_at is None and not r.outcome
        if r.status == Status.CLOSED:
            assert r.closed_at == r.resolved_at + dt.timedelta(days=2)
        if r.status == Status.CANCELLED:
            assert r.cancelled_at > r.created_at and r.accepted_at is None
        if r.assigned_volunteer is not None:
            assert r.assigned_volunteer.team_id == r.current_team_id
    assert {r.status for r in requests} >= {Status.CLOSED, Status.CANCELLED}
    assert any(r.on_time for r in requests) and any(r.rating for r in requests)
    assert offers and {o.request_id for o in offers} <= ids
    for offer in offers:
        offer.full_clean(validate_unique=False)
        assert offer.state in (Offer.State.DECLINED, Offer.State.EXPIRED)
        assert offer.offered_at < offer.answered_at < offer.expires_at


def test_a_second_run_adds_more_without_clashing_codes(demo_commune):
    call_command("seed_history", requests=50, duty_days=0, verbosity=0)
    call_command("seed_history", requests=50, duty_days=0, verbosity=0)

    history = HelpRequest.objects.filter(code__startswith="DA-H")
    assert history.count() == 100
    assert history.values("code").distinct().count() == 100
    assert Offer.objects.filter(request__in=history).count() == Offer.objects.count()


def test_the_same_seed_draws_the_same_requests_again(demo_commune):
    def drawn() -> list[tuple]:
        return sorted(
            (
                r.village_id,
                r.category,
                r.channel,
                r.resident_phone,
                r.status,
                timezone.localtime(r.created_at).time(),
                r.due_at - r.created_at,
                r.resolved_at and r.resolved_at - r.created_at,
            )
            for r in HelpRequest.objects.order_by("-pk")[:60]
        )

    call_command("seed_history", requests=60, seed=7, duty_days=0, verbosity=0)
    first = drawn()
    call_command("seed_history", requests=60, seed=7, duty_days=0, verbosity=0)
    again = drawn()
    call_command("seed_history", requests=60, seed=8, duty_days=0, verbosity=0)

    assert again == first
    assert drawn() != first


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_commits_and_leaves_the_connection_as_durable(
    demo_commune,
):
    def durability() -> tuple:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA synchronous")
            else:
                cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()

    before = durability()
    call_command("seed_history", requests=300, batch=100, duty_days=0, verbosity=0)

    assert durability() == before
    history = HelpRequest.objects.filter(code__startswith="DA-H")
    assert history.count() == 300
    assert Offer.objects.filter(request__in=history).count() == Offer.objects.count()


def test_it_refuses_to_run_without_a_commune(db):
    with pytest.raises(CommandError):
        call_command("seed_history", requests=10, verbosity=0)
