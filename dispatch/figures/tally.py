"""Day tallies: the KPI figures of a slice of requests, in a form that adds up.

A tally holds what the dashboard needs about some requests: counts, sums, and the times
to accept, to first contact and to resolve as histograms of whole seconds rounded to two
significant figures (437 s → 440 s). Tallies of different days add up, so a year of
figures is at most 365 stored rows whatever the number of requests.

Percentiles read from a summed histogram are exact nearest-rank percentiles of the
rounded times. Rounding never changes the order of two times, so that is the exact
percentile, rounded the same way: the median of 437 s, 452 s and 1,204 s is 452 s, and
the histogram gives 450 s.

Month tallies are sums of day tallies: a month's histogram is the bucket-by-bucket sum
of its days' histograms (the buckets are the same rounded seconds everywhere), so a
percentile read from months and days together is the same number as one read from
the days alone, or from the requests.

This module only computes; `dispatch.figures.refresh` stores day and month tallies
and `kpis` reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dispatch.models import OPEN_STATUSES, HelpRequest, Offer, RequestEvent, Status

# The three times the dashboard measures, all from the moment the request arrived.
MEASURES = {
    "accept": "accepted_at",  # a volunteer took it
    "contact": "started_at",  # the volunteer started helping (first contact)
    "resolve": "resolved_at",  # resolved
}
DIMENSIONS = ("team", "village", "category", "channel")
# Where each dimension lives on a DayTally (on a HelpRequest, the team is current_team).
TALLY_COLUMNS = {
    "team": "team_id",
    "village": "village_id",
    "category": "category",
    "channel": "channel",
}
# The slices stored for every day: the whole commune, each single dimension, each pair
# (every filter of one or two dimensions the page and the API offer), and each team
# with a pair that has no team in it (the per-team table under a filter of two). So
# every such view reads stored rows, a bounded number per day whatever the number of
# requests. Filters of three dimensions or more are narrow; they are tallied from the
# requests themselves. Changing this list needs a migration that resets TallyState
# (see 0023_tally_every_pair_of_filters), so the stored tallies are rebuilt.
GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    ("team",),
    ("village",),
    ("category",),
    ("channel",),
    ("team", "village"),
    ("team", "category"),
    ("team", "channel"),
    ("village", "category"),
    ("village", "channel"),
    ("category", "channel"),
    ("team", "village", "category"),
    ("team", "village", "channel"),
    ("team", "category", "channel"),
)
# A request is a repeat when the same phone asked in the 30 days before it.
REPEAT_WINDOW = dt.timedelta(days=30)
COUNTS = (
    "received",
    "processed",
    "on_time",
    "escalations",
    "cancelled",
    "open",
    "rated",
    "rating_sum",
    "declines",
    "expiries",
    "repeats",
    "accepted",
)


def two_figures(seconds: float) -> int:
    """Whole seconds, rounded half up to two significant figures (monotone)."""
    n = max(round(seconds), 0)
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return (n + step // 2) // step * step


def month_of(day: dt.date) -> dt.date:
    """The first day of `day`'s calendar month (how month rows are keyed)."""
    return day.replace(day=1)


def days_of_month(first: dt.date) -> list[dt.date]:
    """Every day of the calendar month that begins on `first`."""
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return [first + dt.timedelta(days=i) for i in range((following - first).days)]


def canonical(dimensions: Iterable[str]) -> tuple[str, ...]:
    wanted = set(dimensions)
    return tuple(d for d in DIMENSIONS if d in wanted)


def grouping_name(dimensions: tuple[str, ...]) -> str:
    return "+".join(dimensions)


@dataclass(slots=True)
class Tally:
    received: int = 0
    processed: int = 0
    on_time: int = 0
    escalations: int = 0
    cancelled: int = 0
    open: int = 0
    rated: int = 0
    rating_sum: int = 0
    declines: int = 0
    expiries: int = 0
    repeats: int = 0
    accepted: int = 0
    accept_seconds: float = 0.0
    # measure → {seconds: requests}; None until a time is added (most tallies in a
    # page only count, and these are made by the thousand).
    times: dict[str, dict[int, int]] | None = None

    def _times(self) -> dict[str, dict[int, int]]:
        if self.times is None:
            self.times = {measure: {} for measure in MEASURES}
        return self.times

    def add_times(self, measure: str, counts: dict[int, int]) -> None:
        into = self._times()[measure]
        for seconds, n in counts.items():
            into[seconds] = into.get(seconds, 0) + n

    def add(self, other: Tally) -> Tally:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.accept_seconds += other.accept_seconds
        if other.times:
            for measure, counts in other.times.items():
                self.add_times(measure, counts)
        return self

    def subtract(self, other: Tally) -> Tally:
        """Take `other` out again (how a month row follows a rewritten day).

        Counts and histograms are whole numbers, so this is exact; a bucket that
        reaches zero is dropped, so the histogram is the one a fresh sum would give.
        """
        for name in COUNTS:
            setattr(self, name, getattr(self, name) - getattr(other, name))
        self.accept_seconds -= other.accept_seconds
        if other.times:
            mine = self._times()
            for measure, counts in other.times.items():
                into = mine[measure]
                for seconds, n in counts.items():
                    left = into.get(seconds, 0) - n
                    if left:
                        into[seconds] = left
                    else:
                        into.pop(seconds, None)
        return self

    @classmethod
    def from_row(
        cls, counts: Iterable[Any], accept_seconds: float, times: dict[str, Any]
    ) -> Tally:
        """A tally from a stored row: COUNTS in order, then the stored histograms."""
        tally = cls(*counts, accept_seconds=accept_seconds)
        for measure, found in times.items():
            tally.add_times(measure, {int(k): n for k, n in found.items()})
        return tally

    def n(self, measure: str) -> int:
        return sum(self.times[measure].values()) if self.times else 0

    def percentile(self, measure: str, p: float) -> int | None:
        """Nearest rank: the smallest time with at least p % of the times at or below."""
        counts = self.times[measure] if self.times else {}
        total = sum(counts.values())
        if not total:
            return None
        rank = max(-(-p * total // 100), 1)  # ceil(p × n / 100), at least the first
        seen = 0
        for seconds in sorted(counts):
            seen += counts[seconds]
            if seen >= rank:
                return seconds
        return None  # unreachable: seen ends at total ≥ rank

    def as_row_fields(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in COUNTS},
            "accept_seconds": self.accept_seconds,
            "times": {
                m: {str(k): v for k, v in sorted(c.items())}
                for m, c in (self.times or {}).items()
                if c
            },
        }


# (grouping name, day, team id, village id, category, channel); "" / None = all.
Key = tuple[str, dt.date, int | None, int | None, str, str]

_FIELDS = (
    "pk",
    "created_at",
    "current_team_id",
    "village_id",
    "category",
    "channel",
    "status",
    "on_time",
    "escalated_at",
    "rating",
    "resident_phone",
    "repeat",
    *MEASURES.values(),
)
_MEASURE_NAMES = tuple(MEASURES)
_COUNT = {name: i for i, name in enumerate(COUNTS)}
_OPEN = frozenset(OPEN_STATUSES)


def _with_repeat_flag(queryset: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    earlier = HelpRequest.objects.filter(
        commune_id=OuterRef("commune_id"),
        resident_phone=OuterRef("resident_phone"),
        created_at__lt=OuterRef("created_at"),
        created_at__gte=OuterRef("created_at") - REPEAT_WINDOW,
    )
    return queryset.annotate(repeat=Exists(earlier))


def _offer_counts(queryset: QuerySet[HelpRequest]) -> dict[int, tuple[int, int]]:
    rows = (
        # No filter on the state: it would send SQLite down the state index, through
        # every declined offer of the commune's history, instead of the request index.
        Offer.objects.filter(request__in=queryset.values("pk"))
        .values("request_id")
        .annotate(
            declines=Count("pk", filter=Q(state=Offer.State.DECLINED)),
            expiries=Count("pk", filter=Q(state=Offer.State.EXPIRED)),
        )
        .order_by()
    )
    return {r["request_id"]: (r["declines"], r["expiries"]) for r in rows}


def _counts_of(row: tuple[Any, ...], offers: tuple[int, int]) -> list[tuple[int, int]]:
    """(COUNTS index, value) pairs of one request, zeros left out."""
    (_pk, _at, _team, _village, _cat, _chan, status, on_time, escalated, rating) = row[
        :10
    ]
    # Processed = closed: after the follow-up window confirmed it (or staff closed it);
    # a resolved request the resident may still reopen does not count yet.
    processed = status == Status.CLOSED
    found = [
        (_COUNT["received"], 1),
        (_COUNT["processed"], int(processed)),
        (_COUNT["on_time"], int(processed and bool(on_time))),
        (_COUNT["escalations"], int(escalated is not None)),
        (_COUNT["cancelled"], int(status == Status.CANCELLED)),
        (_COUNT["open"], int(status in _OPEN)),
        (_COUNT["rated"], int(rating is not None)),
        (_COUNT["rating_sum"], rating or 0),
        (_COUNT["declines"], offers[0]),
        (_COUNT["expiries"], offers[1]),
        (_COUNT["repeats"], int(bool(row[11]) and bool(row[10]))),
        (_COUNT["accepted"], int(row[12] is not None)),  # accepted_at
    ]
    return [(i, v) for i, v in found if v]


def tally_requests(
    queryset: QuerySet[HelpRequest],
    groupings: Iterable[tuple[str, ...]] = GROUPINGS,
    *,
    chunk: int = 5000,
) -> dict[Key, Tally]:
    """Tallies per local day and per slice of every grouping (two queries).

    Runs over every request once; the per-request work is kept to list and dict
    increments, because a rebuild goes through a commune's whole history.
    """
    shapes = [
        (
            grouping_name(dims := canonical(g)),
            "team" in dims,
            "village" in dims,
            "category" in dims,
            "channel" in dims,
        )
        for g in groupings
    ]
    tz = timezone.get_default_timezone()
    offers = _offer_counts(queryset)
    found: dict[Key, tuple[list[float], dict[tuple[int, int], int], list[float]]] = {}
    rows = _with_repeat_flag(queryset).order_by().values_list(*_FIELDS)
    for row in rows.iterator(chunk_size=chunk):
        pk, created, team, village, category, channel = row[:6]
        counts = _counts_of(row, offers.get(pk, (0, 0)))
        times: list[tuple[int, int]] = []
        accept = 0.0
        for index, moment in enumerate(row[12:]):
            if moment is not None:
                seconds = (moment - created).total_seconds()
                times.append((index, two_figures(seconds)))
                if index == 0:
                    accept = seconds
        day = created.astimezone(tz).date()
        for name, by_team, by_village, by_category, by_channel in shapes:
            key = (
                name,
                day,
                team if by_team else None,
                village if by_village else None,
                category if by_category else "",
                channel if by_channel else "",
            )
            slot = found.get(key)
            if slot is None:
                slot = found[key] = ([0] * len(COUNTS), {}, [0.0])
            total, histogram = slot[0], slot[1]
            for i, value in counts:
                total[i] += value
            for bucket in times:
                histogram[bucket] = histogram.get(bucket, 0) + 1
            slot[2][0] += accept
    return {key: _tally(*slot) for key, slot in found.items()}


def _tally(
    counts: list[float], times: dict[tuple[int, int], int], accept: list[float]
) -> Tally:
    tally = Tally(*counts, accept_seconds=accept[0])
    for (index, seconds), n in times.items():
        tally.add_times(_MEASURE_NAMES[index], {seconds: n})
    return tally


def day_ranges_q(days: Iterable[dt.date], *, prefix: str = "") -> Q:
    """Requests received on any of `days` (local calendar days); runs of days are one range."""
    tz = timezone.get_default_timezone()
    runs: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][1] == dt.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    q = Q(pk__in=[])
    for first, last in runs:
        start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        q |= Q(**{f"{prefix}created_at__gte": start, f"{prefix}created_at__lt": end})
    return q


def changed_arrivals(
    *,
    commune_id: int,
    since: int,
    upto: int | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    chunk: int = 5000,
) -> set[dt.datetime]:
    """Arrival times (in [start, end) if given) of the commune's requests with events
    after event `since`.

    The new events first (a short walk up the primary key), then their requests by id
    alone, narrowed here: given the commune and dates too, SQLite without statistics
    prefers walking the commune's whole history by date to looking up a few ids.
    """
    events = RequestEvent.objects.filter(id__gt=since).order_by()
    if upto is not None:
        events = events.filter(id__lte=upto)
    ids = sorted(set(events.values_list("request_id", flat=True)))
    found: set[dt.datetime] = set()
    for first in range(0, len(ids), chunk):
        rows = (
            HelpRequest.objects.filter(pk__in=ids[first : first + chunk])
            .order_by()
            .values_list("commune_id", "created_at")
        )
        found.update(
            at
            for commune, at in rows
            if commune == commune_id
            and (start is None or at >= start)
            and (end is None or at < end)
        )
    return found
