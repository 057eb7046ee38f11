"""Reads of outreach campaigns: a volunteer's list, progress, the map, the weekly report.

Counting words, as the commune reports them ("đã đến X/Y hộ, hoàn thành Z %"):
- Y, the households of a campaign: those on its list;
- X, reached ("đã đến"): visited and met (done, needs follow-up or refused) — a house
  nobody was at is not reached yet;
- done ("hoàn thành"): the latest visit finished the goal; Z = done / Y.
Targets count done households: per village (default: its register) and per organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from geopy.distance import geodesic

from dispatch.models import (
    Campaign,
    CampaignHousehold,
    HelpRequest,
    Organisation,
    Visit,
)
from teams.models import Commune, Household, Volunteer

State = CampaignHousehold.State
REACHED = (State.DONE, State.FOLLOW_UP, State.REFUSED)
# The volunteer's list, in this order (issue 21).
LIST_SECTIONS = (
    State.TO_VISIT,
    State.DONE,
    State.FOLLOW_UP,
    State.NOT_HOME,
    State.REFUSED,
)


# A volunteer's affiliation → the organisation their visits count for.
AFFILIATION_ORGANISATION: dict[str, str] = {
    Volunteer.Affiliation.YOUTH_UNION: Organisation.YOUTH_UNION,
    Volunteer.Affiliation.WOMEN_UNION: Organisation.WOMEN_UNION,
    Volunteer.Affiliation.FARMERS: Organisation.FARMERS,
    Volunteer.Affiliation.VETERANS: Organisation.VETERANS,
}


def organisation_of(volunteer: Volunteer) -> str:
    return AFFILIATION_ORGANISATION.get(volunteer.affiliation, str(Organisation.TEAMS))


def running_campaigns(
    *, commune_id: int, on: dt.date | None = None
) -> QuerySet[Campaign]:
    today = on or timezone.localdate()
    return Campaign.objects.filter(
        commune_id=commune_id, starts_on__lte=today, ends_on__gte=today
    )


def campaigns_for_volunteer(volunteer: Volunteer) -> list[Campaign]:
    """Running campaigns of the volunteer's commune over a village their team serves
    (every running campaign for a team that serves no village, such as specialists)."""
    campaigns = running_campaigns(commune_id=volunteer.team.commune_id)
    served = list(volunteer.team.villages.values_list("pk", flat=True))
    if served:
        campaigns = campaigns.filter(villages__in=served)
    return list(campaigns.distinct().order_by("ends_on", "title"))


def campaigns_for_commune(*, commune_ids: list[int] | None) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.annotate(listed=Count("households"))
    if commune_ids is not None:
        campaigns = campaigns.filter(commune_id__in=commune_ids)
    return campaigns.select_related("commune")


def _entries_for_volunteer(
    *, campaign: Campaign, volunteer: Volunteer
) -> QuerySet[CampaignHousehold]:
    """The households given to the volunteer's team or organisation, and those given to
    nobody in the villages the team serves."""
    served = list(volunteer.team.villages.values_list("pk", flat=True))
    unassigned = Q(team__isnull=True, organisation="")
    if served:
        unassigned &= Q(household__village__in=served)
    mine = Q(team=volunteer.team) | (
        Q(team__isnull=True) & Q(organisation=organisation_of(volunteer))
    )
    if organisation_of(volunteer) == Organisation.TEAMS:
        mine = Q(team=volunteer.team) | (
            Q(team__isnull=True, organisation=Organisation.TEAMS)
            & Q(household__village__in=served)
        )
    return CampaignHousehold.objects.filter(
        Q(campaign=campaign, household__erased_at__isnull=True) & (mine | unassigned)
    ).select_related("household", "household__village")


@dataclass
class ListItem:
    entry: CampaignHousehold
    household: Household
    km: float | None
    my_visit: Visit | None = None


@dataclass
class Section:
    state: str
    label: str
    items: list[ListItem] = field(default_factory=list)


def _place(household: Household) -> tuple[float, float]:
    if household.lat is not None and household.lng is not None:
        return household.lat, household.lng
    return household.village.lat, household.village.lng


def volunteer_sections(*, campaign: Campaign, volunteer: Volunteer) -> list[Section]:
    """The volunteer's households sorted into the five sections, nearest first from
    the team's base (where a village team meets)."""
    base = (volunteer.team.base_lat, volunteer.team.base_lng)
    sections: dict[str, Section] = {
        str(state): Section(state, str(State(state).label)) for state in LIST_SECTIONS
    }
    mine: dict[int, Visit] = {}
    for visit in Visit.objects.filter(campaign=campaign, volunteer=volunteer).order_by(
        "visited_at"
    ):
        mine[visit.household_id] = visit  # the latest wins
    for entry in _entries_for_volunteer(campaign=campaign, volunteer=volunteer):
        household = entry.household
        km = round(geodesic(base, _place(household)).km, 1)
        sections[entry.state].items.append(
            ListItem(entry, household, km, mine.get(household.pk))
        )
    for section in sections.values():
        section.items.sort(key=lambda i: (i.km is None, i.km or 0, i.household.code))
    return list(sections.values())


def household_for_volunteer(
    *, campaign: Campaign, volunteer: Volunteer, household_id: Any
) -> Household | None:
    """A household of the campaign's villages in the volunteer's commune, or None."""
    try:
        pk = int(str(household_id))
    except ValueError:
        return None
    return (
        Household.objects.select_related("village")
        .filter(
            pk=pk,
            commune_id=volunteer.team.commune_id,
            village__in=campaign.villages.all(),
            erased_at__isnull=True,
        )
        .first()
    )


@dataclass
class Bar:
    label: str
    target: int
    listed: int
    reached: int
    done: int
    expected: int = 0
    key: str = ""

    @property
    def percent(self) -> int:
        """Done against the target, capped at 100 for the bar's width."""
        if not self.target:
            return 100 if self.done else 0
        return min(100, round(self.done * 100 / self.target))

    @property
    def behind(self) -> bool:
        return self.done < self.expected


@dataclass
class Progress:
    campaign: Campaign
    listed: int
    reached: int
    done: int
    villages: list[Bar]
    organisations: list[Bar]
    elapsed: float

    @property
    def done_percent(self) -> int:
        return round(self.done * 100 / self.listed) if self.listed else 0

    @property
    def behind(self) -> list[Bar]:
        return [bar for bar in self.villages if bar.behind]


def _elapsed(campaign: Campaign, today: dt.date) -> float:
    """The share of the campaign's period gone by (0–1), days counted inclusive."""
    days = (campaign.ends_on - campaign.starts_on).days + 1
    gone = (min(today, campaign.ends_on) - campaign.starts_on).days + 1
    return max(0.0, min(1.0, gone / days))


def _counts(entries: QuerySet[CampaignHousehold], by: str) -> dict[Any, dict[str, int]]:
    rows = entries.values(by).annotate(
        listed=Count("pk"),
        reached=Count("pk", filter=Q(state__in=REACHED)),
        done=Count("pk", filter=Q(state=State.DONE)),
    )
    return {row[by]: row for row in rows}


def progress(*, campaign: Campaign, today: dt.date | None = None) -> Progress:
    """Totals, one bar per village and per organisation, and which are behind: a bar
    is behind when fewer households are done than its target × the period gone by."""
    today = today or timezone.localdate()
    elapsed = _elapsed(campaign, today)
    entries = CampaignHousehold.objects.filter(campaign=campaign)
    by_village = _counts(entries, "household__village")
    by_org = _counts(entries, "organisation")
    targets = {
        (t.village_id, t.organisation): t.households for t in campaign.targets.all()
    }
    empty = {"listed": 0, "reached": 0, "done": 0}
    villages = []
    for village in campaign.villages.order_by("number"):
        counts = by_village.get(village.pk, empty)
        target = targets.get((village.pk, ""), counts["listed"])
        villages.append(
            Bar(
                village.name,
                target,
                counts["listed"],
                counts["reached"],
                counts["done"],
                expected=int(target * elapsed),
                key=str(village.pk),
            )
        )
    organisations = []
    for value, label in Organisation.choices:
        counts = by_org.get(value, empty)
        found = targets.get((None, value))
        if found is None and not counts["listed"]:
            continue
        target = found if found is not None else counts["listed"]
        organisations.append(
            Bar(
                str(label),
                target,
                counts["listed"],
                counts["reached"],
                counts["done"],
                expected=int(target * elapsed),
                key=value,
            )
        )
    totals = entries.aggregate(
        listed=Count("pk"),
        reached=Count("pk", filter=Q(state__in=REACHED)),
        done=Count("pk", filter=Q(state=State.DONE)),
    )
    return Progress(
        campaign,
        totals["listed"],
        totals["reached"],
        totals["done"],
        villages,
        organisations,
        elapsed,
    )


def map_points(*, campaign: Campaign) -> list[dict[str, Any]]:
    """One point per listed household: where (its own place, else its village's) and
    its state. No names or phones: the map shows codes only."""
    points = []
    entries = CampaignHousehold.objects.filter(campaign=campaign).select_related(
        "household__village"
    )
    for entry in entries:
        lat, lng = _place(entry.household)
        points.append(
            {"lat": lat, "lng": lng, "state": entry.state, "code": entry.household.code}
        )
    return points


@dataclass
class WeekReport:
    progress: Progress
    week_start: dt.date
    week_end: dt.date
    visits_this_week: int
    done_this_week: int


def weekly_report(*, campaign: Campaign, week_end: dt.date | None = None) -> WeekReport:
    """The week ending `week_end` (default today): progress to date, this week's visits."""
    end = week_end or timezone.localdate()
    start = end - dt.timedelta(days=6)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    week = Visit.objects.filter(
        campaign=campaign, visited_at__gte=since, visited_at__lt=until
    )
    return WeekReport(
        progress(campaign=campaign, today=end),
        start,
        end,
        week.count(),
        week.filter(outcome=State.DONE).values("household").distinct().count(),
    )


def unreached_households(*, commune: Commune) -> dict[int, int]:
    """Village id → households of the register never reached by a request or a
    visit where someone was met (the equity view's "never reached")."""
    reached_by_visit = Visit.objects.filter(
        household=OuterRef("pk"), outcome__in=REACHED
    )
    by_request = HelpRequest.objects.filter(household=OuterRef("pk"))
    rows = (
        Household.objects.filter(commune=commune, erased_at__isnull=True)
        .exclude(Exists(reached_by_visit))
        .exclude(Exists(by_request))
        .values("village")
        .annotate(n=Count("pk"))
    )
    return {row["village"]: row["n"] for row in rows}


def registered_households(*, commune: Commune) -> dict[int, int]:
    rows = (
        Household.objects.filter(commune=commune, erased_at__isnull=True)
        .values("village")
        .annotate(n=Count("pk"))
    )
    return {row["village"]: row["n"] for row in rows}
