"""`manage.py seed_demo` builds the Đức An sample commune, the same every time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import Client

from teams.demo import DEMO_PASSWORD
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from teams.phones import normalize_phone
from teams.roles import OPERATOR_GROUP, SECRETARY_GROUP

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


def roles_snapshot() -> list[tuple]:
    """Groups, their permissions and the demo office accounts' flags and groups."""
    return [
        *Group.objects.order_by("name", "permissions__codename").values_list(
            "name", "permissions__codename"
        ),
        *get_user_model()
        .objects.filter(username__in=["admin", "secretary", "operator"])
        .order_by("username", "groups__name")
        .values_list("username", "is_staff", "is_superuser", "groups__name"),
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
    roles = roles_snapshot()
    output = seed()
    assert snapshot() == before
    assert get_user_model().objects.count() == users
    assert roles_snapshot() == roles
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
    "username",
    ["admin", "secretary", "operator", "leader01", "leader23", "vol01-01", "cv20"],
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


def account(username: str) -> tuple[bool, bool, list[str]]:
    user = get_user_model().objects.get(username=username)
    return (
        user.is_staff,
        user.is_superuser,
        list(user.groups.values_list("name", flat=True)),
    )


def test_admin_is_the_superuser_and_the_office_logins_have_their_roles_only() -> None:
    output = seed()
    assert account("admin") == (True, True, [])
    assert account("secretary") == (True, False, [SECRETARY_GROUP])
    assert account("operator") == (True, False, [OPERATOR_GROUP])
    assert account("leader01") == (False, False, [])
    assert "admin " in output and "/admin/" in output


@pytest.mark.parametrize("again", [[], ["--if-empty"]])
def test_an_older_demo_database_gets_the_admin_login_and_a_plain_secretary(
    again: list[str],
) -> None:
    seed()
    # As seeded before the office roles: the secretary was the superuser.
    users = get_user_model().objects
    users.filter(username="admin").delete()
    users.filter(username="secretary").update(is_superuser=True)
    users.filter(username="operator").update(is_staff=False)
    for user in users.filter(username__in=["secretary", "operator"]):
        user.groups.clear()

    output = seed(*again)

    assert account("admin") == (True, True, [])
    assert account("secretary") == (True, False, [SECRETARY_GROUP])
    assert account("operator") == (True, False, [OPERATOR_GROUP])
    assert Client().login(username="admin", password=DEMO_PASSWORD)
    assert "admin " in output


def test_an_existing_admin_account_is_left_as_it_is() -> None:
    get_user_model().objects.create_user("admin", password="mat-khau-rieng")
    seed()
    assert account("admin") == (False, False, [])
    assert Client().login(username="admin", password="mat-khau-rieng")


def test_the_demo_secretary_cannot_open_the_django_accounts() -> None:
    seed()
    client = Client()
    client.login(username="secretary", password=DEMO_PASSWORD)
    assert client.get("/admin/teams/volunteer/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/django_q/schedule/").status_code == 403
