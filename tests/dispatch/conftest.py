"""Personas of Đức An commune for dispatch tests, built with the real models and services.

Map (north is up, about 2 km between rows; every village team's base sits on its
village):

    Thôn Nam Tiến   (11.972)  team all off duty
    Thôn 15         (11.954)  team with Hà on duty
    Bon Bu Bir      (11.936)  team with Y Đam on duty
    Thôn 5          (11.918)  team with Bình on duty
    Thôn 1          (11.900)  team with An on duty (the resident Bà Lan lives here)
    Đắk N'Drung team's base is beside Thôn 1, but its only member is at capacity; the
    Nam Tiến team also keeps a post there. The commune specialists sit at the centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from channels.layers import channel_layers
from django.contrib.auth import get_user_model
from django.utils import timezone

from dispatch.help_requests import lifecycle
from dispatch.models import Offer
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from teams.roles import grant_office_role

ROW = 0.018  # ≈ 2 km of latitude


@pytest.fixture(autouse=True)
def memory_channel_layer(settings):
    """Unit tests read pushes from the in-memory layer (cross-process tests use Valkey)."""
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def make_user(username: str, **extra):
    return get_user_model().objects.create_user(
        username=username, password="mat-khau-thu-nghiem", **extra
    )


def make_volunteer(
    team: SupportTeam,
    username: str,
    full_name: str,
    phone: str,
    *,
    on_duty: bool = True,
    capacity: int = 2,
) -> Volunteer:
    return Volunteer.objects.create(
        user=make_user(username),
        team=team,
        full_name=full_name,
        phone=phone,
        on_duty=on_duty,
        capacity=capacity,
    )


def make_team(commune, name, lat, lng, villages=(), kind=SupportTeam.Kind.VILLAGE):
    team = SupportTeam.objects.create(
        commune=commune, name=name, base_lat=lat, base_lng=lng, kind=kind
    )
    team.villages.set(villages)
    return team


@dataclass
class DucAn:
    commune: Commune
    thon_1: Village
    thon_5: Village
    thon_15: Village
    bu_bir: Village
    nam_tien: Village
    team_thon_1: SupportTeam
    team_thon_5: SupportTeam
    team_bu_bir: SupportTeam
    team_thon_15: SupportTeam
    team_nam_tien: SupportTeam
    team_ndrung: SupportTeam
    specialists: SupportTeam
    an: Volunteer
    binh: Volunteer
    y_dam: Volunteer
    ha: Volunteer
    off_duty_cuong: Volunteer
    busy_dung: Volunteer
    specialist_tuan: Volunteer
    secretary: StaffMember
    operator: StaffMember


@pytest.fixture
def duc_an(db) -> DucAn:
    commune = Commune.objects.create(
        name="Đức An", code="DA", province="Lâm Đồng", lat=11.93, lng=107.62
    )

    def village(name, number, row, aliases=(), kind=Village.Kind.THON):
        return Village.objects.create(
            commune=commune,
            name=name,
            kind=kind,
            number=number,
            lat=11.900 + row * ROW,
            lng=107.600,
            aliases=list(aliases),
        )

    thon_1 = village("Thôn 1", 1, 0)
    thon_5 = village("Thôn 5", 5, 1)
    bu_bir = village("Bon Bu Bir", 20, 2, ["Buôn Bu Bir"], Village.Kind.BON)
    thon_15 = village("Thôn 15", 15, 3)
    nam_tien = village("Thôn Nam Tiến", 22, 4, ["Nam Tien"])
    village("Bon Bu N'Drung", 21, 5, ["Đắk N'Drung"], Village.Kind.BON)

    team_thon_1 = make_team(commune, "Tổ Thôn 1", thon_1.lat, thon_1.lng, [thon_1])
    team_thon_5 = make_team(commune, "Tổ Thôn 5", thon_5.lat, thon_5.lng, [thon_5])
    team_bu_bir = make_team(commune, "Tổ Bon Bu Bir", bu_bir.lat, bu_bir.lng, [bu_bir])
    team_thon_15 = make_team(commune, "Tổ Thôn 15", thon_15.lat, thon_15.lng, [thon_15])
    # Two teams with a post right beside Thôn 1 but nobody able to take work.
    team_nam_tien = make_team(commune, "Tổ Nam Tiến", 11.9001, 107.6001, [nam_tien])
    team_ndrung = make_team(commune, "Tổ Đắk N'Drung", 11.9002, 107.6002)
    specialists = make_team(
        commune,
        "Tổ chuyên viên xã",
        11.93,
        107.62,
        kind=SupportTeam.Kind.SPECIALISTS,
    )

    an = make_volunteer(team_thon_1, "an", "Nguyễn Văn An", "+84912000001")
    binh = make_volunteer(team_thon_5, "binh", "Trần Thị Bình", "+84912000002")
    y_dam = make_volunteer(team_bu_bir, "ydam", "Y Đam Niê", "+84912000003")
    ha = make_volunteer(team_thon_15, "ha", "Lê Thu Hà", "+84912000004")
    off_duty_cuong = make_volunteer(
        team_nam_tien, "cuong", "Phạm Văn Cường", "+84912000005", on_duty=False
    )
    busy_dung = make_volunteer(
        team_ndrung, "dung", "K'Dung", "+84912000006", capacity=1
    )
    specialist_tuan = make_volunteer(
        specialists, "tuan", "Đỗ Minh Tuấn", "+84912000007", on_duty=False
    )
    # The office staff have their roles' admin access, as in a real commune: staff,
    # in the role's group, not superusers (teams.roles).
    secretary_user = make_user("thuky", first_name="Hoa")
    secretary = StaffMember.objects.create(
        user=secretary_user,
        commune=commune,
        role=StaffMember.Role.SECRETARY,
        phone="+84912000100",
    )
    grant_office_role(member=secretary)
    operator = StaffMember.objects.create(
        user=make_user("tongdai"),
        commune=commune,
        role=StaffMember.Role.OPERATOR,
        phone="+84912000101",
    )
    grant_office_role(member=operator)
    # K'Dung already carries one request (capacity 1), given by the secretary.
    earlier = lifecycle.create_request(
        commune=commune,
        channel="operator",
        category="portal",
        resident_phone="0987000999",
        village=thon_15,
    )
    lifecycle.reassign_request(
        request=earlier, user=secretary_user, volunteer=busy_dung
    )
    return DucAn(
        commune, thon_1, thon_5, thon_15, bu_bir, nam_tien,
        team_thon_1, team_thon_5, team_bu_bir, team_thon_15, team_nam_tien,
        team_ndrung, specialists,
        an, binh, y_dam, ha, off_duty_cuong, busy_dung, specialist_tuan,
        secretary, operator,
    )  # fmt: skip


@pytest.fixture
def leader_of_thon_1(duc_an) -> Volunteer:
    """The leader of Tổ Thôn 1: sees the commune's figures, never residents' phones."""
    leader = make_volunteer(
        duc_an.team_thon_1, "truongto", "Hoàng Văn Trưởng", "+84912000050"
    )
    leader.role = Volunteer.Role.LEADER
    leader.save()
    return leader


def submit_for_lan(duc_an: DucAn, **overrides):
    """Bà Lan, elderly, in Thôn 1, asks by SMS for help activating VNeID level 2."""
    fields = {
        "commune": duc_an.commune,
        "channel": "sms",
        "category": "vneid",
        "description": "Toi o thon 1, can kich hoat VNeID muc 2",
        "resident_name": "Bà Nguyễn Thị Lan",
        "resident_phone": "0912 345 678",
        "flags": ["elderly"],
        "consent": True,
    }
    fields.update(overrides)
    return lifecycle.submit_request(**fields)


def open_offer_of(request) -> Offer | None:
    return Offer.objects.filter(request=request, state=Offer.State.OPEN).first()


def make_overdue(offer: Offer) -> None:
    """Move an offer's deadline into the past, as if its timeout had run out."""
    Offer.objects.filter(pk=offer.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


# --- Intake: provider boundary and the demo commune ------------------------------------


@pytest.fixture
def fake_provider():
    from tests.dispatch.providers import FakeProvider

    fake = FakeProvider()
    yield fake
    fake.close()


@pytest.fixture
def twilio_api(fake_provider, settings):
    """Twilio's REST API as a local fake: SMS go out through it, recordings are deleted."""
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_BASE_URL = fake_provider.url
    return fake_provider


@pytest.fixture
def sync_tasks(monkeypatch):
    """django-q2 runs tasks inline, as the cluster would, right after commit."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)
    return Conf


@pytest.fixture
def demo_commune(db, settings):
    """Đức An, the sample commune, as `manage.py seed_demo` builds it."""
    from teams.demo import seed_demo_commune

    settings.SMS_BACKEND = "console"
    return seed_demo_commune().commune


@pytest.fixture
def deliver(django_capture_on_commit_callbacks, sync_tasks):
    """Run what a request schedules after commit (tasks inline), like the live stack."""

    class Deliver:
        def __call__(self, fn, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return Deliver()
