"""The demo commune: Đức An, Lâm Đồng — sample data built from press figures.

Everything here is generated from a fixed random seed, so two machines (and two runs)
get the same villages, people and phone numbers. Rows are keyed by natural keys
(commune code, village number, team name, username): a second run creates nothing.
Passwords are the published demo password; this module must never touch a real
commune (`is_sample=False`). The generated people and the household register are in
teams/demo_rosters.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from teams import registry
from teams.demo_rosters import RosterPlan, ensure_people, split_exactly
from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from teams.models import make_search_key as key
from teams.roles import grant_office_role
from teams.signals import sample_deleting
from teams.text import fold

DEMO_CODE = "DA"
DEMO_PASSWORD = "caunoi-demo"  # published in the README; demo data only
ADMIN_LOGIN = "admin"
OFFICE_LOGINS = ("secretary", "operator")
SEED = 20251101
CENTRE = (12.2500, 107.5500)
TOTAL_HOUSEHOLDS = 7588  # CONTEXT.md: households of Đức An after the 2025 merger
TOTAL_POPULATION = 31_340  # "more than 31,300 people"
VOLUNTEERS_TOTAL = 500  # "23 teams, about 500 members", specialists included
SPECIALISTS = 20
NDRUNG_TEAM_SIZE = 10  # "the former Đắk N'Drung area alone has a 10-member team"
SPECIALIST_TEAM_NAME = "Tổ chuyên viên thủ tục hành chính xã Đức An"


class NotASampleCommune(Exception):
    """A real commune already uses the demo code; seeding would overwrite it."""

    code = "not_sample"


@dataclass(frozen=True)
class VillageSpec:
    number: int
    name: str
    kind: str
    aliases: tuple[str, ...]
    minority: str = ""  # main community language besides Vietnamese


# Old commune names (before 1 July 2025) kept as aliases: residents still use them.
_T, _B, _BU = Village.Kind.THON, Village.Kind.BON, Village.Kind.BUON
_OLD = {
    range(1, 6): "Thị trấn Đức An",
    range(6, 11): "Nam Bình",
    range(11, 16): "Thuận Hà",
}
VILLAGES: tuple[VillageSpec, ...] = (
    *(VillageSpec(n, f"Thôn {n}", _T, ()) for n in range(1, 16)),
    VillageSpec(16, "Thôn Nam Tiến", _T, ("Thon Nam Tien", "Nam Tiến")),
    VillageSpec(
        17,
        "Bon Bu Bir",
        _B,
        ("Buôn Bu Bir", "Bon Bu Bia", "Bu Bir", "Bon Bubir", "Bon BBir"),
        "mnong",
    ),
    VillageSpec(
        18,
        "Bon Đắk N'Drung",
        _B,
        ("Bon Dak N'Drung", "Bon Đắk Ndrung", "Đắk N'Drung", "Buôn Đăk N'Drung"),
        "mnong",
    ),
    VillageSpec(
        19, "Bon Ja Răh", _B, ("Bon Ja Rah", "Buôn Ja Răh", "Jarah", "Ja Răh"), "mnong"
    ),
    VillageSpec(
        20, "Bon Bu Đách", _B, ("Bon Bu Dach", "Buôn Bu Đách", "Bu Đách"), "mnong"
    ),
    VillageSpec(21, "Buôn Ol", _BU, ("Buon Ol", "Bon Ol", "Buôn Ôl"), "mnong"),
    VillageSpec(
        22, "Bon Bu Rwăh", _B, ("Bon Bu Rwah", "Bon Bu Roăh", "Bu Rwăh"), "mnong"
    ),
    VillageSpec(
        23, "Bon N'Jang Bơ", _B, ("Bon Njang Bo", "Bon N'Jang Bo", "N'Jang Bơ"), "koho"
    ),
)

# Places residents name when they say where they live ("gần chợ Đức An"); the
# commune edits them in the admin. Keyed by village number.
LANDMARKS: dict[int, tuple[str, ...]] = {
    1: ("trường tiểu học Đức An",),
    2: ("chợ Đức An",),
    7: ("nhà thờ Nam Bình",),
    9: ("chùa Phước Hải",),
    12: ("trường THCS Thuận Hà", "trường cấp 2 Thuận Hà"),
    17: ("nhà văn hóa bon Bu Bir",),
}


@dataclass
class SeedResult:
    commune: Commune
    created: bool
    counts: dict[str, int]


def seed_demo_commune(
    *, progress: Callable[[str], None] | None = None, reset: bool = False
) -> SeedResult:
    """Create (or complete) the Đức An sample commune; deterministic and idempotent.

    Rows that already exist are left as they are; only missing ones are inserted, in
    bulk. `reset=True` first deletes the sample commune (never a real one). Runs in one
    transaction. Raises NotASampleCommune if a real commune uses the code DA.
    """
    say = progress or (lambda message: None)
    with transaction.atomic():
        existing = Commune.objects.filter(code=DEMO_CODE).first()
        if existing is not None and not existing.is_sample:
            raise NotASampleCommune(DEMO_CODE)
        if existing is not None and reset:
            say(_("Xoá xã mẫu cũ…"))
            _delete_sample(existing)
            existing = None
        plan = _Plan(random.Random(SEED))
        commune = existing or _create_commune()
        counts = {
            "villages": _ensure_villages(commune, plan, say),
            "teams": _ensure_teams(commune, plan, say),
        }
        teams = [
            *(commune.teams.get(name=team_name_for(v.name)) for v in VILLAGES),
            commune.teams.get(name=SPECIALIST_TEAM_NAME),
        ]
        counts.update(
            ensure_people(
                commune,
                roster=plan.roster,
                teams=teams,
                password=DEMO_PASSWORD,
                say=say,
            )
        )
        _ensure_admin_access(commune)
        registry.changed(commune.pk)  # the rows above went in by bulk_create
    return SeedResult(commune=commune, created=existing is None, counts=counts)


def demo_logins() -> list[tuple[str, str]]:
    """(login, what it is) for the printed list and the README."""
    return [
        ("admin", _("quản trị hệ thống: mọi thứ trong /admin/")),
        ("secretary", _("thư ký xã; /admin/: thôn, tổ, tình nguyện viên, tập huấn")),
        ("operator", _("tổng đài viên; /admin/: chỉ xem")),
        ("leader01 … leader23", _("tổ trưởng tổ 01 … 23")),
        ("vol01-01, vol01-02 …", _("tình nguyện viên: số tổ - thứ tự")),
        ("cv01 … cv20", _("chuyên viên tổ thủ tục hành chính của xã")),
    ]


def demo_logins_text() -> str:
    lines = [
        _("Tài khoản demo (DỮ LIỆU MẪU, mật khẩu chung: %(password)s)")
        % {"password": DEMO_PASSWORD}
    ]
    lines += [f"  {login:<24} {what}" for login, what in demo_logins()]
    return "\n".join(lines)


def refresh_demo_logins() -> bool:
    """Bring the logins of an existing sample commune up to date, and nothing else.

    For `seed_demo --if-empty` on a database seeded by an older version: the `admin`
    login is added and the office logins get their roles (see `_ensure_admin_access`).
    Returns whether there was a sample commune. One transaction.
    """
    commune = Commune.objects.filter(code=DEMO_CODE, is_sample=True).first()
    if commune is None:
        return False
    with transaction.atomic():
        _ensure_admin_access(commune)
    return True


# --- building ---------------------------------------------------------------------------


class _Plan:
    """Every generated value, drawn from one seeded generator in a fixed order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.points = [self._point() for _ in VILLAGES]
        self.households = split_exactly(rng, TOTAL_HOUSEHOLDS, len(VILLAGES))
        self.population = self._population()
        roster = RosterPlan(
            rng,
            villages=VILLAGES,
            total=VOLUNTEERS_TOTAL,
            specialists=SPECIALISTS,
            ndrung_size=NDRUNG_TEAM_SIZE,
        )
        self.roster = roster
        self.phones, self.people = roster.phones, roster.people

    def _point(self) -> tuple[float, float]:
        # ±0.065° latitude (≈15 km) and ±0.09° longitude (≈20 km) around the centre.
        lat = CENTRE[0] + self.rng.uniform(-0.065, 0.065)
        lng = CENTRE[1] + self.rng.uniform(-0.09, 0.09)
        return round(lat, 5), round(lng, 5)

    def _population(self) -> list[int]:
        # Bon households are larger (several generations under one roof).
        sizes = [
            self.households[i] * (4.6 if v.minority else 4.0)
            for i, v in enumerate(VILLAGES)
        ]
        scale = TOTAL_POPULATION / sum(sizes)
        population = [round(s * scale) for s in sizes]
        population[0] += TOTAL_POPULATION - sum(population)
        return population


def _create_commune() -> Commune:
    return Commune.objects.create(
        name="Đức An",
        code=DEMO_CODE,
        province="Lâm Đồng",
        lat=CENTRE[0],
        lng=CENTRE[1],
        hotline_numbers=["+842613501234", "+84368000123"],
        operator_phone="+84911550123",
        sms_unaccented=True,
        certification_required=["scam"],
        is_sample=True,
    )


def _village_aliases(spec: VillageSpec) -> list[str]:
    if spec.aliases:
        return list(spec.aliases)
    old = next(name for numbers, name in _OLD.items() if spec.number in numbers)
    return [
        f"Thon {spec.number}",
        f"Thôn số {spec.number}",
        f"Thôn {spec.number} {old}",
    ]


def sample_villages() -> list[Village]:
    """The demo villages as `seed_demo` writes them, unsaved (benches and pure tests)."""
    return [
        Village(
            pk=spec.number,
            name=spec.name,
            kind=spec.kind,
            aliases=_village_aliases(spec),
            landmarks=list(LANDMARKS.get(spec.number, ())),
            number=spec.number,
        )
        for spec in VILLAGES
    ]


def _ensure_villages(commune: Commune, plan: _Plan, say: Callable[[str], None]) -> int:
    have = set(commune.villages.values_list("number", flat=True))
    new = []
    for i, spec in enumerate(VILLAGES):
        if spec.number in have:
            continue
        aliases = _village_aliases(spec)
        lat, lng = plan.points[i]
        new.append(
            Village(
                commune=commune,
                name=spec.name,
                kind=spec.kind,
                aliases=aliases,
                landmarks=list(LANDMARKS.get(spec.number, ())),
                number=spec.number,
                lat=lat,
                lng=lng,
                households=plan.households[i],
                population=plan.population[i],
                slug=fold(spec.name).replace(" ", "-"),
                search_key=key(spec.name, *aliases),
                language=spec.minority or "vi",
            )
        )
    say(_("Thôn, bon: thêm %(count)d") % {"count": len(new)})
    Village.objects.bulk_create(new)
    return len(new)


def team_name_for(village_name: str) -> str:
    return f"Tổ hỗ trợ {village_name}"


def _ensure_teams(commune: Commune, plan: _Plan, say: Callable[[str], None]) -> int:
    villages = {v.number: v for v in commune.villages.all()}
    have = set(commune.teams.values_list("name", flat=True))
    new: list[SupportTeam] = []
    for i, spec in enumerate(VILLAGES):
        name = team_name_for(spec.name)
        if name in have:
            continue
        lat, lng = plan.points[i]
        # The team meets at the village cultural house, a few hundred metres from
        # the village centroid.
        new.append(
            SupportTeam(
                commune=commune,
                name=name,
                kind=SupportTeam.Kind.VILLAGE,
                base_lat=round(lat + 0.002, 5),
                base_lng=round(lng - 0.002, 5),
            )
        )
    if SPECIALIST_TEAM_NAME not in have:
        new.append(
            SupportTeam(
                commune=commune,
                name=SPECIALIST_TEAM_NAME,
                kind=SupportTeam.Kind.SPECIALISTS,
                base_lat=commune.lat,
                base_lng=commune.lng,
                phone=commune.operator_phone,
            )
        )
    SupportTeam.objects.bulk_create(new)
    by_name = {t.name: t for t in commune.teams.all()}
    links = []
    through = SupportTeam.villages.through
    for spec in VILLAGES:
        team = by_name[team_name_for(spec.name)]
        if team.name in have:
            continue
        links.append(
            through(supportteam_id=team.pk, village_id=villages[spec.number].pk)
        )
    through.objects.bulk_create(links)
    say(_("Tổ hỗ trợ: thêm %(count)d") % {"count": len(new)})
    return len(new)


def _ensure_admin_access(commune: Commune) -> None:
    """The `admin` login is the superuser; the office logins get their role's access.

    Demo databases made before the office roles existed had `secretary` as the
    superuser: this takes that away. Only the office staff of the sample commune are
    touched, and an existing `admin` account is left as it is (it may be someone's own).
    """
    user_model = get_user_model()
    if not user_model.objects.filter(username=ADMIN_LOGIN).exists():
        user_model.objects.create_user(
            ADMIN_LOGIN,
            password=DEMO_PASSWORD,
            first_name="Quản trị hệ thống",
            is_staff=True,
            is_superuser=True,
        )
    office = commune.staff.filter(user__username__in=OFFICE_LOGINS)
    for member in office.select_related("user"):
        if member.user.is_superuser:
            member.user.is_superuser = False
            member.user.save(update_fields=["is_superuser"])
        grant_office_role(member=member)


def _delete_sample(commune: Commune) -> None:
    user_model = get_user_model()
    user_ids = list(
        Volunteer.objects.filter(team__commune=commune).values_list(
            "user_id", flat=True
        )
    )
    user_ids += list(commune.staff.values_list("user_id", flat=True))
    sample_deleting.send(sender=Commune, commune=commune)
    Volunteer.objects.filter(team__commune=commune).delete()
    commune.delete()
    user_model.objects.filter(pk__in=user_ids).delete()


# --- a second sample commune (seed_demo --communes 2) -----------------------------------

SECOND_CODE = "DS"
SECOND_VILLAGES = (("Thôn Thuận Hòa", 1), ("Bon Bu Ndrung", 2))
SECOND_PEOPLE = (  # (login, full name, phone, village index or None for the office)
    ("secretary2", "Phạm Thị Hằng", "+84912700001", None),
    ("operator2", "Lê Văn Quý", "+84912700002", None),
    ("vol-ds-01", "Đinh Văn Xa", "+84912700011", 0),
    ("vol-ds-02", "H'Liên Byă", "+84912700012", 1),
)


def seed_second_commune() -> Commune:
    """Đắk Song, a small second sample commune with its own office (secretary2,
    operator2), two villages, a team each and a volunteer each: to see, in the demo,
    that one commune's staff see none of another's residents. Idempotent; one
    transaction. Raises NotASampleCommune if a real commune uses the code DS.
    """
    user_model = get_user_model()
    with transaction.atomic():
        commune = Commune.objects.filter(code=SECOND_CODE).first()
        if commune is not None and not commune.is_sample:
            raise NotASampleCommune(SECOND_CODE)
        if commune is None:
            commune = Commune.objects.create(
                name="Đắk Song",
                code=SECOND_CODE,
                province="Lâm Đồng",
                lat=12.25,
                lng=107.60,
                hotline_numbers=["+842613509999"],
                is_sample=True,
            )
        teams = []
        for index, (name, number) in enumerate(SECOND_VILLAGES):
            village, _created = Village.objects.get_or_create(
                commune=commune,
                number=number,
                defaults={
                    "name": name,
                    "kind": Village.Kind.BON
                    if name.startswith("Bon")
                    else Village.Kind.THON,
                    "lat": 12.25 + index * 0.02,
                    "lng": 107.60,
                },
            )
            team, _created = SupportTeam.objects.get_or_create(
                commune=commune,
                name=team_name_for(village.name),
                defaults={"base_lat": village.lat, "base_lng": village.lng},
            )
            team.villages.add(village)
            teams.append(team)
        for login, full_name, phone, village_index in SECOND_PEOPLE:
            user = user_model.objects.filter(username=login).first()
            if user is None:
                user = user_model.objects.create_user(
                    login, password=DEMO_PASSWORD, first_name=full_name
                )
            if village_index is None:
                role = (
                    StaffMember.Role.SECRETARY
                    if login.startswith("secretary")
                    else StaffMember.Role.OPERATOR
                )
                member, _created = StaffMember.objects.get_or_create(
                    user=user,
                    defaults={"commune": commune, "role": role, "phone": phone},
                )
                grant_office_role(member=member)
            elif not Volunteer.objects.filter(user=user).exists():
                Volunteer.objects.create(
                    user=user,
                    team=teams[village_index],
                    full_name=full_name,
                    phone=phone,
                    on_duty=True,
                )
    return commune
