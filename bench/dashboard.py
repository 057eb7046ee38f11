"""Benchmark: the KPI page and the KPI API at 10,000 and 1,000,000 requests.

    .venv/bin/python bench/dashboard.py                 # 10,000 and 1,000,000
    .venv/bin/python bench/dashboard.py --sizes 10000 100000
    DATABASE_URL=postgres://… .venv/bin/python bench/dashboard.py --sizes 10000

Each size gets its own SQLite file under var/bench/ (seeded once with seed_demo and
seed_history, then reused; tallies built and refreshed up to 20 requests handled live,
as the minute task would have), and is measured in a child process: one warm-up, then
the median of --repeat timed calls, with the number of SQL queries of each call. It prints
the timings, the query counts and the ratio of the largest size to the smallest.
Not part of the test suite; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
TARGETS = {
    "KPI page (30 days)": "/dashboard/",
    "KPI page (365 days)": "/dashboard/?date_from={year_ago}",
    "KPI page (3 years)": "/dashboard/?date_from={years_ago}",
    "KPI API (30 days)": "/api/v1/kpis",
    "KPI API (365 days)": "/api/v1/kpis?date_from={year_ago}",
    "KPI API (3 years)": "/api/v1/kpis?date_from={years_ago}",
    "KPI API, team+channel": "/api/v1/kpis?date_from={year_ago}&team={team}&channel=sms",
    "KPI API, cat.+channel": "/api/v1/kpis?date_from={year_ago}&category=vneid&channel=sms",
    "KPI API, vil.+category": "/api/v1/kpis?date_from={year_ago}&village={village}&category=vneid",
}
# Requests handled through the real services after the tallies were built, so today is
# tallied live from the requests, as it is between two refreshes in production.
LIVE_REQUESTS = 20


def measure(size: int, repeat: int) -> dict:
    """Runs inside the child: seed if needed, then time every target."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from django.conf import settings

    # No live screens in this benchmark: pushes go nowhere instead of to a Redis.
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dispatch.figures import refresh
    from dispatch.models import HelpRequest, RequestEvent, TallyState
    from teams.models import Commune, SupportTeam, Village

    call_command("migrate", verbosity=0)
    if HelpRequest.objects.count() < size:
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        missing = size - HelpRequest.objects.count()
        call_command("seed_history", requests=missing, verbosity=1)
        seeded = time.perf_counter() - started
    else:
        seeded = 0.0
    client = Client(HTTP_HOST="localhost")
    # force_login: django-axes wants a real request for a password login.
    client.force_login(get_user_model().objects.get(username="secretary"))
    today = timezone.localdate()
    dates = {
        "year_ago": (today - dt.timedelta(days=364)).isoformat(),
        "years_ago": (today - dt.timedelta(days=3 * 365)).isoformat(),
        "team": SupportTeam.objects.order_by("pk").values_list("pk", flat=True).first(),
        "village": Village.objects.order_by("pk").values_list("pk", flat=True).first(),
    }
    recent = timezone.now() - dt.timedelta(hours=12)
    live = HelpRequest.objects.filter(description="bench", created_at__gte=recent)
    if not live.exists():
        handle_live_requests(LIVE_REQUESTS)
    # The tallies as the minute task would have them by now: built (again, if a
    # migration reset them) and refreshed with every change before the live requests
    # (seed_demo's own requests changed within the build's two-minute lag); the live
    # ones not yet, so today is tallied from the requests, as between two refreshes.
    first_live = RequestEvent.objects.filter(request__in=live).order_by("id").first()
    assert first_live is not None
    caught_up = first_live.created_at + refresh.LAG - dt.timedelta(microseconds=1)
    for commune in Commune.objects.filter(
        pk__in=HelpRequest.objects.values("commune_id")
    ):
        if not TallyState.objects.filter(commune=commune, built_at__isnull=False):
            refresh.rebuild(commune=commune, now=caught_up)
        refresh.refresh(commune=commune, now=caught_up, budget=None)
    results = {"size": HelpRequest.objects.count(), "seed_seconds": seeded}
    for name, url in TARGETS.items():
        url = url.format(**dates)
        assert client.get(url).status_code == 200, url  # warm-up
        timings, queries = [], set()
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, url
            queries.add(len(ctx.captured_queries))
        results[name] = {
            "seconds": statistics.median(timings),
            "queries": sorted(queries),
        }
    return results


def handle_live_requests(count: int) -> None:
    """Web requests submitted, accepted and resolved through the services."""
    from dispatch.errors import DispatchError
    from dispatch.help_requests import lifecycle, offers
    from dispatch.models import Offer
    from teams.models import Commune, Village

    commune = Commune.objects.order_by("pk").first()
    village = Village.objects.filter(commune=commune).order_by("number").first()
    for i in range(count):
        request = lifecycle.submit_request(
            commune=commune,
            channel="web",
            resident_name="Bench",
            resident_phone=f"+8491200{i:04d}",
            village=village,
            category="vneid",
            description="bench",
        )
        offer = Offer.objects.filter(request=request, state="open").first()
        on_duty = offer.team.volunteers.filter(on_duty=True) if offer else []
        for volunteer in on_duty:
            try:
                offers.accept_offer(offer=offer, volunteer=volunteer)
                break
            except DispatchError:  # at capacity: the next one takes it
                continue


def run_child(size: int, repeat: int) -> dict:
    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        folder = BASE / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{folder / f'dashboard-{size}.sqlite3'}"
    env.setdefault("DEBUG", "false")
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(size), "--repeat", str(repeat)],
        env=env,
        cwd=BASE,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(BASE))
        print(json.dumps(measure(args.child, args.repeat)))
        return
    runs = [run_child(size, args.repeat) for size in args.sizes]
    print(f"{'target':<22}" + "".join(f"{r['size']:>22,}" for r in runs) + "   ratio")
    for name in TARGETS:
        cells = "".join(
            f"{r[name]['seconds'] * 1000:>12.0f} ms {'/'.join(map(str, r[name]['queries'])):>4} q"
            for r in runs
        )
        ratio = runs[-1][name]["seconds"] / runs[0][name]["seconds"]
        same = runs[-1][name]["queries"] == runs[0][name]["queries"]
        print(
            f"{name:<22}{cells}   ×{ratio:.2f} time, queries {'same' if same else 'DIFFER'}"
        )
    for r in runs:
        if r["seed_seconds"]:
            print(f"seeded {r['size']:,} requests in {r['seed_seconds']:.0f} s")


if __name__ == "__main__":
    main()
