"""`seed_demo` brings a household register for two villages and a running campaign with
partial progress, so the pages are alive on first run; running it again adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dispatch.models import Campaign, Visit
from dispatch.outreach import selectors
from teams.models import Household, Volunteer
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_register_and_a_campaign_half_way():
    out = StringIO()
    call_command("seed_demo", stdout=out)

    campaign = Campaign.objects.get(title="VNeID mức 2 cho người cao tuổi")
    progress = selectors.progress(campaign=campaign)
    assert Household.objects.count() == 120
    assert sorted(campaign.villages.values_list("name", flat=True)) == [
        "Bon Bu Bir",
        "Thôn 1",
    ]
    assert progress.listed == 120 and 0 < progress.done < progress.reached < 120
    assert {b.key for b in progress.organisations} >= {"women_union", "youth_union"}
    assert "Chiến dịch mẫu: VNeID mức 2 cho người cao tuổi" in out.getvalue()

    visits = Visit.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (Household.objects.count(), Visit.objects.count()) == (120, visits)

    office = client_for(get_user_model().objects.get(username="secretary"))
    page = office.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "Tiến độ theo thôn" in page and "Bon Bu Bir" in page
    leader = Volunteer.objects.get(user__username="leader17")  # Bon Bu Bir's leader
    listing = client_for(leader.user).get("/v/campaigns/").content.decode()
    assert "VNeID mức 2 cho người cao tuổi" in listing
