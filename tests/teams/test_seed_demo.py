"""`manage.py seed_demo` builds the Đức An sample commune, the same every time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import Client

from teams.demo import DEMO_PASSWORD
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from teams.phones import normalize_phone

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return [
        *Village.objects.order_by("number").values_list(
            "number", "name", "lat", "lng", "households", "population", "aliases"
        ),
        *SupportTeam.objects.order_by("name").values_list(
            "name", "kind", "base_lat", "base_lng", "active"
        ),
        *Volunteer.objects.order_by("user__username").values_list(
            "user__username", "full_name", "phone", "team__name", "role", "on_duty"
        ),
    ]


def test_it_creates_duc_an_with_exactly_7588_households_in_23_villages() -> None:
    seed()
    commune = Commune.objects.get(code="DA")
    assert commune.name == "Đức An" and commune.province == "Lâm Đồng"
    assert commune.is_sample and commune.sms_unaccented
    assert commune.certification_required == ["scam"]
    assert commune.hotline_numbers and commune.operator_phone.startswith("+84")
    villages = commune.villages.all()
    assert villages.count() == 23
    totals = villages.aggregate(h=Sum("households"), p=Sum("population"))
    assert totals["h"] == 7588
    assert 31_300 <= totals["p"] <= 31_500


def test_villages_include_numbered_thon_and_named_bon_with_aliases() -> None:
    seed()
    names = set(Village.objects.values_list("name", flat=True))
    assert {"Thôn 1", "Thôn 5", "Thôn 15", "Bon Bu Bir", "Bon Đắk N'Drung"} <= names
    assert {"Bon Ja Răh", "Bon Bu Đách", "Buôn Ol"} <= names
    numbers = list(Village.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 23 and all(1 <= n <= 99 for n in numbers)
    for village in Village.objects.all():
        assert village.aliases, village.name
        assert 12.18 <= village.lat <= 12.32 and 107.45 <= village.lng <= 107.65
    kinds = set(Village.objects.values_list("kind", flat=True))
    assert {Village.Kind.THON, Village.Kind.BON, Village.Kind.BUON} <= kinds


def test_there_is_one_team_per_village_and_one_specialist_team_of_twenty() -> None:
    seed()
    village_teams = SupportTeam.objects.filter(kind=SupportTeam.Kind.VILLAGE)
    assert village_teams.count() == 23
    for village in Village.objects.all():
        assert list(village.teams.values_list("kind", flat=True)) == ["village"]
    specialists = SupportTeam.objects.get(kind=SupportTeam.Kind.SPECIALISTS)
    assert specialists.volunteers.count() == 20
    assert (specialists.base_lat, specialists.base_lng) == (12.25, 107.55)
    ndrung = SupportTeam.objects.get(name__contains="N'Drung")
    assert ndrung.volunteers.count() == 10


def test_about_500_volunteers_with_unique_mobile_phones_a_third_on_duty() -> None:
    seed()
    volunteers = list(Volunteer.objects.all())
    assert len(volunteers) == 500
    phones = [v.phone for v in volunteers]
    assert len(set(phones)) == 500
    assert all(normalize_phone(p) == p and p[3] in "35789" for p in phones)
    on_duty = sum(v.on_duty for v in volunteers)
    assert 150 <= on_duty <= 185
    assert sum("mnong" in v.languages for v in volunteers) >= 50
    assert any("koho" in v.languages for v in volunteers)
    affiliations = {v.affiliation for v in volunteers}
    assert {
        "teacher",
        "youth_union",
        "police",
        "militia",
        "trade_union",
    } <= affiliations
    assert (
        SupportTeam.objects.filter(volunteers__role="leader").distinct().count() == 24
    )


def test_running_it_twice_changes_nothing() -> None:
    seed()
    before = snapshot()
    users = get_user_model().objects.count()
    output = seed()
    assert snapshot() == before
    assert get_user_model().objects.count() == users
    assert "thêm 0" in output


def test_it_is_the_same_on_every_machine() -> None:
    seed()
    first = snapshot()
    seed("--reset")
    assert snapshot() == first


def test_if_empty_does_nothing_when_a_commune_exists() -> None:
    Commune.objects.create(name="Nam Bình", code="NB", lat=12.2, lng=107.5)
    output = seed("--if-empty")
    assert not Commune.objects.filter(code="DA").exists()
    assert "bỏ qua" in output


def test_if_empty_seeds_an_empty_database_and_prints_logins_when_skipping() -> None:
    first = seed("--if-empty")
    assert Commune.objects.filter(code="DA").exists()
    again = seed("--if-empty")
    assert Volunteer.objects.count() == 500
    for output in (first, again):
        assert "caunoi-demo" in output
        assert "secretary" in output and "leader01" in output and "vol01-01" in output


def test_it_refuses_to_touch_a_real_commune_with_the_demo_code() -> None:
    Commune.objects.create(name="Đức An", code="DA", lat=12.2, lng=107.5)
    with pytest.raises(CommandError, match="xã thật"):
        seed()
    assert not Village.objects.exists()


@pytest.mark.parametrize(
    "username", ["secretary", "operator", "leader01", "leader23", "vol01-01", "cv20"]
)
def test_demo_logins_work(username: str) -> None:
    seed()
    assert Client().login(username=username, password=DEMO_PASSWORD)


def test_demo_roles_match_their_logins() -> None:
    seed()
    assert StaffMember.objects.get(user__username="secretary").role == "secretary"
    assert StaffMember.objects.get(user__username="operator").role == "operator"
    leader = Volunteer.objects.get(user__username="leader05")
    assert leader.role == "leader" and leader.team.name == "Tổ hỗ trợ Thôn 5"
    member = Volunteer.objects.get(user__username="vol17-02")
    assert member.role == "member" and member.team.name == "Tổ hỗ trợ Bon Bu Bir"


def test_the_demo_secretary_can_open_the_admin_and_sees_it_is_sample_data() -> None:
    seed()
    client = Client()
    client.login(username="secretary", password=DEMO_PASSWORD)
    page = client.get("/admin/teams/supportteam/").content.decode()
    assert "Tổ hỗ trợ Bon Bu Bir" in page
    assert "DỮ LIỆU MẪU" in page
