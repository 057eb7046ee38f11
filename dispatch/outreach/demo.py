"""The demo's running campaign, "VNeID mức 2 cho người cao tuổi", with partial progress.

Made when `seed_demo` announces a sample commune (teams.signals.demo_seeded),
over the two villages with an invented household register (teams/demo_rosters.py).
Deterministic and idempotent: a commune that has the campaign is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import (
    Campaign,
    CampaignHousehold,
    Guide,
    Organisation,
    VisitOutcome,
)
from dispatch.outreach import services
from teams.models import Commune, Household, Village, Volunteer

TITLE = "VNeID mức 2 cho người cao tuổi"
SEED = 20251205
CHECKLIST = ["Cài VNeID", "Kích hoạt mức 2", "Hướng dẫn nhận diện lừa đảo"]
# Outcome of a household visited so far, with its weight.
OUTCOMES = (
    (VisitOutcome.DONE, 6),
    (VisitOutcome.FOLLOW_UP, 2),
    (VisitOutcome.NOT_HOME, 2),
    (VisitOutcome.REFUSED, 1),
)


def seed_demo_campaign(
    *, commune: Commune, say: Callable[[str], None] = lambda m: None, **signal: Any
) -> Campaign | None:
    """The campaign over the villages that have a register: started two weeks ago,
    four weeks to go; the elderly of the bon given to the women's union, the youth
    union and veterans taking part of the thôn, the rest to each village's team;
    about four in ten households visited."""
    existing = Campaign.objects.filter(commune=commune, title=TITLE).first()
    if existing is not None:
        return existing
    village_ids = (
        Household.objects.filter(commune=commune)
        .values_list("village", flat=True)
        .distinct()
    )
    villages = list(Village.objects.filter(pk__in=list(village_ids)).order_by("number"))
    if not villages:
        return None
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        campaign = services.create_campaign(
            commune=commune,
            title=TITLE,
            goal="Mọi hộ có người trên 60 tuổi được kích hoạt VNeID mức 2",
            category="vneid",
            checklist=CHECKLIST,
            guide=Guide.objects.filter(keyword="vneid").first(),
            starts_on=today - dt.timedelta(days=14),
            ends_on=today + dt.timedelta(days=28),
            villages=villages,
            organisation_targets={
                Organisation.WOMEN_UNION: 25,
                Organisation.YOUTH_UNION: 20,
                Organisation.VETERANS: 10,
                Organisation.TEAMS: 50,
            },
        )
        for village in villages:
            team = village.teams.filter(active=True).first()
            services.assign_households(
                campaign=campaign, team=team, village_ids=[village.pk]
            )
        bon, thon = villages[-1], villages[0]
        services.assign_households(
            campaign=campaign,
            organisation=Organisation.WOMEN_UNION,
            flags=["has_elderly"],
            village_ids=[bon.pk],
        )
        entries = list(
            CampaignHousehold.objects.filter(
                campaign=campaign, household__village=thon, organisation="teams"
            ).order_by("household__code")
        )
        for entry, organisation in zip(
            entries,
            [Organisation.YOUTH_UNION] * 12 + [Organisation.VETERANS] * 6,
            strict=False,
        ):
            entry.organisation, entry.team = organisation, None
            entry.save(update_fields=["organisation", "team"])
        _visit_some(campaign, rng)
    say(_("Chiến dịch mẫu: %(title)s") % {"title": TITLE})
    return campaign


def _visit_some(campaign: Campaign, rng: random.Random) -> None:
    now = timezone.now()
    outcomes = [o for o, weight in OUTCOMES for _ in range(weight)]
    entries = CampaignHousehold.objects.filter(campaign=campaign).select_related(
        "household__village"
    )
    for n, entry in enumerate(entries.order_by("pk")):
        if rng.random() > 0.42:
            continue
        household = entry.household
        team = household.village.teams.filter(active=True).first()
        volunteers = list(Volunteer.objects.filter(team=team, active=True)[:6])
        if not volunteers:
            continue
        services.record_visit(
            campaign=campaign,
            household=household,
            volunteer=rng.choice(volunteers),
            outcome=rng.choice(outcomes),
            client_id=f"demo-{campaign.pk}-{n:05d}",
            done_items=CHECKLIST[: rng.randint(1, 3)],
            visited_at=now
            - dt.timedelta(days=rng.uniform(0, 13), hours=rng.uniform(0, 6)),
        )
