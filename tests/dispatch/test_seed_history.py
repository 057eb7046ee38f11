"""manage.py seed_history writes a realistic past the dashboard can read."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from dispatch.dashboard import kpis
from dispatch.models import DutyChange, HelpRequest, Offer

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


def test_a_second_run_adds_more_without_clashing_codes(demo_commune):
    call_command("seed_history", requests=50, duty_days=0, verbosity=0)
    call_command("seed_history", requests=50, duty_days=0, verbosity=0)

    assert HelpRequest.objects.filter(code__startswith="DA-H").count() == 100


def test_it_refuses_to_run_without_a_commune(db):
    with pytest.raises(CommandError):
        call_command("seed_history", requests=10, verbosity=0)
