"""Writes of the commune registry: volunteers, their duty flags and spreadsheet imports."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teams.models import Commune, StaffMember, SupportTeam, Village, Volunteer
from teams.phones import InvalidPhoneNumber, normalize_phone
from teams.roles import revoke_office_role
from teams.signals import DutyFlip, duty_changed
from teams.text import fold, nfc

# Folded header → field. Vietnamese with or without diacritics, and English.
HEADER_ALIASES = {
    "full_name": ["ho ten", "ho va ten", "ten", "full name", "name"],
    "phone": ["so dien thoai", "dien thoai", "sdt", "so dt", "phone", "phone number"],
    "team": ["to", "to ho tro", "ten to", "team"],
    "role": ["vai tro", "chuc vu", "role"],
    "affiliation": ["don vi", "to chuc", "affiliation", "organisation", "organization"],
    "languages": ["ngon ngu", "tieng", "languages", "language"],
    "on_duty": ["dang truc", "truc", "on duty"],
    "capacity": ["suc chua", "so viec", "so viec cung luc", "capacity"],
}
_FIELD_BY_HEADER = {h: f for f, hs in HEADER_ALIASES.items() for h in hs}

_ROLES = {
    "to truong": Volunteer.Role.LEADER,
    "truong": Volunteer.Role.LEADER,
    "leader": Volunteer.Role.LEADER,
    "thanh vien": Volunteer.Role.MEMBER,
    "tv": Volunteer.Role.MEMBER,
    "to pho": Volunteer.Role.MEMBER,
    "member": Volunteer.Role.MEMBER,
}
_AFFILIATION_WORDS = {
    "giao vien": Volunteer.Affiliation.TEACHER,
    "teacher": Volunteer.Affiliation.TEACHER,
    "doan": Volunteer.Affiliation.YOUTH_UNION,
    "thanh nien": Volunteer.Affiliation.YOUTH_UNION,
    "youth": Volunteer.Affiliation.YOUTH_UNION,
    "cong an": Volunteer.Affiliation.POLICE,
    "police": Volunteer.Affiliation.POLICE,
    "dan quan": Volunteer.Affiliation.MILITIA,
    "militia": Volunteer.Affiliation.MILITIA,
    "cong doan": Volunteer.Affiliation.TRADE_UNION,
    "trade union": Volunteer.Affiliation.TRADE_UNION,
    "phu nu": Volunteer.Affiliation.WOMEN_UNION,
    "women": Volunteer.Affiliation.WOMEN_UNION,
    "cuu chien binh": Volunteer.Affiliation.VETERANS,
    "veteran": Volunteer.Affiliation.VETERANS,
    "nong dan": Volunteer.Affiliation.FARMERS,
    "farmer": Volunteer.Affiliation.FARMERS,
    "chi bo": Volunteer.Affiliation.PARTY_CELL,
    "party": Volunteer.Affiliation.PARTY_CELL,
    "can bo thon": Volunteer.Affiliation.VILLAGE_OFFICIAL,
    "truong thon": Volunteer.Affiliation.VILLAGE_OFFICIAL,
    "tu quan": Volunteer.Affiliation.VILLAGE_OFFICIAL,
    "village": Volunteer.Affiliation.VILLAGE_OFFICIAL,
    "cong chuc": Volunteer.Affiliation.CIVIL_SERVANT,
    "civil servant": Volunteer.Affiliation.CIVIL_SERVANT,
}
_LANGUAGE_WORDS = {
    "vi": "vi", "viet": "vi", "tieng viet": "vi", "kinh": "vi", "vietnamese": "vi",
    "mnong": "mnong", "m nong": "mnong", "tieng mnong": "mnong",
    "kho": "koho", "k ho": "koho", "koho": "koho", "tieng kho": "koho",
    "ma": "ma", "tieng ma": "ma",
    "ede": "ede", "e de": "ede", "tieng ede": "ede",
    "tay": "tay", "tieng tay": "tay", "nung": "nung", "tieng nung": "nung",
    "hmong": "hmong", "h mong": "hmong", "mong": "hmong", "tieng hmong": "hmong",
    "anh": "en", "tieng anh": "en", "en": "en", "english": "en",
}  # fmt: skip
_YES = {"co", "x", "1", "true", "yes", "y", "dang truc", "truc"}
_NO = {"", "khong", "k", "0", "false", "no", "n", "nghi"}
_LIST_SEPARATORS = re.compile(r"[,;/+\n]|\s(?:và|va|and|&)\s", re.IGNORECASE)


class RowError(ValueError):
    """One spreadsheet row cannot be imported; the message is for the user."""

    code = "invalid_row"


@dataclass
class ImportReport:
    """What an import did: counts and the rows it refused, with reasons."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _(
            "Đã thêm %(created)d, cập nhật %(updated)d tình nguyện viên; "
            "%(errors)d dòng lỗi."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "errors": len(self.errors),
        }


def volunteer_username(phone: str) -> str:
    """The login name of an imported volunteer: the E.164 number without `+`."""
    return phone.lstrip("+")


def ensure_volunteer_user(*, phone: str, full_name: str) -> User:
    """Return the user for this phone, creating it without a usable password.

    Side effects: may insert one auth user. Volunteers set a password later (or an
    admin sets one); until then nobody can log in with this account.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=volunteer_username(phone),
        defaults={"first_name": full_name[:150]},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def take_leave(
    *, volunteer: Volunteer, days: int | None, user: Any = None
) -> dt.datetime | None:
    """Off duty now; with `days`, away until local midnight after that many days.

    Returns the end of the leave (None for a plain "off duty"). Going on duty again
    (`set_on_duty`) ends the leave early.
    """
    until = None
    if days:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        until = today + dt.timedelta(days=days)
    with transaction.atomic():
        set_on_duty(volunteers=[volunteer], on_duty=False, user=user)
        Volunteer.objects.filter(pk=volunteer.pk).update(away_until=until)
    volunteer.on_duty, volunteer.away_until = False, until
    return until


def set_on_duty(
    *,
    volunteers: QuerySet[Volunteer] | Iterable[Volunteer],
    on_duty: bool,
    user: Any = None,
) -> list[int]:
    """Put volunteers on or off duty; returns the ids of those whose flag really changed.

    Every way of changing the flag goes through here (the volunteer's toggle, the
    admin's actions and forms, imports), so each real change is announced once with
    `teams.signals.duty_changed` (dispatch logs it and tells the live screens). Locks
    the volunteers' rows (`select_for_update`) so that two people flipping the same
    volunteer at once cannot both report a change. One UPDATE for all of them.
    """
    if isinstance(volunteers, QuerySet):
        ids = list(volunteers.values_list("pk", flat=True))
    else:
        ids = [v.pk for v in volunteers]
    with transaction.atomic():
        rows = list(
            Volunteer.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(on_duty=on_duty)
            .order_by("pk")
            .values_list("pk", "team_id")
        )
        if on_duty:
            Volunteer.objects.filter(pk__in=ids).update(away_until=None)
        if not rows:
            return []
        changed = [pk for pk, _team in rows]
        Volunteer.objects.filter(pk__in=changed).update(
            on_duty=on_duty, updated_at=timezone.now()
        )
        duty_changed.send(
            sender=Volunteer,
            flips=[DutyFlip(pk, team, on_duty) for pk, team in rows],
            team_ids=frozenset(team for _pk, team in rows),
            user=user,
        )
    return changed


def save_volunteer(*, volunteer: Volunteer, user: Any = None) -> Volunteer:
    """Save a volunteer made or edited in a form or an import, announcing duty changes.

    A new volunteer who starts on duty, or an edit that flips the flag, is a duty change
    like any other; moving a volunteer to another team or (de)activating them changes
    the teams' counts. Locks the stored row first, to compare with what is saved.
    """
    with transaction.atomic():
        before = None
        if volunteer.pk is not None:
            before = (
                Volunteer.objects.select_for_update()
                .filter(pk=volunteer.pk)
                .values("on_duty", "team_id", "active")
                .first()
            )
        volunteer.save()
        now = {
            "on_duty": volunteer.on_duty,
            "team_id": volunteer.team_id,
            "active": volunteer.active,
        }
        if before == now:
            return volunteer
        flips = []
        if (before["on_duty"] if before else False) != volunteer.on_duty:
            flips.append(DutyFlip(volunteer.pk, volunteer.team_id, volunteer.on_duty))
        teams = {volunteer.team_id, before["team_id"] if before else volunteer.team_id}
        duty_changed.send(
            sender=Volunteer, flips=flips, team_ids=frozenset(teams), user=user
        )
    return volunteer


def import_volunteers(
    *,
    rows: Iterable[Mapping[str, Any]],
    commune: Commune,
    first_row_number: int = 2,
    user: Any = None,
) -> ImportReport:
    """Create or update volunteers of `commune` from spreadsheet rows.

    Rows are matched to existing volunteers by normalised phone, so importing the same
    file again updates instead of duplicating. Each row runs in its own transaction (a
    savepoint when called inside one), so a bad row is reported with its number and
    reason and loses nothing else. Side effects: inserts/updates Volunteer rows and
    creates their auth users (no usable password); volunteers who start or stop duty
    are announced like any duty change (`save_volunteer`), with `user` as who did it.
    No locks beyond row writes.
    """
    teams = _team_lookup(commune)
    return import_rows(
        rows=rows,
        report=ImportReport(),
        field_by_header=_FIELD_BY_HEADER,
        required=REQUIRED_COLUMNS,
        first_row_number=first_row_number,
        import_row=lambda row: _import_row(
            row, commune=commune, teams=teams, user=user
        ),
    )


R = TypeVar("R", bound=ImportReport)


def import_rows(
    *,
    rows: Iterable[Mapping[str, Any]],
    report: R,
    field_by_header: dict[str, str],
    required: Mapping[str, Any],
    import_row: Callable[[dict[str, Any]], bool],
    first_row_number: int = 2,
) -> R:
    """The loop every registry import shares: the header row checked for required
    columns, blank rows skipped, each row in its own savepoint (`import_row` returns
    whether it created), a `RowError` reported with the row's number."""
    for number, raw in enumerate(rows, start=first_row_number):
        if number == first_row_number:
            missing = missing_columns(raw, field_by_header, required)
            if missing:
                report.errors.append((first_row_number - 1, missing))
                return report
        row = canonical_row(raw, field_by_header)
        if not any(str(v or "").strip() for v in row.values()):
            continue
        try:
            with transaction.atomic():
                created = import_row(row)
        except RowError as exc:
            report.errors.append((number, str(exc)))
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


def _import_row(
    row: dict[str, Any],
    *,
    commune: Commune,
    teams: dict[str, SupportTeam],
    user: Any = None,
) -> bool:
    full_name = nfc(cell_text(row.get("full_name")))
    if not full_name:
        raise RowError(_("Thiếu họ tên."))
    raw_phone = cell_text(row.get("phone"))
    if not raw_phone:
        raise RowError(_("Thiếu số điện thoại."))
    try:
        phone = normalize_phone(raw_phone)
    except InvalidPhoneNumber:
        raise RowError(
            _("Số điện thoại không hợp lệ: %(value)s") % {"value": raw_phone}
        ) from None
    team_name = cell_text(row.get("team"))
    team = teams.get(fold(team_name))
    if team is None:
        if not team_name:
            raise RowError(_("Thiếu tên tổ."))
        raise RowError(
            _("Không có tổ nào tên là “%(name)s” trong xã.") % {"name": team_name}
        )
    values: dict[str, Any] = {"full_name": full_name, "team": team}
    if cell_text(row.get("role")):
        values["role"] = _role(cell_text(row.get("role")))
    if cell_text(row.get("affiliation")):
        values["affiliation"] = _affiliation(cell_text(row.get("affiliation")))
    if cell_text(row.get("languages")):
        values["languages"] = _languages(cell_text(row.get("languages")))
    if cell_text(row.get("on_duty")):
        values["on_duty"] = yes_no(cell_text(row.get("on_duty")))
    if cell_text(row.get("capacity")):
        values["capacity"] = _capacity(row.get("capacity"))

    volunteer = Volunteer.objects.select_related("team").filter(phone=phone).first()
    if volunteer is not None and volunteer.team.commune_id != commune.pk:
        raise RowError(
            _("Số %(phone)s đã là tình nguyện viên của một xã khác.") % {"phone": phone}
        )
    if volunteer is None:
        account = ensure_volunteer_user(phone=phone, full_name=full_name)
        if Volunteer.objects.filter(user=account).exists():
            raise RowError(_("Tài khoản %(user)s đã được dùng.") % {"user": account})
        values.setdefault("languages", ["vi"])
        save_volunteer(
            volunteer=Volunteer(user=account, phone=phone, **values), user=user
        )
        return True
    for name, value in values.items():
        setattr(volunteer, name, value)
    save_volunteer(volunteer=volunteer, user=user)
    return False


def _team_lookup(commune: Commune) -> dict[str, SupportTeam]:
    """Folded names → team: the team's own name, then the villages a team serves."""
    lookup: dict[str, SupportTeam] = {}
    teams = list(SupportTeam.objects.filter(commune=commune))
    for village in Village.objects.filter(commune=commune).prefetch_related("teams"):
        served_by = [t for t in village.teams.all() if t.kind == t.Kind.VILLAGE]
        if len(served_by) == 1:
            for key in village.folded_names:
                lookup.setdefault(key, served_by[0])
    for team in teams:
        lookup[fold(team.name)] = team
    return lookup


REQUIRED_COLUMNS = {
    "full_name": gettext_lazy("họ tên"),
    "phone": gettext_lazy("số điện thoại"),
    "team": gettext_lazy("tổ"),
}


def missing_columns(
    raw: Mapping[str, Any], field_by_header: dict[str, str], required: Mapping[str, Any]
) -> str:
    """ "Thiếu cột: …" naming the required columns the header row lacks, or ""."""
    found = {field_by_header.get(fold(str(h or ""))) for h in raw}
    missing = [str(label) for name, label in required.items() if name not in found]
    if not missing:
        return ""
    return _("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}


def canonical_row(
    raw: Mapping[str, Any], field_by_header: dict[str, str]
) -> dict[str, Any]:
    """A spreadsheet row keyed by field names (headers folded; the first one wins)."""
    row: dict[str, Any] = {}
    for header, value in raw.items():
        name = field_by_header.get(fold(str(header or "")))
        if name and name not in row:
            row[name] = value
    return row


def cell_text(value: Any) -> str:
    """A cell as trimmed text (Excel's 912345678.0 as 912345678)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 912345678 and 2 as floats
    return str(value).strip()


def _role(text: str) -> str:
    role = _ROLES.get(fold(text))
    if role is None:
        raise RowError(_("Vai trò không rõ: %(value)s") % {"value": text})
    return role


def _affiliation(text: str) -> str:
    folded = fold(text)
    for value, label in Volunteer.Affiliation.choices:
        if folded in (value.replace("_", " "), fold(str(label))):
            return value
    for word, value in _AFFILIATION_WORDS.items():
        if word in folded:
            return value
    return Volunteer.Affiliation.OTHER


def _languages(text: str) -> list[str]:
    codes: list[str] = []
    for part in _LIST_SEPARATORS.split(text):
        word = fold(part)
        if not word:
            continue
        code = _LANGUAGE_WORDS.get(word) or _LANGUAGE_WORDS.get(word.replace(" ", ""))
        if code is None:
            raise RowError(_("Ngôn ngữ không rõ: %(value)s") % {"value": part.strip()})
        if code not in codes:
            codes.append(code)
    return codes


def yes_no(text: str, *, column: str = "") -> bool:
    """Có/không (x, 1, yes…) → a bool; anything else is a row error naming the column."""
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise RowError(
        _("Cột “%(column)s” phải là có hoặc không, không phải: %(value)s")
        % {"column": column or _("đang trực"), "value": text}
    )


def _capacity(value: Any) -> int:
    text = cell_text(value)
    try:
        number = int(text)
    except ValueError:
        raise RowError(
            _("Sức chứa phải là số nguyên: %(value)s") % {"value": text}
        ) from None
    if not 1 <= number <= 20:
        raise RowError(
            _("Sức chứa phải từ 1 đến 20, không phải %(value)s.") % {"value": number}
        )
    return number


def remove_staff_member(*, member: StaffMember) -> None:
    """End an office role: the StaffMember row, its admin group and `is_staff`, at once.

    One transaction: either the account keeps its role and access, or it loses both.
    An account left as Django staff without a commune would see nothing anyway
    (`dispatch.permissions.is_administrator`), but it must not keep the flag either.
    The `post_delete` receiver (teams.apps) does the same for deletes that do not come
    through here (the admin's delete, a commune deleted with its staff).
    """
    with transaction.atomic():
        user = member.user
        member.delete()
        revoke_office_role(user=user)
