"""A small, hand-computed October for Đức An: the KPI tests check every figure against it.

    code  day    village     team            cat      channel  phone  accept contact resolve on time
    K1    10/10  Thôn 1      Tổ Thôn 1       vneid    sms      A      5      20      60      yes ★5
    K2    10/10  Thôn 1      Tổ Thôn 1       vneid    voice    A      10     30      120     yes ★4
    K3    12/10  Thôn 5      Tổ Thôn 5       dossier  web      B      15     45      3000    no  ★2
    K4    10/10  Bon Bu Bir  specialists     scam     voice    C      30     40      100     yes (escalated)
    K5    10/10  Thôn 15     Tổ Thôn 15      portal   sms      D      20     -       -       (accepted, open)
    K6    10/10  Thôn 5      -               other    operator -      -      -       -       (received, open)
    K7    30/09 23:00 and K8 01/11 00:30 (local) fall outside October.

Minutes from arrival. Repeats (same phone within 30 days before): K1 (after K7) and K2.
Offers: K4 declined once and expired once, K3 expired once; K7 has a
decline outside the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dispatch.dashboard.kpis import Period
from dispatch.models import HelpRequest, Offer, Status

OCTOBER = Period.month(2026, 10)
OCTOBER_QUERY = "?date_from=2026-10-01&date_to=2026-10-31"  # the dashboard's filter
PHONES = {"A": "+84901000001", "B": "+84901000002", "C": "+84901000003"}
PHONES["D"] = "+84901000004"


def local(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    tz = timezone.get_default_timezone()
    return dt.datetime(2026, month, day, hour, minute, tzinfo=tz)


def make_request(
    duc_an,
    code: str,
    created: dt.datetime,
    *,
    village,
    team,
    category: str,
    channel: str,
    phone: str = "",
    accept: int | None = None,
    contact: int | None = None,
    resolve: int | None = None,
    on_time: bool | None = None,
    rating: int | None = None,
    escalate: int | None = None,
    status: str = Status.RECEIVED,
) -> HelpRequest:
    def after(minutes: int | None) -> dt.datetime | None:
        return None if minutes is None else created + dt.timedelta(minutes=minutes)

    request = HelpRequest.objects.create(
        code=code,
        commune=duc_an.commune,
        channel=channel,
        category=category,
        resident_name="Người dân " + code,
        resident_phone=phone,
        village=village,
        current_team=team,
        status=status,
        accepted_at=after(accept),
        started_at=after(contact),
        resolved_at=after(resolve),
        escalated_at=after(escalate),
        due_at=created + dt.timedelta(hours=24),
        on_time=on_time,
        rating=rating,
    )
    # created_at is stamped on insert; history needs its own arrival time.
    HelpRequest.objects.filter(pk=request.pk).update(created_at=created)
    request.refresh_from_db()
    return request


def offer(request: HelpRequest, team, round_: int, state: str) -> Offer:
    return Offer.objects.create(
        request=request,
        team=team,
        round=round_,
        state=state,
        expires_at=request.created_at + dt.timedelta(minutes=10),
        answered_at=request.created_at + dt.timedelta(minutes=5),
    )


@dataclass
class October:
    k1: HelpRequest
    k2: HelpRequest
    k3: HelpRequest
    k4: HelpRequest
    k5: HelpRequest
    k6: HelpRequest


def build_october(duc_an) -> October:
    d = duc_an
    resolved = Status.RESOLVED
    k1 = make_request(
        d,
        "DA-K1",
        local(10, 8),
        village=d.thon_1,
        team=d.team_thon_1,
        category="vneid",
        channel="sms",
        phone=PHONES["A"],
        accept=5,
        contact=20,
        resolve=60,
        on_time=True,
        rating=5,
        status=resolved,
    )
    k2 = make_request(
        d,
        "DA-K2",
        local(10, 9),
        village=d.thon_1,
        team=d.team_thon_1,
        category="vneid",
        channel="voice",
        phone=PHONES["A"],
        accept=10,
        contact=30,
        resolve=120,
        on_time=True,
        rating=4,
        status=Status.CLOSED,
    )
    k3 = make_request(
        d,
        "DA-K3",
        local(12, 8),
        village=d.thon_5,
        team=d.team_thon_5,
        category="dossier",
        channel="web",
        phone=PHONES["B"],
        accept=15,
        contact=45,
        resolve=3000,
        on_time=False,
        rating=2,
        status=resolved,
    )
    k4 = make_request(
        d,
        "DA-K4",
        local(10, 10),
        village=d.bu_bir,
        team=d.specialists,
        category="scam",
        channel="voice",
        phone=PHONES["C"],
        accept=30,
        contact=40,
        resolve=100,
        on_time=True,
        escalate=12,
        status=resolved,
    )
    k5 = make_request(
        d,
        "DA-K5",
        local(10, 11),
        village=d.thon_15,
        team=d.team_thon_15,
        category="portal",
        channel="sms",
        phone=PHONES["D"],
        accept=20,
        status=Status.ACCEPTED,
    )
    k6 = make_request(
        d,
        "DA-K6",
        local(10, 12),
        village=d.thon_5,
        team=None,
        category="other",
        channel="operator",
    )
    k7 = make_request(
        d,
        "DA-K7",
        local(30, 23, month=9),
        village=d.thon_1,
        team=d.team_thon_1,
        category="vneid",
        channel="sms",
        phone=PHONES["A"],
        accept=1,
        contact=2,
        resolve=3,
        on_time=True,
        rating=1,
        status=resolved,
    )
    make_request(
        d,
        "DA-K8",
        local(1, 0, 30, month=11),
        village=d.thon_1,
        team=d.team_thon_1,
        category="vneid",
        channel="sms",
        phone=PHONES["B"],
        accept=1,
        contact=2,
        resolve=3,
        on_time=False,
        status=resolved,
    )
    offer(k4, d.team_bu_bir, 1, Offer.State.DECLINED)
    offer(k4, d.team_thon_15, 2, Offer.State.EXPIRED)
    offer(k3, d.team_thon_1, 1, Offer.State.EXPIRED)
    offer(k7, d.team_thon_5, 1, Offer.State.DECLINED)
    return October(k1, k2, k3, k4, k5, k6)  # fmt: skip
