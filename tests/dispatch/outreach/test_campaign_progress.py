"""The secretary's campaigns: created over two villages with targets per organisation,
households assigned by flags, progress per village and organisation, villages behind
target, the clustered map and the printable weekly report; scoped to her commune."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from django.utils import timezone

from dispatch.models import Campaign, CampaignHousehold, CampaignTarget
from dispatch.outreach import selectors, services
from tests.personas import (
    client_for,
    make_volunteer,
    nam_binh_commune,
    nam_binh_staff,
)

pytestmark = pytest.mark.django_db


_ids = itertools.count(1)


def done(campaign, household, volunteer, outcome="done"):
    services.record_visit(
        campaign=campaign,
        household=household,
        volunteer=volunteer,
        outcome=outcome,
        client_id=f"progress-{next(_ids):06d}",
    )


def test_the_secretary_creates_a_campaign_over_two_villages_with_targets(
    duc_an, households
):
    client = client_for(duc_an.secretary.user)
    today = timezone.localdate()

    response = client.post(
        "/campaigns/new/",
        {
            "title": "VNeID mức 2 cho người cao tuổi",
            "goal": "Mọi hộ có người trên 60 tuổi được kích hoạt VNeID mức 2",
            "category": "vneid",
            "checklist": "Cài VNeID\nKích hoạt mức 2\n",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=30)).isoformat(),
            "villages": [duc_an.thon_1.pk, duc_an.thon_5.pk],
            f"village_{duc_an.thon_1.pk}": "3",
            "org_women_union": "2",
            "org_youth_union": "1",
        },
        follow=True,
    )

    campaign = Campaign.objects.get()
    text = response.content.decode()
    assert campaign.checklist == ["Cài VNeID", "Kích hoạt mức 2"]
    targets = {
        (t.village_id, t.organisation): t.households for t in campaign.targets.all()
    }
    assert targets == {
        (duc_an.thon_1.pk, ""): 3,
        (duc_an.thon_5.pk, ""): 3,  # its whole register
        (None, "women_union"): 2,
        (None, "youth_union"): 1,
    }
    assert "Tiến độ theo thôn" in text and "Thôn 5" in text


def test_a_campaign_uses_a_procedure_guide_the_volunteers_can_open_at_the_door(
    duc_an, households, starter_guides
):
    guide = starter_guides["vneid"]
    today = timezone.localdate()

    client_for(duc_an.secretary.user).post(
        "/campaigns/new/",
        {
            "title": "VNeID mức 2 cho người cao tuổi",
            "goal": "Mọi hộ có người trên 60 tuổi được kích hoạt VNeID mức 2",
            "category": "vneid",
            "guide": guide.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=30)).isoformat(),
            "villages": [duc_an.thon_1.pk],
        },
    )

    campaign = Campaign.objects.get()
    assert campaign.guide == guide
    office = client_for(duc_an.secretary.user).get(f"/campaigns/{campaign.pk}/")
    field = client_for(duc_an.an.user).get(f"/v/campaigns/{campaign.pk}/")
    for page in (office, field):
        text = page.content.decode()
        assert f"/guides/{guide.slug}/" in text and guide.title_vi in text


def test_a_campaign_that_ends_before_it_starts_is_refused_in_words(duc_an):
    today = timezone.localdate()
    response = client_for(duc_an.secretary.user).post(
        "/campaigns/new/",
        {
            "title": "X",
            "goal": "Y",
            "category": "vneid",
            "starts_on": today.isoformat(),
            "ends_on": (today - dt.timedelta(days=1)).isoformat(),
            "villages": [duc_an.thon_1.pk],
        },
    )

    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert not Campaign.objects.exists()


def test_households_are_assigned_by_flags_to_an_organisation(duc_an, campaign):
    count = services.assign_households(
        campaign=campaign,
        organisation="women_union",
        flags=["has_elderly"],
        village_ids=[duc_an.thon_5.pk],
    )

    assert count == 2  # Ka Sô Liêng and Bùi Văn Lộc; Chị Yến has no one over 60
    given = CampaignHousehold.objects.filter(organisation="women_union")
    assert sorted(e.household.code for e in given) == ["5-1", "5-3"]
    assert all(e.team_id is None for e in given)


def test_progress_per_village_and_organisation_is_right(duc_an, campaign, households):
    services.assign_households(
        campaign=campaign,
        organisation="women_union",
        flags=["has_elderly"],
        village_ids=[duc_an.thon_5.pk],
    )
    union = make_volunteer(
        duc_an.team_thon_5, "Hội viên Phụ nữ", affiliation="women_union"
    )
    done(campaign, households["1-1"], duc_an.an)
    done(campaign, households["1-2"], duc_an.an, "follow_up")
    done(campaign, households["1-3"], duc_an.an, "not_home")
    done(campaign, households["5-1"], union)
    done(campaign, households["5-3"], union, "refused")

    progress = selectors.progress(campaign=campaign)

    assert (progress.listed, progress.reached, progress.done) == (7, 4, 2)
    assert progress.done_percent == 29
    villages = {
        b.label: (b.done, b.reached, b.target, b.expected) for b in progress.villages
    }
    assert villages == {"Thôn 1": (1, 2, 4, 2), "Thôn 5": (1, 2, 3, 1)}
    organisations = {
        b.key: (b.done, b.listed, b.target) for b in progress.organisations
    }
    assert organisations == {"women_union": (1, 2, 3), "teams": (1, 5, 2)}
    assert [b.label for b in progress.behind] == ["Thôn 1"]  # 1 done, 2 expected by now


def test_the_campaign_page_shows_bars_behind_target_and_the_map(
    duc_an, campaign, households
):
    done(campaign, households["5-1"], duc_an.binh)

    page = client_for(duc_an.secretary.user).get(f"/campaigns/{campaign.pk}/")

    text = page.content.decode()
    assert "Đã đến 1/7 hộ, hoàn thành 14 %" in text
    assert '<progress max="100" value="33"' in text  # Thôn 5: 1 of 3
    assert 'id="c-behind"' in text and "Thôn 1" in text
    assert "leaflet.markercluster.js" in text
    points = json.loads(page.context["map"] and json.dumps(page.context["map"]))[
        "points"
    ]
    assert {p["code"]: p["state"] for p in points}["5-1"] == "done"
    assert "Ông Ka Sô Liêng" not in json.dumps(page.context["map"], ensure_ascii=False)


def test_the_weekly_report_is_in_the_communes_wording(duc_an, campaign, households):
    done(campaign, households["1-1"], duc_an.an)
    done(campaign, households["1-2"], duc_an.an, "follow_up")

    page = client_for(duc_an.secretary.user).get(f"/campaigns/{campaign.pk}/report/")

    text = page.content.decode()
    assert "Toàn chiến dịch: đã đến 2/7 hộ, hoàn thành 14 %." in text
    assert "Thôn 1: đã đến 2/4 hộ, hoàn thành 25 % chỉ tiêu (4 hộ)." in text
    assert "Trong tuần: 2 lượt đến nhà, 1 hộ hoàn thành." in text
    assert "@media print" in (
        open("dispatch/static/dispatch/campaigns.css", encoding="utf-8").read()
    )


def test_another_communes_secretary_and_an_operator_see_nothing(duc_an, campaign):
    other = nam_binh_staff(nam_binh_commune(), "secretary")

    theirs = client_for(other.user)
    operator = client_for(duc_an.operator.user)

    assert theirs.get(f"/campaigns/{campaign.pk}/").status_code == 404
    assert theirs.get(f"/campaigns/{campaign.pk}/report/").status_code == 404
    assert campaign.title not in theirs.get("/campaigns/").content.decode()
    assert operator.get("/campaigns/").status_code == 403
    assert "/campaigns/" not in operator.get("/requests/").content.decode()
    assert (
        "/campaigns/"
        in client_for(duc_an.secretary.user).get("/requests/").content.decode()
    )


def test_the_equity_view_counts_households_never_reached(
    duc_an, campaign, households, submit_for_lan_household
):
    done(campaign, households["1-1"], duc_an.an)
    done(campaign, households["1-2"], duc_an.an, "not_home")  # not reached yet

    page = client_for(duc_an.secretary.user).get("/dashboard/")

    text = page.content.decode()
    # 7 households; 1-1 visited, 5-2 asked for help (its phone matched).
    assert "5 hộ trong sổ hộ chưa từng được tiếp cận" in text
    assert "<td>3/4</td>" in text and "<td>2/3</td>" in text


@pytest.fixture
def submit_for_lan_household(duc_an, households):
    from tests.personas import submit_for_lan

    return submit_for_lan(
        duc_an, resident_phone="0977 100 009", resident_name="Chị Yến"
    )


def test_a_request_links_to_the_household_whose_phone_matches(
    duc_an, households, submit_for_lan_household
):
    assert submit_for_lan_household.household == households["5-2"]


def test_a_phone_two_households_share_links_the_request_to_neither(duc_an, households):
    from tests.personas import submit_for_lan

    shared = households["5-2"].phone
    type(households["5-1"]).objects.filter(pk=households["5-1"].pk).update(
        phone_alt=shared
    )

    request = submit_for_lan(duc_an, resident_phone=shared, resident_name="Chị Yến")

    assert request.household is None


def test_targets_are_stored_once_per_village_and_organisation(duc_an, campaign):
    assert (
        CampaignTarget.objects.filter(campaign=campaign, village__isnull=False).count()
        == 2
    )
