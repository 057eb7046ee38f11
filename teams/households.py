"""Writes of the household register: the commune's spreadsheet, field additions, erasure.

Imports reuse the volunteer import's rules (`teams.services`): headers with or without
diacritics, a report of refused rows with their numbers, and re-imports that update
(rows are matched by household code, else by head of household and phone).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teams.models import Commune, Household, Village, Volunteer
from teams.phones import InvalidPhoneNumber, normalize_phone, try_normalize_phone
from teams.prepared import Prepared
from teams.services import (
    ImportReport,
    RowError,
    cell_text,
    import_rows,
    yes_no,
)
from teams.text import fold, nfc

HEADER_ALIASES = {
    "code": ["ma ho", "ma", "code", "household code"],
    "village": ["thon", "bon", "thon bon", "thon, bon", "village"],
    "head_name": ["chu ho", "ho ten chu ho", "ten chu ho", "ho ten", "head", "name"],
    "address": ["dia chi", "moc", "dia chi moc", "address", "landmark"],
    "phone": ["so dien thoai", "dien thoai", "sdt", "phone"],
    "phone_alt": ["so dien thoai khac", "sdt khac", "sdt 2", "phone 2"],
    "members": ["nhan khau", "so nhan khau", "so nguoi", "members"],
    "has_elderly": ["nguoi tren 60", "co nguoi tren 60", "cao tuoi", "elderly"],
    "elderly_alone": ["cao tuoi song mot minh", "song mot minh", "elderly alone"],
    "has_disability": ["khuyet tat", "nguoi khuyet tat", "disability"],
    "ethnic_minority": ["dan toc thieu so", "dtts", "ethnic minority"],
    "no_smartphone": [
        "khong co dien thoai thong minh",
        "khong co smartphone",
        "no smartphone",
    ],
    "consent": ["dong y lien he", "dong y", "consent"],
    "lat": ["vi do", "lat", "latitude"],
    "lng": ["kinh do", "lng", "lon", "longitude"],
}
_FIELD_BY_HEADER = {h: f for f, hs in HEADER_ALIASES.items() for h in hs}
REQUIRED_COLUMNS = {
    "village": gettext_lazy("thôn"),
    "head_name": gettext_lazy("chủ hộ"),
}


class HouseholdImportReport(ImportReport):
    def summary(self) -> str:
        return _(
            "Đã thêm %(created)d, cập nhật %(updated)d hộ; %(errors)d dòng lỗi."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "errors": len(self.errors),
        }


def next_code(*, village: Village) -> str:
    """The next free code of a village: `<village number>-<n>` (3-1, 3-2, …)."""
    prefix = f"{village.number}-"
    taken = Household.objects.filter(
        commune_id=village.commune_id, code__startswith=prefix
    ).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def households_for_phone(*, commune_id: int, phone: str) -> QuerySet[Household]:
    """The commune's households reached on `phone` (either of their numbers)."""
    normal = try_normalize_phone(phone or "")
    if not normal:
        return Household.objects.none()
    return _reached_on(commune_id=commune_id, phone=normal)


def _reached_on(*, commune_id: int, phone: str) -> QuerySet[Household]:
    """The commune's households with `phone` (E.164) as either of their numbers."""
    return Household.objects.filter(
        Q(phone=phone) | Q(phone_alt=phone), commune_id=commune_id
    )


_IDS_FOR_PHONE = Prepared(
    lambda commune_id, phone: (
        _reached_on(commune_id=commune_id, phone=phone)
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )
)


def household_id_for_phone(*, commune_id: int, phone: str) -> int | None:
    """The one household of the commune reached on `phone`; None for none or several.
    Prepared: every new request asks (see teams/prepared.py)."""
    normal = try_normalize_phone(phone or "")
    if not normal:
        return None
    found = _IDS_FOR_PHONE.rows(commune_id=commune_id, phone=normal)
    return found[0][0] if len(found) == 1 else None


def add_household(
    *,
    village: Village,
    head_name: str,
    address: str = "",
    phone: str = "",
    members: int = 1,
    flags: Iterable[str] = (),
    consent: bool = False,
    added_by: Volunteer | None = None,
) -> Household:
    """A household met in the field, added to the register with the next free code.

    Locks the village row while choosing the code, so two volunteers adding at once
    in the same village get different codes.
    """
    with transaction.atomic():
        Village.objects.select_for_update().filter(pk=village.pk).first()
        household = Household(
            commune_id=village.commune_id,
            village=village,
            code=next_code(village=village),
            head_name=nfc(head_name)[:160],
            address=nfc(address)[:200],
            phone=phone,
            members=max(1, min(members, 60)),
            consent_at=timezone.now() if consent else None,
            added_by=added_by,
            **{name: name in set(flags) for name in Household.FLAGS},
        )
        household.save()
    return household


def anonymise_households(households: QuerySet[Household]) -> int:
    """Blank what identifies the households (name, address, phones, place, flags);
    the rows stay so a campaign's counts stay true. Returns how many."""
    return households.update(
        head_name="",
        address="",
        phone="",
        phone_alt="",
        lat=None,
        lng=None,
        search_key="",
        consent_at=None,
        erased_at=timezone.now(),
        **dict.fromkeys(Household.FLAGS, False),
    )


def import_households(
    *,
    rows: Iterable[Mapping[str, Any]],
    commune: Commune,
    first_row_number: int = 2,
) -> HouseholdImportReport:
    """Create or update the commune's households from spreadsheet rows.

    A row with a code updates the household of that code; without one, the household
    with the same head of household and phone in the village, else a new one with the
    next free code. Each row in its own savepoint: a bad row is reported with its
    number and reason and loses nothing else.
    """
    villages = _village_lookup(commune)
    return import_rows(
        rows=rows,
        report=HouseholdImportReport(),
        field_by_header=_FIELD_BY_HEADER,
        required=REQUIRED_COLUMNS,
        first_row_number=first_row_number,
        import_row=lambda row: _import_row(row, commune=commune, villages=villages),
    )


def _village_lookup(commune: Commune) -> dict[str, Village]:
    lookup: dict[str, Village] = {}
    for village in Village.objects.filter(commune=commune):
        for key in village.folded_names:
            lookup.setdefault(key, village)
        lookup.setdefault(str(village.number), village)
    return lookup


def _phone(row: dict[str, Any], name: str) -> str:
    raw = cell_text(row.get(name))
    if not raw:
        return ""
    try:
        return normalize_phone(raw)
    except InvalidPhoneNumber:
        raise RowError(
            _("Số điện thoại không hợp lệ: %(value)s") % {"value": raw}
        ) from None


def _members(row: dict[str, Any]) -> int:
    text = cell_text(row.get("members"))
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 60:
        raise RowError(
            _("Số nhân khẩu phải là số từ 1 đến 60, không phải: %(value)s")
            % {"value": text}
        )
    return int(text)


def _coordinate(row: dict[str, Any], name: str, bound: int) -> float | None:
    text = cell_text(row.get(name)).replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = bound + 1.0
    if not -bound <= value <= bound:
        raise RowError(_("Toạ độ không hợp lệ: %(value)s") % {"value": text})
    return value


def _flag(row: dict[str, Any], name: str, label: Any) -> bool:
    text = cell_text(row.get(name))
    return yes_no(text, column=str(label)) if text else False


def _import_row(
    row: dict[str, Any], *, commune: Commune, villages: dict[str, Village]
) -> bool:
    village_name = cell_text(row.get("village"))
    village = villages.get(fold(village_name))
    if village is None:
        if not village_name:
            raise RowError(_("Thiếu tên thôn."))
        raise RowError(
            _("Không có thôn nào tên là “%(name)s” trong xã.") % {"name": village_name}
        )
    head_name = nfc(cell_text(row.get("head_name")))
    if not head_name:
        raise RowError(_("Thiếu tên chủ hộ."))
    values: dict[str, Any] = {
        "village": village,
        "head_name": head_name[:160],
        "address": nfc(cell_text(row.get("address")))[:200],
        "phone": _phone(row, "phone"),
        "phone_alt": _phone(row, "phone_alt"),
        "members": _members(row),
        "lat": _coordinate(row, "lat", 90),
        "lng": _coordinate(row, "lng", 180),
    }
    for name in Household.FLAGS:
        values[name] = _flag(row, name, Household.flag_label(name))
    consent = _flag(row, "consent", _("đồng ý liên hệ"))
    code = cell_text(row.get("code")).upper()[:16]
    if code:
        household = Household.objects.filter(commune=commune, code=code).first()
    else:
        household = Household.objects.filter(
            commune=commune,
            village=village,
            head_name=head_name,
            phone=values["phone"],
        ).first()
    created = household is None
    if household is None:
        household = Household(commune=commune, code=code or next_code(village=village))
    for name, value in values.items():
        setattr(household, name, value)
    if consent and household.consent_at is None:
        household.consent_at = timezone.now()
    household.save()
    return created
