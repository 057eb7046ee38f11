"""Tracking codes and the periodic sweep's schedule."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django_q.models import Schedule

from dispatch import tasks
from dispatch.help_requests import codes
from tests.personas import submit_for_lan


def test_codes_are_the_commune_prefix_and_seven_unambiguous_characters(duc_an):
    request = submit_for_lan(duc_an)
    assert re.fullmatch(r"DA-[2-9A-HJKMNP-Z]{7}", request.code)
    assert codes.BITS >= 30
    drawn = {codes.new_code("DA") for _ in range(2000)}
    assert len(drawn) == 2000
    assert not set("".join(drawn).replace("DA-", "")) & set("01OIL")


def test_a_code_collision_draws_again(duc_an, monkeypatch):
    first = submit_for_lan(duc_an)
    draws = iter([first.code, "DA-2345678"])
    monkeypatch.setattr(codes, "new_code", lambda prefix: next(draws))
    second = submit_for_lan(duc_an, resident_phone="0977300001")
    assert second.code == "DA-2345678"


def test_setup_schedules_installs_the_sweep_twice_a_minute_once(db):
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    call_command("setup_schedules", stdout=out)
    sweeps = Schedule.objects.filter(func="dispatch.tasks.sweep_offers")
    assert sweeps.count() == 2
    runs = sorted(s.next_run for s in sweeps)
    assert (runs[1] - runs[0]).total_seconds() == 30
    assert f"{len(tasks.SCHEDULES)} unchanged" in out.getvalue()
