"""Who is *not* being reached: rates per village, distance to help, hours nobody is on duty.

A village asking far less than the commune average (per 1,000 households) may be unreached
rather than content, so it is flagged for a visit, not praised.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from dispatch.dashboard import kpis
from dispatch.dashboard.kpis import Filters, Period
from dispatch.help_requests.selectors import distance_km
from dispatch.models import OPEN_STATUSES, DutyChange, HelpRequest
from teams.models import Commune, DutySlot, SupportTeam, Village, Volunteer
from training import selectors as training_selectors

# A village is compared with the commune only once the commune's rate predicts at least
# this many requests from it: below that even zero requests is an ordinary outcome.
EQUITY_MIN_EXPECTED = 5
# Chance of flagging a village that is in fact asked from as often as the rest, for the
# whole table: divided among the villages tested (Bonferroni), so 23 villages do not
# yield one false flag a month by chance alone.
EQUITY_ALPHA = 0.05


def _per_thousand(count: int, households: int) -> float | None:
    return round(1000.0 * count / households, 1) if households else None


def binomial_lower_tail(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), exactly (summed in log space, no scipy)."""
    if k >= n or p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(n + 1)
    total = 0.0
    for j in range(k + 1):
        total += math.exp(
            log_n
            - math.lgamma(j + 1)
            - math.lgamma(n - j + 1)
            + j * log_p
            + (n - j) * log_q
        )
    return min(total, 1.0)


def village_rates(*, commune: Commune, period: Period) -> dict[str, Any]:
    """Requests and resolutions per 1,000 households per village, against the average.

    From the day tallies (a fixed number of queries). A village is flagged as
    unusually quiet only when all three hold:

    - the commune's rate predicts at least EQUITY_MIN_EXPECTED requests from it
      (`expected`), so a small village in a quiet month is never flagged;
    - its rate is below DASHBOARD_EQUITY_FLAG_RATIO × the commune average (a gap
      large enough to act on);
    - the gap is unlikely to be chance: an exact one-sided binomial test. If every
      household asked at the same rate, the village's share of the commune's N
      requests would be Binomial(N, its households / all households) — the exact
      conditional test of two Poisson rates, right for small counts where a normal
      approximation is not. Flagged when P(this few or fewer) < EQUITY_ALPHA divided
      by the number of villages tested (`p_value` on each row).
    """
    counts: dict[int, dict[str, int]] = {}
    found = kpis.tallies(
        commune=commune,
        period=period,
        filters=Filters(),
        by=("village",),
        headline=False,
    )
    for village_id, tally in found.by["village"].items():
        if village_id is not None:
            c = counts.setdefault(village_id, {"requests": 0, "resolutions": 0})
            c["requests"] += tally.received
            c["resolutions"] += tally.processed
    villages = list(
        Village.objects.filter(commune=commune)
        .order_by("number", "name")
        .values("id", "name", "households")
    )
    households = sum(v["households"] for v in villages)
    total = sum(counts.get(v["id"], {}).get("requests", 0) for v in villages)
    resolved = sum(counts.get(v["id"], {}).get("resolutions", 0) for v in villages)
    average = _per_thousand(total, households)
    ratio = settings.DASHBOARD_EQUITY_FLAG_RATIO

    def expected_of(v: dict[str, Any]) -> float:
        return total * v["households"] / households if households else 0.0

    tested = [v for v in villages if expected_of(v) >= EQUITY_MIN_EXPECTED]
    threshold = EQUITY_ALPHA / len(tested) if tested else 0.0
    rows = []
    for v in villages:
        c = counts.get(v["id"], {})
        requests = c.get("requests", 0)
        rate = _per_thousand(requests, v["households"])
        expected = expected_of(v)
        enough = expected >= EQUITY_MIN_EXPECTED
        p_value = (
            binomial_lower_tail(requests, total, v["households"] / households)
            if enough
            else None
        )
        rows.append(
            {
                "village_id": v["id"],
                "village": v["name"],
                "households": v["households"],
                "requests": requests,
                "expected": round(expected, 1),
                "enough": enough,
                "p_value": p_value,
                "resolutions": c.get("resolutions", 0),
                "requests_per_1000": rate,
                "resolutions_per_1000": _per_thousand(
                    c.get("resolutions", 0), v["households"]
                ),
                "flagged": bool(
                    enough
                    and average
                    and rate is not None
                    and rate < ratio * average
                    and p_value is not None
                    and p_value < threshold
                ),
            }
        )
    return {
        "average_requests_per_1000": average,
        "average_resolutions_per_1000": _per_thousand(resolved, households),
        "flag_ratio": ratio,
        "min_expected": EQUITY_MIN_EXPECTED,
        "alpha": EQUITY_ALPHA,
        "villages": rows,
    }


def _on_duty_team_ids(commune: Commune, volunteers: QuerySet[Volunteer]) -> set[int]:
    return set(
        volunteers.filter(
            team__commune=commune, team__active=True, active=True, on_duty=True
        ).values_list("team_id", flat=True)
    )


def coverage_gaps(*, commune: Commune) -> dict[str, Any]:
    """Per village, the distance to the nearest team with someone on duty now.

    Also per category that needs a certificate, the nearest team with a certified
    volunteer on duty. Villages farther than DASHBOARD_COVERAGE_KM are flagged.
    Queries: 3 + one per certified category (a fixed, small number).
    """
    limit = settings.DASHBOARD_COVERAGE_KM
    teams = {t.pk: t for t in SupportTeam.objects.filter(commune=commune, active=True)}
    on_duty = _on_duty_team_ids(commune, Volunteer.objects.all())
    categories = sorted(training_selectors.required_categories(commune=commune))
    certified = {
        category: _on_duty_team_ids(
            commune, training_selectors.certified_volunteers(category=category)
        )
        for category in categories
    }

    def nearest(village: Village, team_ids: set[int]) -> tuple[str, float] | None:
        best = None
        for team_id in team_ids & teams.keys():
            team = teams[team_id]
            km = distance_km((village.lat, village.lng), (team.base_lat, team.base_lng))
            if best is None or km < best[1]:
                best = (team.name, km)
        return best

    rows = []
    for village in Village.objects.filter(commune=commune).order_by("number", "name"):
        found = nearest(village, on_duty)
        per_category = {}
        for category in categories:
            hit = nearest(village, certified[category])
            per_category[category] = {
                "team": hit[0] if hit else None,
                "km": round(hit[1], 1) if hit else None,
                "flagged": hit is None or hit[1] > limit,
            }
        rows.append(
            {
                "village_id": village.pk,
                "village": village.name,
                "team": found[0] if found else None,
                "km": round(found[1], 1) if found else None,
                "flagged": found is None or found[1] > limit,
                "certified": per_category,
            }
        )
    return {"limit_km": limit, "categories": categories, "villages": rows}


@dataclass
class DutyGrid:
    """Per [weekday][hour] of local time: `share` = part of that hour's occurrences with
    someone on duty, `seen` = how many occurrences the duty record covers.

    `on_now` is how many are on duty at the end of the grid when that end is now: by
    construction the same figure as the teams' on-duty counts (board, map, API).
    """

    has_history: bool
    share: list[list[float]]
    seen: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    on_now: int | None = None

    @property
    def empty_hours(self) -> list[tuple[int, int]]:
        """(weekday 0=Monday, hour) slots with nobody on duty in any recorded occurrence."""
        return [
            (day, hour)
            for day in range(7)
            for hour in range(24)
            if self.seen[day][hour] and self.share[day][hour] == 0
        ]

    @property
    def unrecorded_hours(self) -> list[tuple[int, int]]:
        """Slots of the week the duty record does not reach yet (a new commune)."""
        return [
            (day, hour)
            for day in range(7)
            for hour in range(24)
            if not self.seen[day][hour]
        ]


def _duty_changes(
    *, commune: Commune, start: dt.datetime, end: dt.datetime
) -> tuple[list[tuple[dt.datetime, int, bool]], set[int], dt.datetime | None]:
    """Every volunteer's on/off changes from `start` to `end`, the set on duty at
    `start`, and when the commune's duty record begins (None: no volunteer yet).

    The log (`DutyChange`) holds every real flip made through the registry's services.
    Each volunteer's state is read from it and from their flag:
    - at `start`: their last change before it; with none, the opposite of their first
      change after it (each row is a flip); with no change at all, off;
    - their flag (on duty, active, in an active team: what the teams' counts show) has
      held since at least their row was last written (`updated_at`, set by every write,
      flag included): when the log ends in another state — a flag set without the log,
      as by an import of old, a bulk load or a deactivation — the flag takes over then.
    So the grid's last hour agrees with the on-duty counts shown everywhere else.
    Two queries.
    """
    mine = DutyChange.objects.filter(volunteer=OuterRef("pk"))
    before = mine.filter(at__lt=start).order_by("-at", "-id")
    after = mine.filter(at__gte=start).order_by("at", "id")
    latest = mine.order_by("-at", "-id")
    volunteers = (
        Volunteer.objects.filter(team__commune=commune)
        .annotate(
            state_before=Subquery(before.values("on_duty")[:1]),
            first_after=Subquery(after.values("on_duty")[:1]),
            last_state=Subquery(latest.values("on_duty")[:1]),
            last_at=Subquery(latest.values("at")[:1]),
            first_at=Subquery(mine.order_by("at", "id").values("at")[:1]),
        )
        .values_list(
            "pk",
            "on_duty",
            "active",
            "team__active",
            "created_at",
            "updated_at",
            "state_before",
            "first_after",
            "last_state",
            "last_at",
            "first_at",
        )
    )
    on: set[int] = set()
    extra: list[tuple[dt.datetime, int, bool]] = []
    begins: dt.datetime | None = None
    for (
        pk,
        flag,
        active,
        team_active,
        created,
        updated,
        state_before,
        first_after,
        last_state,
        last_at,
        first_at,
    ) in volunteers:
        known = min(created, first_at) if first_at else created
        begins = known if begins is None else min(begins, known)
        if state_before is not None:
            at_start = state_before
        elif first_after is not None:
            at_start = not first_after
        else:
            at_start = False
        now_flag = bool(flag and active and team_active)
        logged = bool(last_state) if last_state is not None else False
        if logged != now_flag:
            since = max(updated, last_at) if last_at else updated
            if since <= start:
                at_start = now_flag
            elif since < end:
                extra.append((since, pk, now_flag))
        if at_start:
            on.add(pk)
    logged_changes = [
        (at, volunteer_id, state)
        for volunteer_id, state, at in DutyChange.objects.filter(
            volunteer__team__commune=commune, at__gte=start, at__lt=end
        )
        .order_by("at", "id")
        .values_list("volunteer_id", "on_duty", "at")
    ]
    changes = sorted(logged_changes + extra, key=lambda change: change[0])
    return changes, on, begins


def duty_grid(
    *, commune: Commune, period: Period, now: dt.datetime | None = None
) -> DutyGrid:
    """Hours of the week (local time) with nobody on duty, from the duty log and flags.

    An hour counts as covered when someone was on duty at any moment of it. Hours
    before the commune's duty record begins (its first volunteer or first logged
    change) are not counted at all: a commune on its first day sees "not recorded
    yet", not a week of red. Three queries.
    """
    now = now or timezone.now()
    end = min(period.end, now)
    covered = [[0] * 24 for _ in range(7)]
    seen = [[0] * 24 for _ in range(7)]
    if end <= period.start:
        return DutyGrid(has_history=False, share=covered, seen=seen)
    changes, on, begins = _duty_changes(commune=commune, start=period.start, end=end)
    tz = timezone.get_default_timezone()
    hour = period.start
    i = 0
    while hour < end:
        nxt = hour + dt.timedelta(hours=1)
        someone = bool(on)
        while i < len(changes) and changes[i][0] < nxt:
            _at, volunteer_id, state = changes[i]
            if state:
                on.add(volunteer_id)
                someone = True
            else:
                on.discard(volunteer_id)
            i += 1
        if begins is not None and nxt > begins:
            local = hour.astimezone(tz)
            seen[local.weekday()][local.hour] += 1
            covered[local.weekday()][local.hour] += someone
        hour = nxt
    share = [
        [round(covered[d][h] / seen[d][h], 2) if seen[d][h] else 0.0 for h in range(24)]
        for d in range(7)
    ]
    return DutyGrid(
        has_history=any(any(row) for row in seen),
        share=share,
        seen=seen,
        on_now=len(on) if end == now else None,
    )


def roster_grid(*, commune: Commune) -> list[list[int]] | None:
    """Members rostered per [weekday][hour] by the teams' weekly slots; None if the
    commune has no roster yet (the grid then shows only the duty log)."""
    slots = list(
        DutySlot.objects.filter(
            team__commune=commune, team__active=True
        ).prefetch_related("members")
    )
    if not slots:
        return None
    planned = [[0] * 24 for _ in range(7)]
    for slot in slots:
        members = sum(1 for v in slot.members.all() if v.active)
        for hour in range(24):
            if slot.starts <= dt.time(hour) < slot.ends or (
                slot.starts.hour == hour and slot.starts.minute
            ):
                planned[slot.weekday][hour] += members
    return planned


def past_due(
    *, commune: Commune, now: dt.datetime | None = None, limit: int = 50
) -> QuerySet[HelpRequest]:
    """Open requests whose due time has passed, the most overdue first."""
    return (
        HelpRequest.objects.filter(
            commune=commune,
            status__in=OPEN_STATUSES,
            due_at__lt=now or timezone.now(),
        )
        .select_related("village", "current_team")
        .order_by("due_at")[:limit]
    )
