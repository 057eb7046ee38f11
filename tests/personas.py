"""The one cast of the whole suite: Đức An commune and the people in it.

Every app's conftest builds its fixtures from here (tests/dispatch/conftest.py,
tests/teams/conftest.py, tests/training/conftest.py, the e2e tests), so a person is the
same person, with the same name, phone and role, in every test that meets them. Built with
the real models and services (`teams.services.ensure_volunteer_user`,
`teams.roles.grant_office_role`, `dispatch.help_requests.lifecycle`), never factories.

The commune — Đức An (code DA, Lâm Đồng), office at 11.93 N 107.62 E. North is up, about
2 km between rows; every village team's base sits on its village:

    Bon Đắk N'Drung (18)  11.990
    Thôn Nam Tiến   (16)  11.972   Tổ Nam Tiến: all off duty (Cường)
    Thôn 15         (15)  11.954   Tổ Thôn 15: Hà on duty
    Bon Bu Bir      (17)  11.936   Tổ Bon Bu Bir: Y Đam, Điểu Bríu (leader), Hồng, Y Minh, Hùng
    Thôn 5          (5)   11.918   Tổ Thôn 5: Bình on duty
    Thôn 1          (1)   11.900   Tổ Thôn 1: An on duty — the resident Bà Lan lives here
    Thôn 3          (3)   11.882   Tổ Thôn 3 (in the training tests)

    Tổ Đắk N'Drung's base and a post of Tổ Nam Tiến sit right beside Thôn 1 (K'Dung is at
    capacity, Cường off duty); the commune specialists sit at the office.

Who is who (each person plays ONE role in every app):

    resident            Bà Nguyễn Thị Lan, elderly, Thôn 1, 0912 345 678 (`submit_for_lan`)
    secretary           Trần Thị Ngọc, login "thuky", +84912000100
    operator            Lê Văn Phúc, login "tongdai", +84912000101
    trainer             Trần Thị Hoa, login "hoa" (trains volunteers; not office staff)
    team leaders        Điểu Bríu, leader of Tổ Bon Bu Bir, party cell, speaks M'Nông;
                        Hoàng Văn Trưởng, leader of Tổ Thôn 1
    on-duty volunteers  Nguyễn Văn An (Thôn 1), Trần Thị Bình (Thôn 5), Y Đam Niê
                        (Bu Bir), Lê Thu Hà (Thôn 15), Nguyễn Thị Hồng (Bu Bir, teacher),
                        Y Minh Êban (Bu Bir, never trained), Hoàng Văn Khải and
                        Hồ Văn Sáu (second members of a team, added by some tests)
    off-duty volunteers Phạm Văn Cường (Nam Tiến), Trần Văn Hùng (Bu Bir, militia),
                        Lý Văn Phú (Thôn 1)
    busy volunteer      K'Dung (Đắk N'Drung, capacity 1, already carrying a request)
    specialist          Đỗ Minh Tuấn (the commune's specialist team, off duty)
    another commune     Nam Bình: Võ Thị Thảo, a volunteer of Tổ Nam Bình, Lò Văn Sơn
                        its leader; Đinh Thị Yến, the secretary ("thuky-nb"); Nông
                        Văn Tùng, the operator ("tongdai-nb")
    other accounts      "khach" (no role), "quantri" (a superuser), Phan Văn Lộc ("loc",
                        a new office hire an administrator gives a role)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from dispatch.help_requests import lifecycle
from dispatch.models import Campaign, HelpRequest, Offer
from teams.models import (
    Commune,
    Household,
    StaffMember,
    SupportTeam,
    Village,
    Volunteer,
)
from teams.phones import normalize_phone
from teams.roles import grant_office_role
from teams.services import ensure_volunteer_user

PASSWORD = "mat-khau-thu-nghiem"
CENTRE = (11.93, 107.62)
ROW = 0.018  # ≈ 2 km of latitude
SOUTH, WEST = 11.900, 107.600  # Thôn 1


# --- places -------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A village of Đức An: its number follows `manage.py seed_demo` (teams/demo.py)."""

    name: str
    number: int
    row: int
    kind: str = Village.Kind.THON
    aliases: tuple[str, ...] = ()
    team: str = ""

    @property
    def lat(self) -> float:
        return round(SOUTH + self.row * ROW, 6)

    @property
    def team_name(self) -> str:
        """Its support team's name, the same in every app's tests."""
        return self.team or f"Tổ {self.name}"


THON_1 = Place("Thôn 1", 1, 0, aliases=("Thon 1",))
THON_3 = Place("Thôn 3", 3, -1)
THON_5 = Place("Thôn 5", 5, 1)
BU_BIR = Place("Bon Bu Bir", 17, 2, Village.Kind.BON, ("Buôn Bu Bir", "Bu Bir"))
THON_15 = Place("Thôn 15", 15, 3)
NAM_TIEN = Place("Thôn Nam Tiến", 16, 4, aliases=("Nam Tien",), team="Tổ Nam Tiến")
NDRUNG = Place(
    "Bon Đắk N'Drung", 18, 5, Village.Kind.BON, ("Đắk N'Drung",), "Tổ Đắk N'Drung"
)
SPECIALISTS = "Tổ chuyên viên xã"


def duc_an_commune(**extra: Any) -> Commune:
    """Đức An itself, with its hotline; `extra` sets what one test needs on top."""
    fields = {
        "name": "Đức An",
        "code": "DA",
        "province": "Lâm Đồng",
        "lat": CENTRE[0],
        "lng": CENTRE[1],
        "hotline_numbers": ["0261 3501 234"],
        **extra,
    }
    return Commune.objects.create(**fields)


def nam_binh_commune(**extra: Any) -> Commune:
    """Nam Bình, the neighbouring commune whose staff and volunteers are strangers here."""
    return Commune.objects.create(
        name="Nam Bình", code="NB", province="Lâm Đồng", lat=12.3, lng=107.6, **extra
    )


def village(commune: Commune, place: Place, **extra: Any) -> Village:
    return Village.objects.create(
        commune=commune,
        name=place.name,
        number=place.number,
        kind=place.kind,
        lat=place.lat,
        lng=WEST,
        aliases=list(place.aliases),
        **extra,
    )


def team(
    commune: Commune,
    name: str,
    *villages: Village,
    base: tuple[float, float] | None = None,
    **extra: Any,
) -> SupportTeam:
    """A support team; its base is its first village, else the commune office."""
    if base is None:
        base = (
            (villages[0].lat, villages[0].lng)
            if villages
            else (commune.lat, commune.lng)
        )
    made = SupportTeam.objects.create(
        commune=commune, name=name, base_lat=base[0], base_lng=base[1], **extra
    )
    made.villages.set(villages)
    return made


def specialists_team(commune: Commune) -> SupportTeam:
    return team(commune, SPECIALISTS, kind=SupportTeam.Kind.SPECIALISTS)


# --- people -------------------------------------------------------------------------


def make_user(username: str, **extra: Any):
    """An account with the suite's password (office staff, admins, strangers)."""
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, **extra
    )


def client_for(user) -> Client:
    """A browser signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


_spare_phones = itertools.count(1000)


def make_volunteer(
    team: SupportTeam, full_name: str, phone: str | None = None, **extra: Any
) -> Volunteer:
    """A volunteer as the registry makes one: the account comes from
    `teams.services.ensure_volunteer_user` (login = the number), with the suite's
    password so a test can log in. Without `phone`, a fresh number. `extra` are
    Volunteer fields (on_duty defaults to off, as in the registry)."""
    phone = normalize_phone(phone or f"+8491234{next(_spare_phones):04d}")
    user = ensure_volunteer_user(phone=phone, full_name=full_name)
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return Volunteer.objects.create(
        user=user, team=team, full_name=full_name, phone=phone, **extra
    )


@dataclass(frozen=True)
class Person:
    full_name: str
    phone: str
    fields: dict[str, Any] = field(default_factory=dict)

    def join(self, team: SupportTeam, **extra: Any) -> Volunteer:
        """This person, as a volunteer of `team`."""
        return make_volunteer(
            team, self.full_name, self.phone, **{**self.fields, **extra}
        )


ON, OFF = {"on_duty": True}, {"on_duty": False}
AN = Person("Nguyễn Văn An", "+84912000001", ON)
BINH = Person("Trần Thị Bình", "+84912000002", ON)
Y_DAM = Person("Y Đam Niê", "+84912000003", ON)
HA = Person("Lê Thu Hà", "+84912000004", ON)
CUONG = Person("Phạm Văn Cường", "+84912000005", OFF)
K_DUNG = Person("K'Dung", "+84912000006", {"on_duty": True, "capacity": 1})
TUAN = Person("Đỗ Minh Tuấn", "+84912000007", OFF)
KHAI = Person("Hoàng Văn Khải", "+84912000031", ON)
DIEU_BRIU = Person(
    "Điểu Bríu",
    "0912 000 017",
    {
        "role": Volunteer.Role.LEADER,
        "affiliation": Volunteer.Affiliation.PARTY_CELL,
        "languages": ["vi", "mnong"],
        "on_duty": True,
    },
)
HONG = Person(
    "Nguyễn Thị Hồng",
    "0987.654.321",
    {"affiliation": Volunteer.Affiliation.TEACHER, "on_duty": True},
)
Y_MINH = Person("Y Minh Êban", "+84912340001", ON)
HUNG = Person(
    "Trần Văn Hùng", "01681234567", {"affiliation": Volunteer.Affiliation.MILITIA}
)
THAO = Person("Võ Thị Thảo", "0903 111 222")
SON = Person("Lò Văn Sơn", "+84912000090", {"role": Volunteer.Role.LEADER})
TRUONG = Person("Hoàng Văn Trưởng", "+84912000050", {"role": Volunteer.Role.LEADER})
PHU = Person("Lý Văn Phú", "+84912000051", OFF)
SAU = Person("Hồ Văn Sáu", "+84912000052", ON)

SECRETARY = ("thuky", "Trần Thị Ngọc", "+84912000100")
OPERATOR = ("tongdai", "Lê Văn Phúc", "+84912000101")


def office_member(
    commune: Commune,
    role: str,
    username: str,
    full_name: str,
    phone: str = "",
    *,
    office_access: bool = True,
) -> StaffMember:
    """Office staff with their role's admin access, as in a real commune: Django staff
    in the role's group, not superusers (teams/roles.py). `office_access=False` leaves
    the account without it (an operator who only uses the board)."""
    member = StaffMember.objects.create(
        user=make_user(username, first_name=full_name),
        commune=commune,
        role=role,
        phone=phone,
    )
    if office_access:
        grant_office_role(member=member)
    return member


def secretary_of(commune: Commune, **kwargs: Any) -> StaffMember:
    """Trần Thị Ngọc, the commune secretary."""
    return office_member(commune, StaffMember.Role.SECRETARY, *SECRETARY, **kwargs)


def operator_of(commune: Commune, **kwargs: Any) -> StaffMember:
    """Lê Văn Phúc, the operator at the commune office."""
    return office_member(commune, StaffMember.Role.OPERATOR, *OPERATOR, **kwargs)


def nam_binh_team(commune: Commune) -> SupportTeam:
    return team(commune, "Tổ Nam Bình")


def nam_binh_staff(commune: Commune, role: str) -> StaffMember:
    """Office staff of Nam Bình: Đinh Thị Yến its secretary, Nông Văn Tùng its operator."""
    if role == StaffMember.Role.SECRETARY:
        return office_member(commune, role, "thuky-nb", "Đinh Thị Yến")
    return office_member(commune, role, "tongdai-nb", "Nông Văn Tùng")


def trainer():
    """Trần Thị Hoa trains volunteers; she is not commune staff."""
    return make_user("hoa", first_name="Trần Thị Hoa")


# --- Đức An as dispatch sees it ----------------------------------------------------------


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


def build_duc_an() -> DucAn:
    """The whole map above, with its volunteers and office, K'Dung already busy."""
    commune = duc_an_commune()
    thon_1 = village(commune, THON_1)
    thon_5 = village(commune, THON_5)
    bu_bir = village(commune, BU_BIR)
    thon_15 = village(commune, THON_15)
    nam_tien = village(commune, NAM_TIEN)
    village(commune, NDRUNG)

    team_thon_1 = team(commune, THON_1.team_name, thon_1)
    team_thon_5 = team(commune, THON_5.team_name, thon_5)
    team_bu_bir = team(commune, BU_BIR.team_name, bu_bir)
    team_thon_15 = team(commune, THON_15.team_name, thon_15)
    # Two teams with a post right beside Thôn 1 but nobody able to take work.
    team_nam_tien = team(
        commune, NAM_TIEN.team_name, nam_tien, base=(11.9001, 107.6001)
    )
    team_ndrung = team(commune, NDRUNG.team_name, base=(11.9002, 107.6002))
    specialists = specialists_team(commune)

    an, binh = AN.join(team_thon_1), BINH.join(team_thon_5)
    y_dam, ha = Y_DAM.join(team_bu_bir), HA.join(team_thon_15)
    off_duty_cuong, busy_dung = CUONG.join(team_nam_tien), K_DUNG.join(team_ndrung)
    specialist_tuan = TUAN.join(specialists)
    secretary = secretary_of(commune)
    operator = operator_of(commune)
    # K'Dung already carries one request (capacity 1), given by the secretary.
    earlier = lifecycle.create_request(
        commune=commune,
        channel="operator",
        category="portal",
        resident_phone="0987000999",
        village=thon_15,
    )
    lifecycle.reassign_request(
        request=earlier, user=secretary.user, volunteer=busy_dung
    )
    return DucAn(
        commune, thon_1, thon_5, thon_15, bu_bir, nam_tien,
        team_thon_1, team_thon_5, team_bu_bir, team_thon_15, team_nam_tien,
        team_ndrung, specialists,
        an, binh, y_dam, ha, off_duty_cuong, busy_dung, specialist_tuan,
        secretary, operator,
    )  # fmt: skip


# --- the resident and her request -------------------------------------------------------

LAN_NAME = "Bà Nguyễn Thị Lan"
LAN_PHONE = "0912 345 678"


def submit_for_lan(duc_an: DucAn, **overrides: Any) -> HelpRequest:
    """Bà Lan, elderly, in Thôn 1, asks by SMS for help activating VNeID level 2."""
    fields = {
        "commune": duc_an.commune,
        "channel": "sms",
        "category": "vneid",
        "description": "Toi o thon 1, can kich hoat VNeID muc 2",
        "resident_name": LAN_NAME,
        "resident_phone": LAN_PHONE,
        "flags": ["elderly"],
        "consent": True,
    }
    fields.update(overrides)
    return lifecycle.submit_request(**fields)


def open_offer_of(request: HelpRequest) -> Offer | None:
    return Offer.objects.filter(request=request, state=Offer.State.OPEN).first()


def make_overdue(offer: Offer) -> None:
    """Move an offer's deadline into the past, as if its timeout had run out."""
    Offer.objects.filter(pk=offer.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


# --- the household register and an outreach campaign (issue 21) -------------------------

# Households of Thôn 1 and Thôn 5: (head, phone, flags). Ông Đinh Văn Tư's number is
# the register's only mention of +84 977 100 004 (the erasure test searches for it).
HOUSEHOLDS = {
    THON_1.name: (
        ("Ông Đinh Văn Tư", "0977 100 004", ("has_elderly", "elderly_alone")),
        ("Bà Lương Thị Mai", "0977 100 005", ("has_elderly",)),
        ("Anh Phạm Quốc Việt", "", ()),
        ("Bà H'Hen Niê", "0977 100 007", ("has_elderly", "ethnic_minority")),
    ),
    THON_5.name: (
        ("Ông Ka Sô Liêng", "0977 100 008", ("has_elderly", "no_smartphone")),
        ("Chị Trương Thị Yến", "0977 100 009", ()),
        ("Ông Bùi Văn Lộc", "0977 100 010", ("has_elderly", "has_disability")),
    ),
}
CAMPAIGN_TITLE = "VNeID mức 2 cho người cao tuổi"


def register_households(duc_an: DucAn) -> list[Household]:
    """The register of Thôn 1 (codes 1-1…1-4) and Thôn 5 (5-1…5-3), near each village."""
    made = []
    for place, village_ in ((THON_1, duc_an.thon_1), (THON_5, duc_an.thon_5)):
        for n, (head, phone, flags) in enumerate(HOUSEHOLDS[place.name], start=1):
            household = Household(
                commune=duc_an.commune,
                village=village_,
                code=f"{village_.number}-{n}",
                head_name=head,
                address=f"Nhà thứ {n} sau cầu",
                phone=phone,
                lat=village_.lat + n * 0.001,
                lng=village_.lng,
                consent_at=timezone.now(),
                **dict.fromkeys(flags, True),
            )
            household.save()
            made.append(household)
    return made


def vneid_campaign(duc_an: DucAn, **overrides: Any) -> Campaign:
    """The secretary's running campaign over Thôn 1 and Thôn 5, with organisation
    targets (women's union 3, the teams 2), every household given to Tổ Thôn 1's and
    Tổ Thôn 5's village teams; today is in its first half."""
    from dispatch.outreach import services

    today = timezone.localdate()
    fields = {
        "commune": duc_an.commune,
        "title": CAMPAIGN_TITLE,
        "goal": "Mọi hộ có người trên 60 tuổi được kích hoạt VNeID mức 2",
        "category": "vneid",
        "checklist": ["Cài VNeID", "Kích hoạt mức 2", "Hướng dẫn nhận diện lừa đảo"],
        "starts_on": today - timedelta(days=4),
        "ends_on": today + timedelta(days=5),
        "villages": [duc_an.thon_1, duc_an.thon_5],
        "organisation_targets": {"women_union": 3, "teams": 2},
        "user": duc_an.secretary.user,
        **overrides,
    }
    campaign = services.create_campaign(**fields)
    services.assign_households(
        campaign=campaign, team=duc_an.team_thon_1, village_ids=[duc_an.thon_1.pk]
    )
    services.assign_households(
        campaign=campaign, team=duc_an.team_thon_5, village_ids=[duc_an.thon_5.pk]
    )
    return campaign
