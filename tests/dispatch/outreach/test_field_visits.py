"""A volunteer's campaign list on /v/, visits in a few taps (also queued offline and
sent twice), by SMS, and a visit turned into a help request that routes as usual."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dispatch.models import (
    CampaignHousehold,
    Channel,
    HelpRequest,
    Offer,
    Visit,
)
from dispatch.outreach import services
from teams.models import Household, Volunteer
from tests.personas import client_for, make_volunteer

pytestmark = pytest.mark.django_db


def visit(client, campaign, household, outcome, client_id, **extra):
    data = {
        "household": household.pk,
        "client_id": client_id,
        "outcome": outcome,
        **extra,
    }
    return client.post(
        f"/v/campaigns/{campaign.pk}/visits/", data, HTTP_ACCEPT="application/json"
    )


def test_the_volunteer_sees_their_villages_households_in_five_sections(
    duc_an, campaign
):
    page = client_for(duc_an.an.user).get(f"/v/campaigns/{campaign.pk}/")

    text = page.content.decode()
    assert page.status_code == 200
    for section in (
        "Cần đến",
        "Đã đến — xong",
        "Đã đến — cần quay lại",
        "Không có nhà (thử lại)",
        "Từ chối",
    ):
        assert section in text
    assert "Ông Đinh Văn Tư" in text and "1-1" in text
    assert "Ka Sô Liêng" not in text  # Thôn 5 is Tổ Thôn 5's
    # Nearest first: 1-1 is 0.1 km from the team's base, 1-4 is 0.4 km.
    assert text.index("Ông Đinh Văn Tư") < text.index("Bà H&#x27;Hen Niê")


def test_the_volunteer_app_links_to_the_running_campaigns(duc_an, campaign):
    home = client_for(duc_an.an.user).get("/v/").content.decode()
    listing = client_for(duc_an.an.user).get("/v/campaigns/").content.decode()

    assert "/v/campaigns/" in home
    assert "VNeID mức 2 cho người cao tuổi" in listing


def test_a_visit_form_moves_the_household_to_its_section(duc_an, campaign, households):
    client = client_for(duc_an.an.user)

    response = client.post(
        f"/v/campaigns/{campaign.pk}/visits/",
        {
            "household": households["1-1"].pk,
            "client_id": "visit-form-0001",
            "outcome": "done",
            "done_items": ["Cài VNeID", "Kích hoạt mức 2"],
            "note": "Đã kích hoạt cho ông Tư",
        },
        follow=True,
    )

    text = response.content.decode()
    assert "Đã ghi lần đến hộ 1-1: đã đến — xong." in text
    stored = Visit.objects.get()
    assert stored.done_items == ["Cài VNeID", "Kích hoạt mức 2"]
    entry = CampaignHousehold.objects.get(household=households["1-1"])
    assert entry.state == "done"
    assert "Lần đến của bạn: đã đến — xong" in text


def test_a_visit_queued_offline_and_sent_twice_is_stored_once(
    duc_an, campaign, households
):
    client = client_for(duc_an.an.user)
    earlier = (timezone.now() - dt.timedelta(hours=2)).isoformat()

    first = visit(client, campaign, households["1-2"], "not_home", "offline-0001",
                  visited_at=earlier)  # fmt: skip
    again = visit(client, campaign, households["1-2"], "not_home", "offline-0001",
                  visited_at=earlier)  # fmt: skip

    assert first.json()["ok"] and again.json()["ok"]
    assert first.json()["visit"] == again.json()["visit"]
    assert Visit.objects.count() == 1
    assert Visit.objects.get().visited_at < timezone.now() - dt.timedelta(hours=1)


def test_a_visit_sent_late_does_not_overwrite_a_newer_one(duc_an, campaign, households):
    client = client_for(duc_an.an.user)
    visit(client, campaign, households["1-3"], "done", "newer-000001")
    hours_ago = (timezone.now() - dt.timedelta(hours=3)).isoformat()

    visit(client, campaign, households["1-3"], "not_home", "older-000001",
          visited_at=hours_ago)  # fmt: skip

    assert CampaignHousehold.objects.get(household=households["1-3"]).state == "done"
    assert Visit.objects.count() == 2


def test_a_visit_without_an_outcome_is_refused_in_words(duc_an, campaign, households):
    answer = visit(
        client_for(duc_an.an.user), campaign, households["1-1"], "", "no-outcome-1"
    )

    assert answer.status_code == 400
    assert answer.json()["message"] == "Hãy chọn kết quả của lần đến."
    assert not Visit.objects.exists()


def test_a_volunteer_of_another_commune_cannot_see_or_record(
    duc_an, campaign, households
):
    from tests.personas import nam_binh_commune, nam_binh_team

    stranger = make_volunteer(nam_binh_team(nam_binh_commune()), "Người Nam Bình")
    client = client_for(stranger.user)

    page = client.get(f"/v/campaigns/{campaign.pk}/")
    answer = visit(client, campaign, households["1-1"], "done", "stranger-0001")

    assert page.status_code == 403 and "Ông Đinh Văn Tư" not in page.content.decode()
    assert answer.status_code == 403
    assert not Visit.objects.exists()


def test_th_by_sms_records_a_visit_of_the_running_campaign(
    duc_an, campaign, households, text_from
):
    reply = text_from(duc_an.binh, "TH 5-2 3")

    assert reply.startswith("Da ghi ho 5-2: khong co nha (thu lai)")
    stored = Visit.objects.get()
    assert (stored.source, stored.volunteer, stored.outcome) == (
        "sms",
        duc_an.binh,
        "not_home",
    )
    assert (
        CampaignHousehold.objects.get(household=households["5-2"]).state == "not_home"
    )


@pytest.mark.parametrize("body", ["TH", "th 5-2", "TH 5-2 9"])
def test_a_malformed_th_gets_the_outcome_digits(duc_an, campaign, text_from, body):
    reply = text_from(duc_an.binh, body)

    assert reply.startswith("Nhan TH <ma ho> <so>: 1 da den - xong")
    assert not Visit.objects.exists()


def test_th_for_an_unknown_household_says_so(duc_an, campaign, text_from):
    reply = text_from(duc_an.binh, "TH 9-99 1")

    assert reply == "Khong thuc hien duoc: Khong tim thay ho nay trong xa."


def test_a_visit_turned_into_a_request_routes_to_the_village_team(
    duc_an, campaign, households
):
    client = client_for(duc_an.an.user)
    visit(client, campaign, households["1-1"], "follow_up", "needs-more-01",
          note="Cần nộp hồ sơ cấp đổi sổ đỏ")  # fmt: skip
    stored = Visit.objects.get()

    form = client.get(f"/v/visits/{stored.pk}/request/").content.decode()
    response = client.post(
        f"/v/visits/{stored.pk}/request/",
        {"category": "dossier", "description": "Cần nộp hồ sơ cấp đổi sổ đỏ"},
        follow=True,
    )

    assert "Cần nộp hồ sơ cấp đổi sổ đỏ" in form  # the note fills the description
    request = HelpRequest.objects.get(channel=Channel.OUTREACH)
    assert (request.household, request.village) == (households["1-1"], duc_an.thon_1)
    assert request.resident_name == "Ông Đinh Văn Tư" and request.is_elderly
    assert request.home_visit and request.category == "dossier"
    offer = Offer.objects.get(request=request, state=Offer.State.OPEN)
    assert offer.team == duc_an.team_thon_1
    assert f"Đã tạo yêu cầu {request.code}" in response.content.decode()
    stored.refresh_from_db()
    assert stored.request == request


def test_a_household_met_in_the_field_joins_the_register_and_the_list(duc_an, campaign):
    client = client_for(duc_an.an.user)

    response = client.post(
        f"/v/campaigns/{campaign.pk}/households/new/",
        {
            "village": duc_an.thon_1.pk,
            "head_name": "Bà Nông Thị Hoa",
            "phone": "0977 100 099",
            "members": "2",
            "flags": ["has_elderly"],
            "consent": "on",
        },
        follow=True,
    )

    added = Household.objects.get(head_name="Bà Nông Thị Hoa")
    assert added.code == "1-5" and added.added_by == duc_an.an
    assert "Đã thêm hộ 1-5 vào danh sách." in response.content.decode()
    assert "Bà Nông Thị Hoa" in response.content.decode()


def test_a_household_form_with_a_bad_phone_says_so(duc_an, campaign):
    response = client_for(duc_an.an.user).post(
        f"/v/campaigns/{campaign.pk}/households/new/",
        {
            "village": duc_an.thon_1.pk,
            "head_name": "Bà Hoa",
            "phone": "12",
            "members": "1",
        },
    )

    assert response.status_code == 200
    assert "Số điện thoại không hợp lệ: 12" in response.content.decode()
    assert not Household.objects.filter(head_name="Bà Hoa").exists()


def test_a_client_id_of_another_volunteer_is_refused(duc_an, campaign, households):
    services.record_visit(
        campaign=campaign,
        household=households["1-1"],
        volunteer=duc_an.an,
        outcome="done",
        client_id="shared-id-0001",
    )
    other = Volunteer.objects.get(pk=duc_an.binh.pk)

    answer = visit(client_for(other.user), campaign, households["5-1"], "done",
                   "shared-id-0001")  # fmt: skip

    assert answer.status_code == 400
    assert Visit.objects.count() == 1
