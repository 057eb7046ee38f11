"""Keeps the tallies current: the only writer of DayTally, MonthTally, TallyState, StaleDay.

Every change to a request writes a RequestEvent, so the days to rewrite are the arrival
days of the requests with events newer than the commune's watermark, plus the days that
writers without events (retention, erasure, bulk history) marked stale. `refresh` runs
every minute (`setup_schedules`); between runs the KPI selectors tally the changed days
from the requests themselves, so nothing ever waits for it.

Each calendar month also has month rows, the sums of its day rows, written in the same
transaction as the days: a build writes a whole month of days and its month rows at
once; a refresh moves the month rows by what its rewritten days changed.

The watermark only moves up to events older than LAG: an event id is drawn when the row
is inserted but becomes visible when its transaction commits, so a young id may still
have older, uncommitted neighbours. Leaving the watermark lower than it could be is
always safe; it only means a few more days are tallied live.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from dispatch.figures.tally import (
    COUNTS,
    Key,
    Tally,
    changed_arrivals,
    day_ranges_q,
    days_of_month,
    month_of,
    tally_requests,
)
from dispatch.models import (
    DayTally,
    HelpRequest,
    MonthTally,
    RequestEvent,
    StaleDay,
    TallyState,
)
from teams.models import Commune

LAG = dt.timedelta(minutes=2)
# The scheduled refresh stops between months after this long: django-q2 kills a task
# after Q_CLUSTER["timeout"] (60 s), and a killed build would start over every time.
REFRESH_BUDGET = dt.timedelta(seconds=40)
DAYS_PER_CHUNK = 31


class RebuildSuperseded(Exception):
    """A newer rebuild of the same commune has started; this one stops."""


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(timezone.get_default_timezone()).date()


def mark_stale(*, commune_id: int, arrivals: Iterable[dt.datetime]) -> None:
    """The requests that arrived at `arrivals` changed without an event.

    Call it inside the writer's transaction, so the mark commits with the change.
    """
    days = {_local_day(moment) for moment in arrivals}
    StaleDay.objects.bulk_create(
        [StaleDay(commune_id=commune_id, day=day) for day in sorted(days)]
    )


def _watermark(now: dt.datetime) -> int:
    """The newest event id whose transaction has surely ended."""
    found = (
        RequestEvent.objects.filter(created_at__lt=now - LAG)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return found or 0


_SLICE = ("grouping", "team_id", "village_id", "category", "channel")


def _rows(
    model: type[DayTally] | type[MonthTally],
    commune: Commune,
    tallies: dict[Key, Tally],
) -> list[Any]:
    """Unsaved rows of `model` for tallies keyed by day (DayTally) or month (MonthTally)."""
    when = "day" if model is DayTally else "month"
    return [
        model(
            commune=commune,
            grouping=grouping,
            team_id=team_id,
            village_id=village_id,
            category=category,
            channel=channel,
            **{when: day},
            **tally.as_row_fields(),
        )
        for (grouping, day, team_id, village_id, category, channel), tally in (
            tallies.items()
        )
    ]


def _by_month(tallies: dict[Key, Tally]) -> dict[Key, Tally]:
    """The day tallies summed per calendar month (keys carry the month's first day)."""
    months: dict[Key, Tally] = {}
    for (grouping, day, team, village, category, channel), tally in tallies.items():
        key = (grouping, month_of(day), team, village, category, channel)
        months.setdefault(key, Tally()).add(tally)
    return months


def _stored_days(commune: Commune, days: list[dt.date]) -> dict[Key, Tally]:
    """The day tallies stored for `days`, as they are before a rewrite."""
    rows = DayTally.objects.filter(commune=commune, day__in=days).values_list(
        "grouping", "day", *_SLICE[1:], *COUNTS, "accept_seconds", "times"
    )
    n = len(COUNTS)
    return {
        row[:6]: Tally.from_row(row[6 : 6 + n], row[6 + n], row[7 + n]) for row in rows
    }


def _follow_days(
    commune: Commune, before: dict[Key, Tally], after: dict[Key, Tally]
) -> None:
    """Move the month rows from the days as they were to the days as they are.

    Month row − old day tallies + new day tallies: counts and histograms are whole
    numbers, so this is the sum a fresh tally of the month would give. Only the
    slices whose days changed are rewritten; a slice left empty is deleted.
    """
    old, new = _by_month(before), _by_month(after)
    changed = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    if not changed:
        return
    # The months' slices first, without their histograms; then the histograms of the
    # changed slices only (a busy month has thousands of slices, a day changes few).
    slices = MonthTally.objects.filter(
        commune=commune, month__in={k[1] for k in changed}
    ).values_list("pk", "grouping", "month", *_SLICE[1:])
    pks = {row[1:]: row[0] for row in slices if row[1:] in changed}
    stored = {
        pk: Tally.from_row(row[: len(COUNTS)], row[-2], row[-1])
        for pk, *row in MonthTally.objects.filter(
            pk__in=list(pks.values())
        ).values_list("pk", *COUNTS, "accept_seconds", "times")
    }
    sums: dict[Key, Tally] = {}
    for key in changed:
        month = stored[pks[key]] if key in pks else Tally()
        month.subtract(old.get(key, Tally())).add(new.get(key, Tally()))
        if month.received:
            sums[key] = month
    MonthTally.objects.filter(pk__in=list(pks.values())).delete()
    MonthTally.objects.bulk_create(_rows(MonthTally, commune, sums), batch_size=2000)


def _rewrite(commune: Commune, days: set[dt.date], *, whole_month: bool = False) -> int:
    """Replace the stored tallies of `days` by fresh ones; returns requests tallied.

    The month rows follow in the same transaction: replaced outright when `days` are
    a whole calendar month (the build), else moved by the difference the rewritten
    days made (`_follow_days`).
    """
    ordered = sorted(days)
    requests = HelpRequest.objects.filter(day_ranges_q(ordered), commune=commune)
    tallies = tally_requests(requests)
    before = {} if whole_month else _stored_days(commune, ordered)
    DayTally.objects.filter(commune=commune, day__in=ordered).delete()
    DayTally.objects.bulk_create(_rows(DayTally, commune, tallies), batch_size=2000)
    if whole_month:
        MonthTally.objects.filter(commune=commune, month=month_of(ordered[0])).delete()
        MonthTally.objects.bulk_create(
            _rows(MonthTally, commune, _by_month(tallies)), batch_size=2000
        )
    else:
        _follow_days(commune, before, tallies)
    return sum(t.received for k, t in tallies.items() if k[0] == "")


def refresh(
    *,
    commune: Commune,
    now: dt.datetime | None = None,
    budget: dt.timedelta | None = REFRESH_BUDGET,
) -> int:
    """Rewrite the tallies of every day that changed since the last refresh.

    The days of new events become stale-day marks (one short transaction that also
    moves the watermark), then the marked days are rewritten a month at a time. Never
    built yet: carries the build on instead. Stops between months once `budget` is
    spent (the task runner kills tasks after a minute); the rest waits for the next
    run and is tallied live meanwhile. Returns the number of days written.
    """
    now = now or timezone.now()
    deadline = None if budget is None else time.monotonic() + budget.total_seconds()
    state, _ = TallyState.objects.get_or_create(commune=commune)
    if state.built_at is None:
        with transaction.atomic():
            state = TallyState.objects.select_for_update().get(commune=commune)
            run = state.rebuild or _start_build(state, now)
        try:
            return _carry_on_build(commune, run=run, now=now, deadline=deadline)
        except RebuildSuperseded:
            return 0
    with transaction.atomic():
        state = TallyState.objects.select_for_update().get(commune=commune)
        upto = max(_watermark(now), state.event_id)
        arrivals = changed_arrivals(
            commune_id=commune.pk, since=state.event_id, upto=upto
        )
        mark_stale(commune_id=commune.pk, arrivals=arrivals)
        state.event_id, state.refreshed_at = upto, now
        state.save(update_fields=["event_id", "refreshed_at"])
    return _rewrite_marked(commune, deadline=deadline)


def _rewrite_marked(commune: Commune, *, deadline: float | None) -> int:
    """Rewrite the stale-marked days, a month of them per transaction."""
    written = 0
    while True:
        with transaction.atomic():
            TallyState.objects.select_for_update().get(commune=commune)
            marks = list(
                StaleDay.objects.filter(commune=commune).values_list("pk", "day")
            )
            days = sorted({day for _pk, day in marks})[:DAYS_PER_CHUNK]
            if not days:
                return written
            _rewrite(commune, set(days))
            chosen = set(days)
            StaleDay.objects.filter(
                pk__in=[pk for pk, day in marks if day in chosen]
            ).delete()
            written += len(days)
        if deadline is not None and time.monotonic() > deadline:
            return written


def _start_build(state: TallyState, now: dt.datetime) -> uuid.UUID:
    """Begin a (re)build from the commune's first day; call with `state` locked."""
    commune = state.commune
    first = HelpRequest.objects.filter(commune=commune).aggregate(
        first=Min("created_at")
    )["first"]
    state.rebuild, state.rebuild_started_at = uuid.uuid4(), now
    state.rebuild_next = month_of(_local_day(first)) if first else None
    state.rebuild_event_id = _watermark(now)
    state.rebuild_marks_upto = (
        StaleDay.objects.filter(commune=commune).aggregate(top=Max("pk"))["top"] or 0
    )
    state.save()
    earlier = DayTally.objects.filter(commune=commune)
    earlier_months = MonthTally.objects.filter(commune=commune)
    if state.rebuild_next is not None:
        earlier = earlier.filter(day__lt=state.rebuild_next)
        earlier_months = earlier_months.filter(month__lt=state.rebuild_next)
    earlier.delete()
    earlier_months.delete()
    return state.rebuild


def _carry_on_build(
    commune: Commune,
    *,
    run: uuid.UUID,
    now: dt.datetime,
    deadline: float | None,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """Write the build's next months until it is done or `deadline` passes."""
    today = _local_day(now)
    written = 0
    while True:
        with transaction.atomic():
            state = TallyState.objects.select_for_update().get(commune=commune)
            if state.rebuild != run:
                raise RebuildSuperseded(commune.pk)
            if state.rebuild_next is None or state.rebuild_next > today:
                StaleDay.objects.filter(
                    commune=commune, pk__lte=state.rebuild_marks_upto
                ).delete()
                state.event_id = state.rebuild_event_id
                state.built_at = state.refreshed_at = now
                state.rebuild = state.rebuild_started_at = state.rebuild_next = None
                state.save()
                return written
            # A whole calendar month (to its end, even past today: no request is
            # there yet), so its month rows are the sum of the days just tallied.
            days = days_of_month(state.rebuild_next)
            progress(_rewrite(commune, set(days), whole_month=True))
            state.rebuild_next = days[-1] + dt.timedelta(days=1)
            state.save(update_fields=["rebuild_next"])
            written += len(days)
        if deadline is not None and time.monotonic() > deadline:
            return written


def rebuild(
    *,
    commune: Commune,
    now: dt.datetime | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """Tally every day of the commune's history again, to the end; returns days written.

    One transaction per month of days, so writers are never held up for long. Until
    the first build finishes, the KPI selectors tally from the requests. `progress`
    gets the number of requests tallied after each month. Raises RebuildSuperseded if
    another rebuild starts meanwhile (that one carries on).
    """
    now = now or timezone.now()
    TallyState.objects.get_or_create(commune=commune)
    with transaction.atomic():
        state = TallyState.objects.select_for_update().get(commune=commune)
        run = _start_build(state, now)
    return _carry_on_build(commune, run=run, now=now, deadline=None, progress=progress)


def refresh_all(*, now: dt.datetime | None = None) -> int:
    """`refresh` every commune with changes, and build the ones never built (the task).

    A few queries whatever the number of communes: the registry holds thousands, and
    most have nothing new in a given minute. Their watermark moves up in one UPDATE,
    so the next run looks at new events only.
    """
    now = now or timezone.now()
    upto = _watermark(now)
    built = TallyState.objects.filter(built_at__isnull=False)
    low = built.aggregate(low=Min("event_id"))["low"]
    touched: set[int] = set(
        StaleDay.objects.values_list("commune_id", flat=True).distinct()
    )
    if low is not None:
        touched.update(
            RequestEvent.objects.filter(id__gt=low, id__lte=upto)
            .values_list("request__commune_id", flat=True)
            .distinct()
        )
    never_built = Commune.objects.filter(
        Exists(HelpRequest.objects.filter(commune=OuterRef("pk")))
    ).exclude(pk__in=built.values("commune_id"))
    communes = Commune.objects.filter(Q(pk__in=touched) | Q(pk__in=never_built))
    days = sum(refresh(commune=commune, now=now) for commune in communes)
    # Nothing of the others changed up to `upto` (their events would be in `touched`).
    built.filter(event_id__lt=upto).exclude(commune_id__in=touched).update(
        event_id=upto
    )
    return days
