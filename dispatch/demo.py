"""A realistic synthetic request history for demos and benchmarks (seed_history).

Requests are spread over the days with office-hour peaks, drawn by village households with
a few villages under-reached, routed to the team serving their village, accepted, helped
and resolved after log-normal delays; some declined/expired offers, ratings, repeat
phones, and a duty log for the last weeks. The same seed gives the same history.
No RequestEvent rows (timelines) are made: the history is for figures, not audits.

A million requests seed in about a minute, so requests and offers skip the ORM: each
row is a plain tuple, and a batch is one executemany of one INSERT (one COPY on
PostgreSQL). The columns come from the models' concrete fields; a column the generator
does not fill gets the field's default (auto_now columns: the time of the run), so a
new field with a default needs no change here. Request ids are reserved before the
insert, so offers point at them without reading the requests back. Arrival times are
drawn for the whole run first and sorted: ids and codes follow arrival order.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from dispatch.figures import refresh
from dispatch.models import (
    Category,
    Channel,
    DutyChange,
    HelpRequest,
    LocationSource,
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
PRIORITIES = [(Priority.NORMAL, 70), (Priority.PRIORITY, 25), (Priority.URGENT, 5)]
OUTCOMES = [
    (Outcome.SOLVED_REMOTE, 55),
    (Outcome.SOLVED_VISIT, 35),
    (Outcome.REFERRED_CENTRE, 6),
    (Outcome.UNSOLVED, 4),
]
_DAY = dt.timedelta(days=1)
# Plain values for the driver, looked up once rather than per row.
_ROUTED, _ESCALATED, _ACCEPTED = (
    Status.ROUTED.value,
    Status.ESCALATED.value,
    Status.ACCEPTED.value,
)
_IN_PROGRESS, _RESOLVED, _CLOSED = (
    Status.IN_PROGRESS.value,
    Status.RESOLVED.value,
    Status.CLOSED.value,
)
_CANCELLED = Status.CANCELLED.value
_DECLINED, _EXPIRED = Offer.State.DECLINED.value, Offer.State.EXPIRED.value
HOURS = [0, 0, 0, 0, 0, 1, 3, 8, 10, 10, 9, 7, 4, 5, 8, 9, 9, 7, 5, 4, 3, 2, 1, 0]
RATINGS = [(5, 55), (4, 30), (3, 10), (2, 3), (1, 2)]

# What the generator fills per row, in this order; every other column is fixed per run.
REQUEST_COLUMNS = (
    "id",
    "code",
    "channel",
    "resident_phone",
    "village_id",
    "category",
    "is_elderly",
    "ethnic_minority",
    "no_smartphone",
    "home_visit",
    "priority",
    "created_at",
    "due_at",
    "current_team_id",
    "routed_at",
    "escalated_at",
    "accepted_at",
    "assigned_volunteer_id",
    "started_at",
    "resolved_at",
    "closed_at",
    "cancelled_at",
    "status",
    "on_time",
    "outcome",
    "rating",
)
OFFER_COLUMNS = (
    "request_id",
    "team_id",
    "round",
    "state",
    "offered_at",
    "expires_at",
    "answered_at",
)


class _Weighted:
    """Draws one value as `rng.choices(values, weights)[0]` would, weights summed once."""

    def __init__(self, weighted: Sequence[tuple[Any, float]]) -> None:
        values, weights = zip(*weighted, strict=True)
        # Choices members become their plain value: the database driver gets str/int.
        self.values = [getattr(v, "value", v) for v in values]
        self.cum_weights = list(itertools.accumulate(weights))
        self.total = self.cum_weights[-1]
        self.hi = len(self.values) - 1

    def draw(self, rng: random.Random) -> Any:
        # The same bisection rng.choices(values, cum_weights=...) does, without its list.
        x = rng.random() * self.total
        return self.values[bisect.bisect(self.cum_weights, x, 0, self.hi)]


_HOURS = _Weighted(list(enumerate(HOURS)))
_CHANNELS = _Weighted(CHANNELS)
_CATEGORIES = _Weighted(CATEGORIES)
_PRIORITIES = _Weighted(PRIORITIES)
_OUTCOMES = _Weighted(OUTCOMES)
_RATINGS = _Weighted(RATINGS)


@dataclass
class Plan:
    commune: Commune
    requests: int
    days: int
    batch: int
    seed: int
    duty_days: int


@dataclass
class _World:
    """What every request is drawn from, looked up or drawn once per run."""

    rng: random.Random
    now: dt.datetime  # naive UTC, like every time below until it is written
    day_starts: list[dt.datetime]  # local midnight of each day of the period, in UTC
    arrivals: list[int]  # seconds after day_starts[0], sorted
    villages: _Weighted
    phones: list[str]
    team_of: dict[int, int]
    specialists: int | None
    volunteers: dict[int, list[int]]
    teams: list[int]
    due: dict[str, dt.timedelta]


def seed_history(
    *, plan: Plan, progress: Callable[[int], None] = lambda n: None
) -> dict[str, int]:
    """Write `plan.requests` past requests (and some offers, a duty log); returns counts.

    Each batch of `plan.batch` requests is one transaction. Side effects: rows only, no
    pushes, no SMS. On SQLite the connection skips fsync while it seeds (see
    _fast_sqlite_writes).
    """
    world = _world(plan)
    now = world.now.replace(tzinfo=dt.UTC)
    prefix = f"{plan.commune.code}-H"
    first = HelpRequest.objects.filter(code__startswith=prefix).count()
    requests = _Insert(
        HelpRequest,
        REQUEST_COLUMNS,
        given={
            "commune_id": plan.commune.pk,
            "resident_name": "",
            "location_source": LocationSource.SELECTED.value,
            "round": 1,
        },
        now=now,
    )
    offers = _Insert(Offer, OFFER_COLUMNS, given={}, now=now)
    written = {"requests": 0, "offers": 0, "duty_changes": 0}
    with _fast_sqlite_writes():
        for done in range(0, plan.requests, plan.batch):
            size = min(plan.batch, plan.requests - done)
            numbers = range(first + done + 1, first + done + size + 1)
            with transaction.atomic(), connection.cursor() as cursor:
                request_rows, offer_rows = _batch(
                    world,
                    ids=_reserve_ids(cursor, HelpRequest, size),
                    codes=[f"{prefix}{_base36(n)}" for n in numbers],
                    arrivals=world.arrivals[done : done + size],
                    requests=requests,
                    offers=offers,
                )
                requests.write(cursor, request_rows)
                offers.write(cursor, offer_rows)
            written["requests"] += size
            written["offers"] += len(offer_rows)
            progress(size)
    if plan.duty_days:
        written["duty_changes"] = _duty_log(
            world.rng, world.volunteers, world.teams, now, plan.duty_days
        )
    # The rows came without events: the dashboard's day tallies must look again.
    days = sorted({arrival // 86400 for arrival in world.arrivals})
    refresh.mark_stale(
        commune_id=plan.commune.pk,
        arrivals=[world.day_starts[d].replace(tzinfo=dt.UTC) for d in days],
    )
    return written


def _world(plan: Plan) -> _World:
    rng = random.Random(plan.seed)
    commune = plan.commune
    villages = list(Village.objects.filter(commune=commune).order_by("number", "pk"))
    if not villages:
        raise ValueError("commune has no villages: run seed_demo first")
    teams = list(SupportTeam.objects.filter(commune=commune, active=True))
    team_of: dict[int, int] = {}
    for team in teams:
        for village in team.villages.all():
            team_of.setdefault(village.pk, team.pk)
    volunteers: dict[int, list[int]] = {}
    for vid, team_id in Volunteer.objects.filter(team__in=teams).values_list(
        "pk", "team_id"
    ):
        volunteers.setdefault(team_id, []).append(vid)
    # A few villages are under-reached: they ask far less than their size suggests.
    quiet = {v.pk for v in rng.sample(villages, k=min(3, len(villages)))}
    now = timezone.now()
    local = timezone.localtime(now - dt.timedelta(days=plan.days))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return _World(
        rng=rng,
        now=_naive_utc(now),
        day_starts=[
            _naive_utc(midnight + dt.timedelta(days=d)) for d in range(plan.days)
        ],
        arrivals=_arrivals(rng, days=plan.days, count=plan.requests),
        villages=_Weighted(
            [
                (v.pk, max(v.households, 1) * (0.15 if v.pk in quiet else 1.0))
                for v in villages
            ]
        ),
        phones=[
            f"+849{rng.randrange(10**8):08d}" for _ in range(max(plan.requests // 3, 1))
        ],
        team_of=team_of,
        specialists=next(
            (t.pk for t in teams if t.kind == SupportTeam.Kind.SPECIALISTS), None
        ),
        volunteers=volunteers,
        teams=[t.pk for t in teams],
        due={c: dt.timedelta(hours=h) for c, h in _due_hours().items()},
    )


def _arrivals(rng: random.Random, *, days: int, count: int) -> list[int]:
    """Arrival times of the whole run: a uniform day, an hour by HOURS, any second.

    Sorted, so ids and codes follow arrival order as live requests' ids do; and each
    batch then fills the time indexes at their end instead of all over them, which
    makes a million-row seed about a third faster on SQLite.
    """
    random_, hour = rng.random, _HOURS.draw
    return sorted(
        int(random_() * days) * 86400 + hour(rng) * 3600 + int(random_() * 3600)
        for _ in range(count)
    )


def _due_hours() -> dict[str, int]:
    return {c.value: settings.DISPATCH_DUE_HOURS.get(c, 48) for c in Category}


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _base36(n: int) -> str:
    digits = "0123456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no I, L, O: read out on the phone
    out = ""
    while n:
        n, r = divmod(n, len(digits))
        out = digits[r] + out
    return out.rjust(6, "0")


class _Insert:
    """Writes a model's rows: `columns` given per row, then the others, fixed per run.

    A fixed column takes the value in `given`, else the time of the run for auto_now
    and auto_now_add fields, else the field's default; the primary key is left to the
    database unless it is one of `columns`.
    """

    def __init__(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        *,
        given: dict[str, Any],
        now: dt.datetime,
    ) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        if unknown := set(columns) - fields.keys():
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        fixed = []
        for name, field in fields.items():
            if name in columns or (field.primary_key and name not in given):
                continue
            if name in given:
                value = given[name]
            elif getattr(field, "auto_now", False) or getattr(
                field, "auto_now_add", False
            ):
                value = now
            else:
                value = field.get_default()
            fixed.append((field, field.get_db_prep_save(value, connection)))
        quote = connection.ops.quote_name
        names = ", ".join(
            quote(f.column)
            for f in [fields[c] for c in columns] + [f for f, _ in fixed]
        )
        table = quote(model._meta.db_table)
        self.fixed = tuple(value for _, value in fixed)
        self.copy = f"COPY {table} ({names}) FROM STDIN"
        self.insert = "INSERT INTO {} ({}) VALUES ({})".format(
            table, names, ", ".join(["%s"] * (len(columns) + len(fixed)))
        )

    def write(self, cursor: Any, rows: list[tuple]) -> None:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk load; executemany, which binds each row's
            # parameters in Python, made seeding take three times as long.
            with connection.wrap_database_errors, cursor.cursor.copy(self.copy) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.insert, rows)


def _stamper() -> Callable[[dt.datetime], Any]:
    """How a naive UTC time is written: what Django's own adapter would pass, faster."""
    if connection.vendor == "sqlite":
        return str  # the text Django stores: UTC, no offset (adapt_datetimefield_value)
    return lambda moment: moment.replace(tzinfo=dt.UTC)


def _reserve_ids(cursor: Any, model: type[models.Model], count: int) -> Sequence[int]:
    """Primary keys for `count` new rows that no other writer can take.

    Called inside the batch's transaction, before its inserts.
    """
    meta = model._meta
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]
    if connection.vendor == "sqlite":
        # The transaction began with BEGIN IMMEDIATE (settings), so it already holds the
        # write lock; were it deferred, a writer in between would make the insert fail
        # (unique id or SQLITE_BUSY_SNAPSHOT), never write a row twice. The sequence
        # counts too: AUTOINCREMENT never reuses the id of a deleted row.
        quote = connection.ops.quote_name
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        cursor.execute(
            f"SELECT max(coalesce(max({pk}), 0), coalesce("
            f"(SELECT seq FROM sqlite_sequence WHERE name = %s), 0)) FROM {table}",
            [meta.db_table],
        )
        top = cursor.fetchone()[0]
        return range(top + 1, top + 1 + count)
    raise NotImplementedError(f"seed_history cannot reserve ids on {connection.vendor}")


@contextlib.contextmanager
def _fast_sqlite_writes() -> Iterator[None]:
    """On SQLite, this connection skips fsync while it seeds (a third less time).

    synchronous=OFF is acceptable here: the rows are synthetic and can be seeded again,
    a crash of this process still loses nothing committed (WAL), and only a power cut
    or OS crash during the run could damage the file. The setting belongs to this
    connection alone and is put back afterwards, so the web app's connections, and
    this one after the run, keep their synchronous=NORMAL. SQLite refuses to change it
    inside a transaction (tests run in one); there it stays as it is.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (level,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(level)}")


def _batch(
    w: _World,
    *,
    ids: Sequence[int],
    codes: Sequence[str],
    arrivals: Sequence[int],
    requests: _Insert,
    offers: _Insert,
) -> tuple[list[tuple], list[tuple]]:
    """Rows of len(ids) requests, and of the offers some of them had before.

    The behaviour of each request is drawn here, one row at a time; the locals below
    spare a million attribute lookups. Uniform picks use int(random() * n), as
    rng.choices does, rather than the slower randrange.
    """
    rng = w.rng
    random_, gauss, exp = rng.random, rng.gauss, math.exp
    stamp, request_fixed, offer_fixed = _stamper(), requests.fixed, offers.fixed
    minute, second = dt.timedelta(minutes=1), dt.timedelta(seconds=1)
    now, day_starts, due_after = w.now, w.day_starts, w.due
    phones, n_phones = w.phones, len(w.phones)
    team_of, specialists, volunteers = w.team_of, w.specialists, w.volunteers
    teams, n_teams = w.teams, len(w.teams)
    village, category, priority = w.villages.draw, _CATEGORIES.draw, _PRIORITIES.draw
    channel, outcome_of, rating_of = _CHANNELS.draw, _OUTCOMES.draw, _RATINGS.draw
    median = {m: math.log(m) for m in (4, 7, 25, 35, 60, 80)}
    request_rows, offer_rows = [], []
    for pk, code, arrival in zip(sorted(ids), codes, arrivals, strict=True):
        day, seconds = divmod(arrival, 86400)
        created = day_starts[day] + seconds * second
        kind = category(rng)
        elderly = random_() < 0.3
        urgency = priority(rng)
        due = created + due_after[kind]
        place = village(rng)
        team = team_of.get(place)
        escalated = team is None or random_() < 0.06
        escalated_at = None
        if escalated and specialists is not None:
            escalated_at = created + exp(median[25] + 0.9 * gauss()) * minute
            team = specialists
        routed = created + (2 + int(random_() * 38)) * second
        accepted = started = resolved = closed = cancelled = None
        volunteer = on_time = rating = None
        outcome = ""
        if random_() < 0.03:
            status = _CANCELLED
            cancelled = created + exp(median[60] + 0.9 * gauss()) * minute
        else:
            wait = median[4] if urgency > 0 else median[7]
            accepted = (escalated_at or routed) + exp(wait + 0.9 * gauss()) * minute
            if accepted > now:
                status, accepted = (_ESCALATED if escalated else _ROUTED), None
            else:
                status = _ACCEPTED
                staff = volunteers.get(team) if team else None
                volunteer = staff[int(random_() * len(staff))] if staff else None
                started = accepted + exp(median[35] + gauss()) * minute
                if started > now:
                    started = None
                else:
                    status = _IN_PROGRESS
                    resolved = started + exp(median[80] + 1.1 * gauss()) * minute
                    if resolved > now:
                        resolved = None
                    else:
                        status, on_time = _RESOLVED, resolved <= due
                        outcome = outcome_of(rng)
                        if random_() < 0.6:
                            rating = rating_of(rng)
                        if resolved + 2 * _DAY < now:
                            status, closed = _CLOSED, resolved + 2 * _DAY
        request_rows.append(
            (
                pk,
                code,
                channel(rng),
                phones[int(random_() * n_phones)] if random_() < 0.95 else "",
                place,
                kind,
                elderly,
                random_() < 0.35,
                random_() < 0.2,
                elderly and random_() < 0.6,
                urgency,
                stamp(created),
                stamp(due),
                team,
                stamp(routed),
                escalated_at and stamp(escalated_at),
                accepted and stamp(accepted),
                volunteer,
                started and stamp(started),
                resolved and stamp(resolved),
                closed and stamp(closed),
                cancelled and stamp(cancelled),
                status,
                on_time,
                outcome,
                rating,
                *request_fixed,
            )
        )
        # About one request in six was first declined or let expire by another team.
        if n_teams and random_() < 0.16:
            offer_rows.append(
                (
                    pk,
                    teams[int(random_() * n_teams)],
                    1,
                    _DECLINED if random_() < 0.4 else _EXPIRED,
                    stamp(routed),
                    stamp(routed + 10 * minute),
                    stamp(routed + (1 + int(random_() * 9)) * minute),
                    *offer_fixed,
                )
            )
    return request_rows, offer_rows


def _duty_log(
    rng: random.Random,
    volunteers: dict[int, list[int]],
    teams: list[int],
    now: dt.datetime,
    days: int,
) -> int:
    """Day shifts (7:00–11:00, 13:30–17:30 local) taken by about a third of members."""
    rows = []
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    for team_id in teams:
        for vid in volunteers.get(team_id, []):
            for d in range(days, 0, -1):
                day = today - dt.timedelta(days=d)
                if day.weekday() == 6 or rng.random() > 0.35:
                    continue
                on, hours = rng.choice([(7, 4), (13.5, 4), (7, 10)])
                begin = day + dt.timedelta(hours=on)
                end = begin + dt.timedelta(hours=hours)
                rows += [
                    DutyChange(
                        volunteer_id=vid, team_id=team_id, on_duty=True, at=begin
                    ),
                    DutyChange(
                        volunteer_id=vid, team_id=team_id, on_duty=False, at=end
                    ),
                ]
    DutyChange.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def forget_sample_requests(sender: Any, *, commune: Commune, **kwargs: Any) -> None:
    """Before `seed_demo --reset` deletes a sample commune: its requests (and with them
    their events, offers and scam reports) go first, as they protect the commune."""
    if commune.is_sample:
        HelpRequest.objects.filter(commune=commune).delete()
