"""The demo commune's rosters and household register: generated people, their teams'
members, and the invented households of two villages (split from teams/demo.py, which
keeps the registry: the commune, its villages and teams, the logins).

Every value comes from a seeded generator, so two runs build the same people. The
roster draws from the registry plan's generator in the order it always did (so the
demo's phones and names did not change with the split); the households have their own.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import (
    Commune,
    Household,
    StaffMember,
    SupportTeam,
    Village,
    Volunteer,
)
from teams.models import make_search_key as key

_FAMILY = (
    ["Nguyễn"] * 12
    + ["Trần"] * 5
    + ["Lê"] * 4
    + ["Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"] * 2
    + ["Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai", "Tạ"]
)
_MALE_MIDDLE = ["Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Thanh", "Xuân", "Công"]
_FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng"]
_MALE_GIVEN = (
    "Hùng Dũng Tuấn Nam Sơn Hải Long Thắng Phong Trung Hiếu Khoa Bình Cường Tâm "
    "Thành Quân Lâm Phúc Tài Vinh Hoà Toàn Đạt Huy Lộc Nghĩa Tú Kiên Hưng"
).split()
_FEMALE_GIVEN = (
    "Lan Hương Mai Hoa Thảo Trang Hà Linh Nhung Hạnh Yến Loan Phương Vân Dung "
    "Hằng Oanh Thuỷ Nga Huyền Ánh Ly Trinh Quyên Thu Diệu My Tuyết"
).split()
# M'Nông men are often named Điểu/Y + name, women Thị/H' + name; K'Ho names start
# with K' (men) or Ka (women).
_MNONG_MEN = [
    f"{prefix} {name}"
    for prefix in ("Điểu", "Điểu", "Y")
    for name in (
        "Đơ Bríu Lăng Xuân Bảo Khánh Lâm Sinh Thoan Siêng Rông Ong Phơi Kháp Nhai "
        "Chiêu Bi Rết Nhân Drênh Ngọc Hiên Dũng Thành K'Lăng"
    ).split()
]
_MNONG_WOMEN = [
    f"{prefix}{name}"
    for prefix in ("Thị ", "H'")
    for name in (
        "Hương Mai Bình Ben Lem Nga Hiên Thanh Dung Bia Phin Kim Nhung Yên Huyền Rê "
        "Blao Lai Djăn Ngen Prông"
    ).split()
]
_KOHO = [
    f"K'{n}" for n in "Brăo Tiếu Điệp Sơn Thanh Bình Duy Quang Hòa Lới".split()
] + [f"Ka {n}" for n in "Huê Nhung Ly Hương Lan Trinh Mai Dơng".split()]
_VILLAGE_AFFILIATIONS = [
    Volunteer.Affiliation.TEACHER,
    Volunteer.Affiliation.TEACHER,
    Volunteer.Affiliation.YOUTH_UNION,
    Volunteer.Affiliation.YOUTH_UNION,
    Volunteer.Affiliation.YOUTH_UNION,
    Volunteer.Affiliation.POLICE,
    Volunteer.Affiliation.MILITIA,
    Volunteer.Affiliation.MILITIA,
    Volunteer.Affiliation.TRADE_UNION,
    Volunteer.Affiliation.WOMEN_UNION,
    Volunteer.Affiliation.WOMEN_UNION,
    Volunteer.Affiliation.VILLAGE_OFFICIAL,
    Volunteer.Affiliation.VILLAGE_OFFICIAL,
    Volunteer.Affiliation.VETERANS,
    Volunteer.Affiliation.FARMERS,
]
# Mobile prefixes in use since the 2018 renumbering (Viettel, VinaPhone, MobiFone,
# Vietnamobile); Viettel dominates in the Central Highlands.
_MOBILE_PREFIXES = (
    ["32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98"] * 3
    + ["81", "82", "83", "84", "85", "88", "91", "94"]
    + ["70", "76", "77", "78", "79", "89", "90", "93", "56", "58"]
)


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str
    phone: str
    role: str
    affiliation: str
    languages: tuple[str, ...]
    on_duty: bool
    capacity: int


def split_exactly(
    rng: random.Random, total: int, parts: int, low: float = 0.55, high: float = 1.45
) -> list[int]:
    """`parts` positive integers around total/parts that sum to exactly `total`."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    values = [int(w * scale) for w in weights]
    for i in range(total - sum(values)):
        values[i % parts] += 1
    return values


class RosterPlan:
    """Phones, team sizes and members, drawn from `rng` in a fixed order.

    `villages` are the registry's village specs (`.name`, `.minority`), one team each;
    the specialists' team comes last.
    """

    def __init__(
        self,
        rng: random.Random,
        *,
        villages: Sequence[Any],
        total: int,
        specialists: int,
        ndrung_size: int,
    ) -> None:
        self.rng = rng
        self.villages = villages
        self.total, self.specialists, self.ndrung_size = total, specialists, ndrung_size
        self.phones = self._phones(total + 2)
        self.team_sizes = self._team_sizes()
        self.people = self._people()

    def _phones(self, count: int) -> list[str]:
        phones: list[str] = []
        seen: set[str] = set()
        while len(phones) < count:
            number = "+84" + self.rng.choice(_MOBILE_PREFIXES)
            number += f"{self.rng.randrange(10**7):07d}"
            if number not in seen:
                seen.add(number)
                phones.append(number)
        return phones

    def _team_sizes(self) -> list[int]:
        ndrung = next(i for i, v in enumerate(self.villages) if "N'Drung" in v.name)
        others = len(self.villages) - 1
        rest = self.total - self.specialists - self.ndrung_size
        sizes = split_exactly(self.rng, rest, others, low=0.8, high=1.2)
        sizes.insert(ndrung, self.ndrung_size)
        return sizes

    def _people(self) -> list[list[Person]]:
        phones = iter(self.phones[2:])  # the first two go to the secretary, operator
        teams: list[list[Person]] = []
        for index, village in enumerate(self.villages, start=1):
            size = self.team_sizes[index - 1]
            names = [f"leader{index:02d}"]
            names += [f"vol{index:02d}-{j:02d}" for j in range(1, size)]
            teams.append(self._team(names, village.minority, phones, village=True))
        names = [f"cv{j:02d}" for j in range(1, self.specialists + 1)]
        teams.append(self._team(names, "", phones, village=False))
        return teams

    def _team(
        self, usernames: list[str], minority: str, phones, *, village: bool
    ) -> list[Person]:
        on_duty = set(self.rng.sample(range(len(usernames)), round(len(usernames) / 3)))
        people: list[Person] = []
        for i, username in enumerate(usernames):
            full_name, languages = draw_name(self.rng, minority)
            for _retry in range(10):  # no two members of one team share a name
                if all(p.full_name != full_name for p in people):
                    break
                full_name, languages = draw_name(self.rng, minority)
            if village:
                affiliation = (
                    self.rng.choice(
                        [
                            Volunteer.Affiliation.PARTY_CELL,
                            Volunteer.Affiliation.VILLAGE_OFFICIAL,
                        ]
                    )
                    if i == 0
                    else self.rng.choice(_VILLAGE_AFFILIATIONS)
                )
            else:
                affiliation = (
                    Volunteer.Affiliation.POLICE
                    if i in (4, 11)
                    else Volunteer.Affiliation.CIVIL_SERVANT
                )
            people.append(
                Person(
                    username=username,
                    full_name=full_name,
                    phone=next(phones),
                    role=Volunteer.Role.LEADER if i == 0 else Volunteer.Role.MEMBER,
                    affiliation=affiliation,
                    languages=languages,
                    on_duty=i in on_duty,
                    capacity=self.rng.choice([1, 2, 2, 2, 2, 3, 3, 4]),
                )
            )
        return people


def draw_name(rng: random.Random, minority: str) -> tuple[str, tuple[str, ...]]:
    """A full name for someone of a village (M'Nông, K'Ho or Kinh) and their languages."""
    roll = rng.random()
    if minority == "mnong" and roll < 0.65:
        pool = _MNONG_MEN if rng.random() < 0.5 else _MNONG_WOMEN
        return rng.choice(pool), ("vi", "mnong")
    if minority == "koho" and roll < 0.6:
        return rng.choice(_KOHO), ("vi", "koho")
    if not minority and roll < 0.03:  # M'Nông members of numbered thôn
        return rng.choice(_MNONG_MEN + _MNONG_WOMEN), ("vi", "mnong")
    family = rng.choice(_FAMILY)
    if rng.random() < 0.5:
        name = f"{family} {rng.choice(_MALE_MIDDLE)} "
        name += rng.choice(_MALE_GIVEN)
    else:
        name = f"{family} {rng.choice(_FEMALE_MIDDLE)} "
        name += rng.choice(_FEMALE_GIVEN)
    # Kinh teachers and officers in bon often learned the local language.
    speaks = minority and rng.random() < 0.3
    return name, ("vi", minority) if speaks else ("vi",)


def ensure_people(
    commune: Commune,
    *,
    roster: RosterPlan,
    teams: list[SupportTeam],
    password: str,
    say: Callable[[str], None],
) -> dict[str, int]:
    """The office logins and every team's members of the plan; only missing ones are
    inserted, in bulk. `teams` are in the plan's order (villages, then specialists)."""
    user_model = get_user_model()
    people = [p for team in roster.people for p in team]
    wanted = ["secretary", "operator", *(p.username for p in people)]
    have = set(
        user_model.objects.filter(username__in=wanted).values_list(
            "username", flat=True
        )
    )
    hashed = make_password(password)  # hashed once: 500 hashes would take minutes
    names = {p.username: p.full_name for p in people}
    names.update(secretary="Trần Thị Thu Hà", operator="Lê Văn Phúc")
    new_users = [
        user_model(username=username, first_name=names[username], password=hashed)
        for username in wanted
        if username not in have
    ]
    say(_("Tài khoản: thêm %(count)d") % {"count": len(new_users)})
    user_model.objects.bulk_create(new_users, batch_size=200)
    users = dict(
        user_model.objects.filter(username__in=wanted).values_list("username", "pk")
    )

    staff = 0
    for username, role, phone in (
        ("secretary", StaffMember.Role.SECRETARY, roster.phones[0]),
        ("operator", StaffMember.Role.OPERATOR, roster.phones[1]),
    ):
        _member, created = StaffMember.objects.get_or_create(
            user_id=users[username],
            defaults={"commune": commune, "role": role, "phone": phone},
        )
        staff += created

    have_volunteers = set(
        Volunteer.objects.filter(user_id__in=users.values()).values_list(
            "user_id", flat=True
        )
    )
    taken_phones = set(Volunteer.objects.values_list("phone", flat=True))
    new = []
    for team, members in zip(teams, roster.people, strict=True):
        for person in members:
            user_id = users[person.username]
            if user_id in have_volunteers or person.phone in taken_phones:
                continue
            new.append(
                Volunteer(
                    user_id=user_id,
                    team=team,
                    full_name=person.full_name,
                    phone=person.phone,
                    role=person.role,
                    affiliation=person.affiliation,
                    languages=list(person.languages),
                    on_duty=person.on_duty,
                    capacity=person.capacity,
                    search_key=key(person.full_name),
                )
            )
    say(_("Tình nguyện viên: thêm %(count)d") % {"count": len(new)})
    Volunteer.objects.bulk_create(new, batch_size=200)
    return {"users": len(new_users), "staff": staff, "volunteers": len(new)}


# --- the household register of two villages (issue 21) ----------------------------------

HOUSEHOLD_SEED = 20251121
HOUSEHOLD_VILLAGES = (17, 1)  # Bon Bu Bir and Thôn 1: one bon, one thôn
HOUSEHOLDS_PER_VILLAGE = 60


def ensure_households(commune: Commune, *, say: Callable[[str], None]) -> int:
    """An invented register for Bon Bu Bir and Thôn 1 (codes 17-1…, 1-1…), near each
    village's centre, with the flags a campaign filters by. Only missing codes are
    inserted. Returns how many were."""
    rng = random.Random(HOUSEHOLD_SEED)
    have = set(Household.objects.filter(commune=commune).values_list("code", flat=True))
    now = timezone.now()
    new = []
    for number in HOUSEHOLD_VILLAGES:
        village = Village.objects.filter(commune=commune, number=number).first()
        if village is None:
            continue
        minority = village.language if village.language != "vi" else ""
        for n in range(1, HOUSEHOLDS_PER_VILLAGE + 1):
            head, _languages = draw_name(rng, minority)
            elderly = rng.random() < 0.45
            phone = "+84" + rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
            code = f"{number}-{n}"
            if code in have:
                continue
            new.append(
                Household(
                    commune=commune,
                    village=village,
                    code=code,
                    head_name=head,
                    address=_("Nhà số %(n)d, %(village)s")
                    % {"n": n, "village": village.name},
                    phone=phone if rng.random() < 0.8 else "",
                    members=rng.randint(1, 8),
                    has_elderly=elderly,
                    elderly_alone=elderly and rng.random() < 0.2,
                    has_disability=rng.random() < 0.06,
                    ethnic_minority=bool(minority) and rng.random() < 0.85,
                    no_smartphone=rng.random() < 0.3,
                    lat=round(village.lat + rng.uniform(-0.006, 0.006), 5),
                    lng=round(village.lng + rng.uniform(-0.006, 0.006), 5),
                    consent_at=now,
                    search_key=key(code, head),
                )
            )
    Household.objects.bulk_create(new)
    say(_("Sổ hộ gia đình: thêm %(count)d") % {"count": len(new)})
    return len(new)
