"""Training coverage per team and per village (read-only; selectors for the coverage page)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Commune, Village, Volunteer
from training.models import Enrolment, Topic
from training.selectors import valid_certificates


@dataclass
class TopicCounts:
    trained: int = 0
    certified: int = 0
    expiring: int = 0


@dataclass
class CoverageRow:
    name: str
    members: int
    counts: list[TopicCounts] = field(default_factory=list)

    @property
    def has_certified(self) -> bool:
        return any(c.certified for c in self.counts)


@dataclass
class Coverage:
    topics: list[Topic]
    teams: list[CoverageRow]
    villages: list[CoverageRow]
    # topic name → names of villages no certified volunteer serves
    uncovered: dict[str, list[str]]


def coverage(*, commune: Commune, now: dt.datetime | None = None) -> Coverage:
    """Members trained, certified and expiring soon, per topic, by team and by village."""
    now = now or timezone.now()
    soon = now + dt.timedelta(days=settings.TRAINING_EXPIRY_WARNING_DAYS)
    topics = list(Topic.objects.filter(active=True))
    volunteers = list(
        Volunteer.objects.filter(team__commune=commune, active=True).values_list(
            "id", "team_id"
        )
    )
    trained: set[tuple[int, int]] = set(
        Enrolment.objects.filter(
            volunteer__team__commune=commune, checked_in_at__isnull=False
        )
        .values_list("volunteer_id", "workshop__topics")
        .distinct()
    )
    certified: dict[tuple[int, int], dt.datetime] = {}
    for vid, tid, expires in (
        valid_certificates(at=now)
        .filter(volunteer__team__commune=commune)
        .values_list("volunteer_id", "topic_id", "expires_at")
    ):
        certified[(vid, tid)] = max(expires, certified.get((vid, tid), expires))

    by_team: dict[int, list[int]] = defaultdict(list)
    for vid, team_id in volunteers:
        by_team[team_id].append(vid)

    def row(name: str, members: list[int]) -> CoverageRow:
        counts = []
        for topic in topics:
            c = TopicCounts()
            for vid in members:
                c.trained += (vid, topic.pk) in trained
                expires = certified.get((vid, topic.pk))
                if expires is not None:
                    c.certified += 1
                    c.expiring += expires <= soon
            counts.append(c)
        return CoverageRow(name=name, members=len(members), counts=counts)

    teams = [
        row(team.name, by_team.get(team.pk, []))
        for team in commune.teams.filter(active=True).order_by("kind", "name")
    ]
    villages = []
    for village in Village.objects.filter(commune=commune).prefetch_related("teams"):
        members = sorted(
            {vid for t in village.teams.all() if t.active for vid in by_team[t.pk]}
        )
        villages.append(row(village.name, members))
    uncovered = {
        topic.name: [v.name for v in villages if not v.counts[i].certified]
        for i, topic in enumerate(topics)
    }
    return Coverage(topics=topics, teams=teams, villages=villages, uncovered=uncovered)


def coverage_dataset(*, report: Coverage, by: str) -> tablib.Dataset:
    """The team (`by="team"`) or village table of `report` as a tablib Dataset."""
    headers = [_("Tổ") if by == "team" else _("Thôn, bon"), _("Thành viên")]
    for topic in report.topics:
        headers += [
            _("%(topic)s: đã tập huấn") % {"topic": topic.name},
            _("%(topic)s: có chứng nhận") % {"topic": topic.name},
            _("%(topic)s: sắp hết hạn") % {"topic": topic.name},
        ]
    data = tablib.Dataset(headers=headers)
    for r in report.teams if by == "team" else report.villages:
        line: list[object] = [r.name, r.members]
        for c in r.counts:
            line += [c.trained, c.certified, c.expiring]
        data.append(line)
    return data
