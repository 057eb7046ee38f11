"""KPI selectors: the figures the commune reports (received, processed, % on time) and more.

Figures come from stored tallies (`dispatch.figures.tally`): one row per month and
slice for the whole calendar months of a period, one row per day and slice for the
rest, and one small row per day for the daily series. So three years cost the same few
queries and a bounded number of rows whatever the number of requests. Days whose requests changed since the tallies were last refreshed (the
`dispatch.figures.refresh` task runs every minute) are tallied from the requests themselves in the
same call, so the figures are always current. Every function runs a fixed number of SQL
queries whatever the number of requests.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from dispatch.figures.tally import (
    COUNTS,
    DIMENSIONS,
    GROUPINGS,
    MEASURES,
    TALLY_COLUMNS,
    Tally,
    canonical,
    changed_arrivals,
    day_ranges_q,
    days_of_month,
    grouping_name,
    month_of,
    tally_requests,
)
from dispatch.models import DayTally, HelpRequest, MonthTally, StaleDay, TallyState
from teams.models import Commune, SupportTeam

DEFAULT_DAYS = 30
PERCENTILES = (50, 90)
# More changed days than this (the refresh task has been down a long while): tally the
# whole period from the requests rather than send a long list of days to the database.
MAX_CHANGED_DAYS = 120


@dataclass(frozen=True)
class Period:
    """A half-open interval [start, end) of aware datetimes."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def from_dates(cls, first: dt.date, last: dt.date) -> Period:
        """From local midnight of `first` to local midnight after `last` (inclusive)."""
        tz = timezone.get_default_timezone()
        start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return cls(start=start, end=end)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        next_first = (first + dt.timedelta(days=32)).replace(day=1)
        return cls.from_dates(first, next_first - dt.timedelta(days=1))

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, *, now: dt.datetime | None = None):
        today = timezone.localdate(now or timezone.now())
        return cls.from_dates(today - dt.timedelta(days=days - 1), today)

    @property
    def first_day(self) -> dt.date:
        return timezone.localtime(self.start).date()

    @property
    def last_day(self) -> dt.date:
        return timezone.localtime(self.end).date() - dt.timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    team_id: int | None = None
    village_id: int | None = None
    category: str = ""
    channel: str = ""

    def values(self) -> dict[str, Any]:
        """The dimensions this filter narrows, by tally name ("team", …), with values."""
        values = {
            "team": self.team_id,
            "village": self.village_id,
            "category": self.category,
            "channel": self.channel,
        }
        return {k: v for k, v in values.items() if v}

    def as_query(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.values().items()}


def requests_q(
    *, commune: Commune, period: Period | None, filters: Filters, prefix: str = ""
) -> Q:
    """The requests of a KPI: those *received* in the period, narrowed by the filters.

    period=None leaves the dates to the caller (one range per condition on a column:
    given two, SQLite may walk the wider).
    """
    terms: dict[str, Any] = {"commune": commune}
    if period is not None:
        terms.update(created_at__gte=period.start, created_at__lt=period.end)
    if filters.team_id:
        terms["current_team_id"] = filters.team_id
    if filters.village_id:
        terms["village_id"] = filters.village_id
    if filters.category:
        terms["category"] = filters.category
    if filters.channel:
        terms["channel"] = filters.channel
    return Q(**{prefix + key: value for key, value in terms.items()})


def requests_for(
    *, commune: Commune, period: Period, filters: Filters
) -> QuerySet[HelpRequest]:
    q = requests_q(commune=commune, period=period, filters=filters)
    return HelpRequest.objects.filter(q)


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _rounded(value: float | None, digits: int = 0) -> float | None:
    return None if value is None else round(value, digits)


def _changed_days(*, commune: Commune, period: Period, since: int) -> set[dt.date]:
    """Days of the period whose requests changed after event `since` (3 queries)."""
    tz = timezone.get_default_timezone()
    arrivals = changed_arrivals(
        commune_id=commune.pk,
        since=since,
        start=period.start,
        end=period.end,
    )
    days = {moment.astimezone(tz).date() for moment in arrivals}
    days.update(
        StaleDay.objects.filter(
            commune=commune, day__gte=period.first_day, day__lte=period.last_day
        ).values_list("day", flat=True)
    )
    return days


@dataclass
class Tallies:
    """The tallies of the requests received in a period."""

    days: dict[dt.date, Tally]  # counts per local day (for the trends)
    total: Tally  # the whole period, with the time histograms
    by: dict[str, dict[Any, Tally]]  # the whole period per team, village, …


def tallies(
    *,
    commune: Commune,
    period: Period,
    filters: Filters,
    by: tuple[str, ...] = (),
    headline: bool = True,
) -> Tallies:
    """Tallies of the requests received in `period`, per day, in total and per `by`.

    Stored tallies where they are current (`_read_stored`): the per-day counts row by
    row, the histograms from month rows and edge-day rows, the slices by dimension
    summed in SQL. Days changed since the last refresh, and filters whose slices are
    not stored, are tallied from the requests, in one pass for everything asked.
    `headline=False` leaves `days` and `total` empty, for callers that want only the
    slices. Queries: 3 + 1, + 2 for the headline and 1 per `by`, + 2 when some days
    changed (or, when nothing is stored for these filters, 1 + 2). The same at any
    number of requests.
    """
    wanted = filters.values()
    slicings = {b: canonical([*wanted, b]) for b in by}
    if headline:
        slicings[""] = canonical(wanted)
    out = Tallies(days={}, total=Tally(), by={b: {} for b in by})
    only = requests_q(commune=commune, period=period, filters=filters)
    state = TallyState.objects.filter(commune=commune, built_at__isnull=False).first()
    stored = state is not None and all(d in GROUPINGS for d in slicings.values())
    if stored:
        changed = _changed_days(commune=commune, period=period, since=state.event_id)
        stored = len(changed) <= MAX_CHANGED_DAYS
    if stored:
        _read_stored(out, commune, period, wanted, slicings, changed)
        if not changed:
            return out
        # The changed days lie inside the period: their ranges alone bound the dates.
        only = requests_q(commune=commune, period=None, filters=filters)
        only &= day_ranges_q(changed)
    fresh = tally_requests(HelpRequest.objects.filter(only), set(slicings.values()))
    for key, tally in fresh.items():
        for b, dimensions in slicings.items():
            if key[0] != grouping_name(dimensions):
                continue
            if b:
                value = key[2 + DIMENSIONS.index(b)]
                out.by[b].setdefault(value, Tally()).add(tally)
            else:
                out.days.setdefault(key[1], Tally()).add(tally)
                out.total.add(tally)
    return out


def _spans(
    period: Period, changed: set[dt.date]
) -> tuple[tuple[dt.date, dt.date] | None, set[dt.date], list[tuple[dt.date, dt.date]]]:
    """Where each day of the period is read from.

    The whole calendar months inside the period (first and last month, or None) come
    from month rows, except the months holding a changed day (returned second); every
    other day — the partial months at the edges and those months — from day rows
    (first and last day of each run).
    """
    first, last = period.first_day, period.last_day
    dirty = {month_of(d) for d in changed}
    months: list[dt.date] = []
    days: list[tuple[dt.date, dt.date]] = []
    day = first
    while day <= last:
        month = month_of(day)
        month_end = days_of_month(month)[-1]
        end = min(month_end, last)
        if day == month and end == month_end:
            months.append(month)
        if day != month or end != month_end or month in dirty:
            days.append((day, end))
        day = end + dt.timedelta(days=1)
    return ((months[0], months[-1]) if months else None), dirty, days


def _one_statement(parts: list[QuerySet[Any]]) -> QuerySet[Any] | list[Any]:
    """The rows of every part, in one SQL statement (UNION ALL).

    A part per run of days, each its own range in the index: given in one OR, SQLite
    may walk the grouping's every day instead.
    """
    if not parts:
        return []
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _read_stored(
    out: Tallies,
    commune: Commune,
    period: Period,
    wanted: dict[str, Any],
    slicings: dict[str, tuple[str, ...]],
    changed: set[dt.date],
) -> None:
    """The figures of the unchanged days, from month rows where a whole month is clean.

    A bounded number of rows whatever the number of requests: a row per day for the
    per-day counts (no histograms), a row per whole month for the histograms and the
    slices, and day rows for the rest (at most two partial months, plus any month
    with a day changed since the last refresh).
    """
    fields = [*COUNTS, "accept_seconds"]
    months, dirty, edge_days = _spans(period, changed)
    narrowed = {TALLY_COLUMNS[d]: v for d, v in wanted.items()}

    def day_rows(
        dimensions: tuple[str, ...], runs: list[tuple[dt.date, dt.date]]
    ) -> QuerySet[DayTally]:
        where = Q(pk__in=[])
        for start, end in runs:
            where |= Q(
                commune=commune,
                grouping=grouping_name(dimensions),
                day__gte=start,
                day__lte=end,
            )
        return (
            DayTally.objects.filter(where, **narrowed)
            .exclude(day__in=changed)
            .order_by()
        )

    def month_rows(dimensions: tuple[str, ...]) -> QuerySet[MonthTally] | None:
        if months is None:
            return None
        return (
            MonthTally.objects.filter(
                commune=commune,
                grouping=grouping_name(dimensions),
                month__gte=months[0],
                month__lte=months[1],
                **narrowed,
            )
            .exclude(month__in=dirty)
            .order_by()
        )

    whole_period = [(period.first_day, period.last_day)]
    if "" in slicings:
        dimensions = slicings[""]
        for day, *counts in day_rows(dimensions, whole_period).values_list(
            "day", *fields
        ):
            tally = Tally(*counts)
            out.days[day] = tally
            out.total.add(tally)
        times: dict[str, Counter[str]] = {measure: Counter() for measure in MEASURES}
        found: list[QuerySet[Any]] = [
            day_rows(dimensions, [run]).values_list("times", flat=True)
            for run in edge_days
        ]
        if (in_months := month_rows(dimensions)) is not None:
            found.append(in_months.values_list("times", flat=True))
        for stored_times in _one_statement(found):
            for measure, counts in stored_times.items():
                times[measure].update(counts)  # keys still text: cheaper to add
        for measure, summed in times.items():
            out.total.add_times(measure, {int(k): n for k, n in summed.items()})
    for b, dimensions in slicings.items():
        if not b:
            continue
        column = TALLY_COLUMNS[b]
        sums = {f"sum_{name}": Sum(name) for name in fields}
        parts: list[QuerySet[Any]] = [
            day_rows(dimensions, [run]).values(column).annotate(**sums)
            for run in edge_days
        ]
        if (in_months := month_rows(dimensions)) is not None:
            parts.append(in_months.values(column).annotate(**sums))
        for row in _one_statement(parts):
            tally = Tally(*(row[f"sum_{name}"] for name in fields))
            out.by[b].setdefault(row[column], Tally()).add(tally)


@dataclass
class Summary:
    received: int
    processed: int
    on_time: int
    on_time_percent: float | None
    escalations: int
    declines: int
    expiries: int
    cancelled: int
    open: int
    rating_avg: float | None
    rated: int
    repeat_requests: int
    # "accept" → {"n": 12, "p50": 300, "p90": 900} seconds (two significant figures)
    durations: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, tally: Tally) -> Summary:
        return cls(
            received=tally.received,
            processed=tally.processed,
            on_time=tally.on_time,
            on_time_percent=_percent(tally.on_time, tally.processed),
            escalations=tally.escalations,
            declines=tally.declines,
            expiries=tally.expiries,
            cancelled=tally.cancelled,
            open=tally.open,
            rating_avg=_rounded(tally.rating_sum / tally.rated, 2)
            if tally.rated
            else None,
            rated=tally.rated,
            repeat_requests=tally.repeats,
            durations={
                measure: {
                    "n": tally.n(measure),
                    **{f"p{p}": tally.percentile(measure, p) for p in PERCENTILES},
                }
                for measure in MEASURES
            },
        )

    def as_data(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "processed": self.processed,
            "on_time": self.on_time,
            "on_time_percent": self.on_time_percent,
            "escalations": self.escalations,
            "declines": self.declines,
            "expiries": self.expiries,
            "cancelled": self.cancelled,
            "open": self.open,
            "rating_avg": self.rating_avg,
            "rated": self.rated,
            "repeat_requests": self.repeat_requests,
            "durations_seconds": self.durations,
        }


def _team_rows(teams: dict[int | None, Tally]) -> list[dict[str, Any]]:
    names = dict(
        SupportTeam.objects.filter(pk__in=[t for t in teams if t]).values_list(
            "pk", "name"
        )
    )
    rows = [
        {
            "team_id": team_id,
            "team": names.get(team_id, ""),
            "received": t.received,
            "processed": t.processed,
            "on_time": t.on_time,
            "on_time_percent": _percent(t.on_time, t.processed),
            "escalations": t.escalations,
            "rating_avg": _rounded(t.rating_sum / t.rated, 2) if t.rated else None,
            "accept_avg_minutes": _rounded(
                t.accept_seconds / t.accepted / 60 if t.accepted else None, 1
            ),
        }
        for team_id, t in teams.items()
    ]
    return sorted(rows, key=lambda r: (-r["received"], r["team"]))


def _series(
    found: dict[dt.date, Tally], first: dt.date, last: dt.date, step: int
) -> list[dict[str, Any]]:
    day, series = first, []
    while day <= last:
        days = [found.get(day + dt.timedelta(days=i)) for i in range(step)]
        series.append(
            {
                "date": day.isoformat(),
                **{
                    name: sum(getattr(t, name) for t in days if t)
                    for name in ("received", "processed", "on_time")
                },
            }
        )
        day += dt.timedelta(days=step)
    return series


def _trends(
    per_day: dict[dt.date, Tally], period: Period
) -> dict[str, list[dict[str, Any]]]:
    first, last = period.first_day, period.last_day
    monday = first - dt.timedelta(days=first.weekday())
    return {
        "day": _series(per_day, first, last, 1),
        "week": _series(per_day, monday, last, 7),
    }


@dataclass
class Report:
    summary: Summary
    teams: list[dict[str, Any]]
    # "day" and "week" series of received, processed and on time
    trends: dict[str, list[dict[str, Any]]]


def report(*, commune: Commune, period: Period, filters: Filters) -> Report:
    """The headline, the per-team table and the trends, from one set of tallies."""
    found = tallies(commune=commune, period=period, filters=filters, by=("team",))
    return Report(
        summary=Summary.of(found.total),
        teams=_team_rows(found.by["team"]),
        trends=_trends(found.days, period),
    )


def summary(*, commune: Commune, period: Period, filters: Filters) -> Summary:
    """Headline KPIs for the requests received in `period`."""
    return Summary.of(tallies(commune=commune, period=period, filters=filters).total)


def per_team(
    *, commune: Commune, period: Period, filters: Filters
) -> list[dict[str, Any]]:
    """One row per team that handled requests of the period."""
    found = tallies(commune=commune, period=period, filters=filters, by=("team",))
    return _team_rows(found.by["team"])


def trends(
    *, commune: Commune, period: Period, filters: Filters
) -> dict[str, list[dict[str, Any]]]:
    """Received, processed and on time per local day and per ISO week.

    Weeks start on Monday; the first and last may reach outside the period and count
    only its days. Days without requests are zeros, so charts keep their time axis.
    """
    found = tallies(commune=commune, period=period, filters=filters)
    return _trends(found.days, period)


def trend(
    *, commune: Commune, period: Period, filters: Filters, by: str = "day"
) -> list[dict[str, Any]]:
    """One of the two series of `trends` (by "day" or "week")."""
    return trends(commune=commune, period=period, filters=filters)[by]
