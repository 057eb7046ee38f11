"""The scam response's part of `manage.py seed_demo`: the commune police contact and a
few past scam reports, so the dashboard's scam block and the board's suggestion are
not empty. Deterministic and idempotent (nothing is added twice)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from dispatch.help_requests import lifecycle
from dispatch.models import HelpRequest, Outcome, ScamReport, Status
from dispatch.scams import services
from teams.models import Commune, Village
from training.catalogue import seed_patterns
from training.models import ScamPattern

# Sample data (the banner says so): a number of the sample range, never a real one.
DEMO_POLICE = {
    "police_name": "Công an xã Đức An (trực ban)",
    "police_phone": "+84263000113",
    "police_address": "Trụ sở Công an xã Đức An",
}

# (days ago, village number, pattern key, amount lost, scammer as given, outcome, text)
PAST = (
    (1, 3, "electricity", None, "0586 112 233", "attempt",
     "Co nguoi goi xung dien luc doa cat dien toi nay, bat chuyen khoan"),
    (2, 3, "electricity", 1_200_000, "0586112233, STK 1903 5566 7788 Techcombank",
     "lost", "Dien luc goi bao no tien dien, da chuyen 1 trieu 2"),
    (3, 3, "electricity", None, "0586.112.299", "attempt",
     "Tin nhan bao cat dien, gui ma QR bat bam giu"),
    (5, 7, "fake_police_vneid", 45_000_000, "vneid-capnhat.top", "lost",
     "Nguoi xung cong an xa bat cai VNeID moi qua link, bi rut het tien"),
    (12, 12, "relative_hospital", None, "0703 445 566", "attempt",
     "Goi bao chau bi tai nan can chuyen tien mo gap"),
    (19, 7, "pension", 200_000, "0339 887 766", "lost",
     "Goi bao xac minh de nhan luong huu, bat nop phi 200 nghin"),
)  # fmt: skip


def seed_scam_demo(sender: Any, *, commune: Commune, **kwargs: Any) -> None:
    """Receiver of `teams.signals.demo_seeded` (a sample commune only)."""
    if not commune.is_sample:
        return
    services.save_settings(commune=commune, **DEMO_POLICE)
    if ScamReport.objects.filter(commune=commune).exists():
        return
    villages = {v.number: v for v in Village.objects.filter(commune=commune)}
    seed_patterns()  # a migration installs them; a flushed database lacks them
    patterns = {p.key: p for p in ScamPattern.objects.all()}
    now = timezone.now()
    with transaction.atomic():
        for n, (days, number, key, amount, contact, outcome, text) in enumerate(PAST):
            _past_report(
                commune=commune,
                village=villages.get(number),
                pattern=patterns.get(key),
                at=now - dt.timedelta(days=days, hours=n),
                amount=amount,
                contact=contact,
                outcome=outcome,
                text=text,
                phone=f"+8491300{n:04d}",
            )


def _past_report(
    *,
    commune: Commune,
    village: Village | None,
    pattern: ScamPattern | None,
    at: dt.datetime,
    amount: int | None,
    contact: str,
    outcome: str,
    text: str,
    phone: str,
) -> None:
    request = lifecycle.create_request(
        commune=commune,
        channel="sms",
        category="scam",
        description=text,
        resident_phone=phone,
        village=village,
        consent=True,
    )
    report = services.record_scam(
        request=request,
        pattern=pattern,
        amount_lost=amount,
        lost_on=at.date() if amount else None,
        scammer_contact=contact,
        outcome=outcome,
    )
    # The past: received, helped and closed days ago (the demo's history, not live work).
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=at,
        status=Status.CLOSED,
        resolved_at=at + dt.timedelta(hours=2),
        closed_at=at + dt.timedelta(days=1),
        outcome=Outcome.SOLVED_REMOTE,
        on_time=True,
    )
    ScamReport.objects.filter(pk=report.pk).update(
        recorded_at=at + dt.timedelta(hours=1)
    )
