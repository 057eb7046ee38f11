"""A realistic synthetic request history for demos and benchmarks (seed_history).

Requests are spread over the days with office-hour peaks, drawn by village households with
a few villages under-reached, routed to the team serving their village, accepted, helped
and resolved after log-normal delays; some declined/expired offers, ratings, repeat
phones, and a duty log for the last weeks. Rows are written with bulk_create in batches.
No RequestEvent rows (timelines) are made: the history is for figures, not audits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from dispatch.models import (
    Category,
    Channel,
    DutyChange,
    HelpRequest,
    Offer,
    Outcome,
    Priority,
    Status,
)
from teams.models import Commune, SupportTeam, Village, Volunteer

CHANNELS = [
    (Channel.VOICE, 35),
    (Channel.SMS, 25),
    (Channel.WEB, 20),
    (Channel.OPERATOR, 15),
    (Channel.ZALO, 5),
]
CATEGORIES = [
    (Category.VNEID, 30),
    (Category.PORTAL, 20),
    (Category.DOSSIER, 25),
    (Category.EPAYMENT, 12),
    (Category.SCAM, 5),
    (Category.OTHER, 8),
]
HOURS = [0, 0, 0, 0, 0, 1, 3, 8, 10, 10, 9, 7, 4, 5, 8, 9, 9, 7, 5, 4, 3, 2, 1, 0]
RATINGS = [(5, 55), (4, 30), (3, 10), (2, 3), (1, 2)]


@contextlib.contextmanager
def _keep_given_times(*fields: models.Field) -> Iterator[None]:
    """bulk_create would stamp auto_now_add fields with now; history needs its own times."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Plan:
    commune: Commune
    requests: int
    days: int
    batch: int
    seed: int
    duty_days: int


def _minutes(rng: random.Random, median: float, spread: float = 0.9) -> dt.timedelta:
    return dt.timedelta(minutes=rng.lognormvariate(math.log(median), spread))


def seed_history(
    *, plan: Plan, progress: Callable[[int], None] = lambda n: None
) -> dict[str, int]:
    """Write `plan.requests` past requests (and some offers, a duty log); returns counts.

    Each batch is one transaction. Side effects: rows only, no pushes, no SMS.
    """
    rng = random.Random(plan.seed)
    commune = plan.commune
    villages = list(Village.objects.filter(commune=commune).order_by("number", "pk"))
    if not villages:
        raise ValueError("commune has no villages: run seed_demo first")
    teams = list(SupportTeam.objects.filter(commune=commune, active=True))
    specialists = next(
        (t for t in teams if t.kind == SupportTeam.Kind.SPECIALISTS), None
    )
    team_of: dict[int, SupportTeam | None] = {}
    for team in teams:
        for village in team.villages.all():
            team_of.setdefault(village.pk, team)
    volunteers: dict[int, list[int]] = {}
    for vid, team_id in Volunteer.objects.filter(team__in=teams).values_list(
        "pk", "team_id"
    ):
        volunteers.setdefault(team_id, []).append(vid)
    # A few villages are under-reached: they ask far less than their size suggests.
    quiet = {v.pk for v in rng.sample(villages, k=min(3, len(villages)))}
    village_weights = [
        (v, max(v.households, 1) * (0.15 if v.pk in quiet else 1.0)) for v in villages
    ]
    now = timezone.now()
    start = now - dt.timedelta(days=plan.days)
    prefix = f"{commune.code}-H"
    first = HelpRequest.objects.filter(code__startswith=prefix).count()
    phones = [
        f"+849{rng.randrange(10**8):08d}" for _ in range(max(plan.requests // 3, 1))
    ]
    written = {"requests": 0, "offers": 0, "duty_changes": 0}
    fields = (
        HelpRequest._meta.get_field("created_at"),
        Offer._meta.get_field("offered_at"),
    )
    with _keep_given_times(*fields):
        done = 0
        while done < plan.requests:
            size = min(plan.batch, plan.requests - done)
            rows = [
                _one_request(
                    rng=rng,
                    commune=commune,
                    code=f"{prefix}{_base36(first + done + i + 1)}",
                    created_at=_arrival(rng, start, plan.days),
                    now=now,
                    village=_pick(rng, village_weights),
                    team_of=team_of,
                    specialists=specialists,
                    volunteers=volunteers,
                    phone=rng.choice(phones) if rng.random() < 0.95 else "",
                )
                for i in range(size)
            ]
            with transaction.atomic():
                created = HelpRequest.objects.bulk_create(rows, batch_size=plan.batch)
                offers = _offers(rng, created, teams)
                Offer.objects.bulk_create(offers, batch_size=plan.batch)
            written["requests"] += size
            written["offers"] += len(offers)
            done += size
            progress(size)
    if plan.duty_days:
        written["duty_changes"] = _duty_log(rng, volunteers, teams, now, plan.duty_days)
    return written


def _base36(n: int) -> str:
    digits = "0123456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no I, L, O: read out on the phone
    out = ""
    while n:
        n, r = divmod(n, len(digits))
        out = digits[r] + out
    return out.rjust(6, "0")


def _arrival(rng: random.Random, start: dt.datetime, days: int) -> dt.datetime:
    day = rng.randrange(days)
    hour = rng.choices(range(24), HOURS)[0]
    local = timezone.localtime(start).replace(hour=0, minute=0, second=0, microsecond=0)
    return local + dt.timedelta(
        days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60)
    )


def _one_request(
    *,
    rng: random.Random,
    commune: Commune,
    code: str,
    created_at: dt.datetime,
    now: dt.datetime,
    village: Village,
    team_of: dict[int, SupportTeam | None],
    specialists: SupportTeam | None,
    volunteers: dict[int, list[int]],
    phone: str,
) -> HelpRequest:
    category = _pick(rng, CATEGORIES)
    elderly = rng.random() < 0.3
    priority = _pick(
        rng, [(Priority.NORMAL, 70), (Priority.PRIORITY, 25), (Priority.URGENT, 5)]
    )
    hours = settings.DISPATCH_DUE_HOURS.get(category, 48)
    due = created_at + dt.timedelta(hours=hours)
    r = HelpRequest(
        code=code,
        commune=commune,
        channel=_pick(rng, CHANNELS),
        resident_name="",
        resident_phone=phone,
        village=village,
        location_source="selected",
        category=category,
        is_elderly=elderly,
        ethnic_minority=rng.random() < 0.35,
        no_smartphone=rng.random() < 0.2,
        home_visit=elderly and rng.random() < 0.6,
        priority=priority,
        created_at=created_at,
        due_at=due,
        round=1,
    )
    team = team_of.get(village.pk)
    escalated = team is None or rng.random() < 0.06
    if escalated and specialists is not None:
        r.escalated_at = created_at + _minutes(rng, 25)
        team = specialists
    r.current_team = team
    r.routed_at = created_at + dt.timedelta(seconds=rng.randrange(2, 40))
    if rng.random() < 0.03:
        r.status, r.cancelled_at = Status.CANCELLED, created_at + _minutes(rng, 60)
        return r
    accepted = (r.escalated_at or r.routed_at) + _minutes(rng, 7 - 3 * (priority > 0))
    started = accepted + _minutes(rng, 35, 1.0)
    resolved = started + _minutes(rng, 80, 1.1)
    staff = volunteers.get(team.pk) if team else None
    if accepted > now:
        r.status = Status.ESCALATED if escalated else Status.ROUTED
        return r
    r.accepted_at, r.status = accepted, Status.ACCEPTED
    r.assigned_volunteer_id = rng.choice(staff) if staff else None
    if started > now:
        return r
    r.started_at, r.status = started, Status.IN_PROGRESS
    if resolved > now:
        return r
    r.resolved_at, r.status = resolved, Status.RESOLVED
    r.on_time = resolved <= due
    r.outcome = _pick(
        rng,
        [
            (Outcome.SOLVED_REMOTE, 55),
            (Outcome.SOLVED_VISIT, 35),
            (Outcome.REFERRED_CENTRE, 6),
            (Outcome.UNSOLVED, 4),
        ],
    )
    if rng.random() < 0.6:
        r.rating = _pick(rng, RATINGS)
    if resolved + dt.timedelta(days=2) < now:
        r.status, r.closed_at = Status.CLOSED, resolved + dt.timedelta(days=2)
    return r


def _offers(
    rng: random.Random, requests: list[HelpRequest], teams: list[SupportTeam]
) -> list[Offer]:
    """About one request in six was first declined or let expire by another team."""
    offers = []
    for r in requests:
        if r.pk is None or not teams or rng.random() > 0.16:
            continue
        state = Offer.State.DECLINED if rng.random() < 0.4 else Offer.State.EXPIRED
        offered = r.routed_at or r.created_at
        offers.append(
            Offer(
                request_id=r.pk,
                team=rng.choice(teams),
                round=1,
                state=state,
                offered_at=offered,
                expires_at=offered + dt.timedelta(minutes=10),
                answered_at=offered + dt.timedelta(minutes=rng.randrange(1, 10)),
            )
        )
    return offers


def _duty_log(
    rng: random.Random,
    volunteers: dict[int, list[int]],
    teams: list[SupportTeam],
    now: dt.datetime,
    days: int,
) -> int:
    """Day shifts (7:00–11:00, 13:30–17:30 local) taken by about a third of members."""
    rows = []
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for team in teams:
        for vid in volunteers.get(team.pk, []):
            for d in range(days, 0, -1):
                day = today - dt.timedelta(days=d)
                if day.weekday() == 6 or rng.random() > 0.35:
                    continue
                on, hours = rng.choice([(7, 4), (13.5, 4), (7, 10)])
                begin = day + dt.timedelta(hours=on)
                end = begin + dt.timedelta(hours=hours)
                rows += [
                    DutyChange(volunteer_id=vid, team=team, on_duty=True, at=begin),
                    DutyChange(volunteer_id=vid, team=team, on_duty=False, at=end),
                ]
    DutyChange.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
