"""Benchmark: locate + rank for one commune, then inside a national-size registry.

    .venv/bin/python bench/routing.py [--repeat 200]

Builds a throw-away SQLite database in a temporary directory: first one commune with
23 village teams, then 3,321 communes × 23 teams (Vietnam's commune count after the
2025 reform). The request's commune is found first (by its code, a unique index), then
locating and ranking run inside it, so the ratio national/single should stay near 1.
Prints both timings and the ratio. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEAMS_PER_COMMUNE = 23
COMMUNES = 3321


def setup_django(var_dir: str) -> None:
    os.environ["CAUNOI_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_communes(first: int, count: int) -> None:
    """Communes `first`…`first+count-1`, each with 23 villages, teams and volunteers."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from teams.models import Commune, SupportTeam, Village, Volunteer

    User = get_user_model()
    with transaction.atomic():
        communes = Commune.objects.bulk_create(
            Commune(
                name=f"Xã {n}",
                code=f"{n:04d}"[-4:] if n else "DA",
                lat=8.5 + (n % 100) * 0.14,
                lng=102.2 + (n // 100) * 0.2,
            )
            for n in range(first, first + count)
        )
        villages, teams = [], []
        for commune in communes:
            for i in range(TEAMS_PER_COMMUNE):
                lat = commune.lat + (i % 5) * 0.012
                lng = commune.lng + (i // 5) * 0.012
                villages.append(
                    Village(
                        commune=commune,
                        name=f"Thôn {i + 1}",
                        kind="thon",
                        number=i + 1,
                        lat=lat,
                        lng=lng,
                        slug=f"thon-{i + 1}",
                        aliases=[f"Bon Ja {i + 1}" if i % 3 else "Bon Bu Bir"],
                    )
                )
                teams.append(
                    SupportTeam(
                        commune=commune,
                        name=f"Tổ Thôn {i + 1}",
                        base_lat=lat,
                        base_lng=lng,
                    )
                )
        villages = Village.objects.bulk_create(villages, batch_size=2000)
        teams = SupportTeam.objects.bulk_create(teams, batch_size=2000)
        SupportTeam.villages.through.objects.bulk_create(
            (
                SupportTeam.villages.through(supportteam_id=t.pk, village_id=v.pk)
                for t, v in zip(teams, villages, strict=True)
            ),
            batch_size=5000,
        )
        users = User.objects.bulk_create(
            (User(username=f"tnv-{t.pk}", password="!") for t in teams),
            batch_size=2000,
        )
        Volunteer.objects.bulk_create(
            (
                Volunteer(
                    user=u,
                    team=t,
                    full_name=f"TNV {t.pk}",
                    phone=f"+8490{t.pk:07d}",
                    on_duty=True,
                )
                for u, t in zip(users, teams, strict=True)
            ),
            batch_size=2000,
        )


def time_locate_and_rank(code: str, repeat: int) -> float:
    """Median milliseconds to find the commune, locate the text and rank its teams."""
    from dispatch.help_requests.locating import find_location
    from dispatch.help_requests.selectors import routing_candidates
    from dispatch.models import HelpRequest
    from teams.models import Commune

    samples = []
    for n in range(repeat):
        text = f"toi o thon {n % TEAMS_PER_COMMUNE + 1}, can kich hoat VNeID"
        started = time.perf_counter()
        commune = Commune.objects.get(code=code)
        place = find_location(commune=commune, text=text)
        request = HelpRequest(
            commune=commune, category="vneid", village=place.village, pk=0
        )
        ranked = routing_candidates(request=request)
        samples.append(time.perf_counter() - started)
        assert place.village is not None and len(ranked) == TEAMS_PER_COMMUNE
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--communes", type=int, default=COMMUNES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caunoi-bench-") as var_dir:
        setup_django(var_dir)
        build_communes(0, 1)
        time_locate_and_rank("DA", 20)  # warm caches and query compilation
        single = time_locate_and_rank("DA", args.repeat)
        started = time.perf_counter()
        build_communes(1, args.communes - 1)
        built = time.perf_counter() - started
        time_locate_and_rank("DA", 20)
        national = time_locate_and_rank("DA", args.repeat)
        other = time_locate_and_rank(f"{args.communes // 2:04d}", args.repeat)
    teams = args.communes * TEAMS_PER_COMMUNE
    print(
        f"one commune, {TEAMS_PER_COMMUNE} teams:        {single:7.2f} ms per locate+rank"
    )
    print(
        f"{args.communes} communes, {teams} teams:  {national:7.2f} ms "
        f"(another commune: {other:.2f} ms; registry built in {built:.0f} s)"
    )
    print(f"ratio national/single: {national / single:.2f}")


if __name__ == "__main__":
    main()
