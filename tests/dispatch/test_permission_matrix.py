"""The permission matrix: every role × every URL and WebSocket action × object scope.

Two real communes, with office staff in both: Đức An (the personas of conftest) and
Đắk Song, which holds a request of a marker resident. Roles: anonymous resident,
volunteer, team leader, operator and secretary of Đức An, the secretary of Đắk Song
(`other_secretary`), Django staff without a commune (`nocommune`: sees nothing) and a
superuser (the administrator).
The URL list comes from Django's resolver and the action list from the consumers
themselves, so a new view or action without a row here FAILS
`test_every_url_and_websocket_action_has_a_matrix_entry`. Each row says, per role, what
that role must get: "ok" (the page or the action works) or "no" (a login redirect, 401,
403 or 404: nothing shown). Rows with object scope name the object they use: the
volunteer's own assignment, another team's request, another commune's request…

Besides the outcome, every response body and every socket frame a role receives is
searched for the markers of the scopes it must not see (`FORBIDDEN`): the phones (last
nine digits, whatever the formatting), names and codes of residents of another commune,
another team, or any resident at all for the anonymous and `nocommune`. The Django
admin's changelists of every registered model are searched the same way.

`test_the_permission_matrix[role]` runs every row for one role (the world is built once
per role; one test per row would rebuild it 600 times). `bench/mutate_permissions.py`
removes each check of `dispatch/permissions.py` in turn and shows this file fails.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from dispatch.help_requests import lifecycle
from dispatch.intake.store import store_inbound
from dispatch.live.routes import websocket_urlpatterns
from dispatch.models import HelpRequest, InboundMessage
from dispatch.outreach import services as outreach
from dispatch.scams import services as scam_services
from teams.models import Commune, StaffMember, Village, Volunteer
from teams.roles import grant_office_role
from tests.dispatch.conftest import (
    DucAn,
    make_team,
    make_user,
    make_volunteer,
    open_offer_of,
    submit_for_lan,
)
from tests.personas import CAMPAIGN_TITLE, register_households, vneid_campaign

ROLES = (
    "anonymous",
    "volunteer",
    "leader",
    "operator",
    "secretary",
    "other_secretary",
    "nocommune",
    "superuser",
)
OK, NO = "ok", "no"


def every(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def only(*roles: str) -> dict[str, str]:
    return {role: OK if role in roles else NO for role in ROLES}


PUBLIC = every(OK)
LOGGED_IN = {**every(OK), "anonymous": NO}
VOLUNTEERS = only("volunteer", "leader")
# Pages every office user opens for their own commune.
STAFF = only("operator", "secretary", "other_secretary", "superuser")
SECRETARY = only("secretary", "other_secretary", "superuser")
DASHBOARD = only("leader", "operator", "secretary", "other_secretary", "superuser")
# An object of Đức An: its office and the administrator, not Đắk Song's secretary.
DUC_AN_STAFF = only("operator", "secretary", "superuser")
DUC_AN_SECRETARY = only("secretary", "superuser")
ADMIN = only("superuser")
HOOK = every(NO)  # unsigned: 403 for everyone, whoever is logged in


@dataclass
class World:
    duc_an: DucAn
    users: dict[str, Any]
    own: HelpRequest  # assigned to the volunteer (An, Tổ Thôn 1)
    teams: HelpRequest  # assigned to the leader's team (Tổ Thôn 1), not to An
    other_team: HelpRequest  # assigned to Bình (Tổ Thôn 5)
    offered: HelpRequest  # open offer to Tổ Thôn 1
    offered_too: HelpRequest  # another one (the accept row takes the first)
    other_commune: HelpRequest
    objects: dict[str, Any] = field(default_factory=dict)
    far: Commune | None = None


@dataclass
class Row:
    """One URL (or WS action) with one object scope."""

    expect: dict[str, str]
    method: str = "GET"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    scope: str = ""
    query: Callable[[World], str] = lambda w: ""  # WebSocket rows: "?commune=…"
    # Content beyond the FORBIDDEN markers: role → markers that must (not) appear.
    shows: Callable[[World], dict[str, list[str]]] = lambda w: {}
    hides: Callable[[World], dict[str, list[str]]] = lambda w: {}
    # The response repeats what was asked (a data-subject export names the phone
    # asked about): only `shows`/`hides` judge its content.
    echoes: bool = False


def digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-9:]


def own_code(*roles: str, far: tuple[str, ...] = ()):
    """`shows`: `roles` see the own request's code, `far` Đắk Song's request's code."""

    def shows(w: World) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {role: [w.own.code] for role in roles}
        for role in far:
            found.setdefault(role, []).append(w.other_commune.code)
        return found

    return shows


def code(attr: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"code": getattr(w, attr).code}


def obj(name: str, key: str = "pk") -> Callable[[World], dict[str, Any]]:
    return lambda w: {key: w.objects[name].pk}


# Training objects (a workshop, an enrolment, a certificate) of Đức An: its office reads
# them, its secretary (and the superuser) changes them; Đắk Song's office neither.
TRAINING_READ = DUC_AN_STAFF
TRAINING_WRITE = DUC_AN_SECRETARY


def _spare(w: World) -> HelpRequest:
    """A request of the commune that a row may cancel (made on first use)."""
    if "spare" not in w.objects:
        w.objects["spare"] = submit_for_lan(w.duc_an, resident_phone="0912345676")
    return w.objects["spare"]


def _made(w: World, key: str) -> HelpRequest:
    """A fresh Đức An request for one socket row that changes it (made on first use;
    every one from the same phone, so two of them may be merged)."""
    key = f"board-{key}"
    if key not in w.objects:
        w.objects[key] = submit_for_lan(w.duc_an, resident_phone="0912345675")
    return w.objects[key]


def _far(w: World, key: str) -> HelpRequest:
    """A fresh request of Đắk Song for one socket row that changes it."""
    key = f"far-{key}"
    if key not in w.objects:
        w.objects[key] = lifecycle.create_request(
            commune=w.other_commune.commune, channel="sms", category="other"
        )
    return w.objects[key]


def _wants_a_call(w: World, request: HelpRequest) -> HelpRequest:
    """`request`, now waiting for the operator to call the resident back."""
    HelpRequest.objects.filter(pk=request.pk).update(callback_requested=True)
    return request


def _resolved(w: World) -> HelpRequest:
    """A Đức An request the office resolved (the board may reopen it)."""
    if "board-resolved" not in w.objects:
        w.objects["board-resolved"] = lifecycle.resolve_request(
            request=_made(w, "to-reopen"),
            outcome="unsolved",
            user=w.duc_an.secretary.user,
        )
    return w.objects["board-resolved"]


def _guide(w: World) -> dict[str, Any]:
    """The VNeID guide (installed on first use: a flushed database has none)."""
    from dispatch.guides.services import install_seed_guides
    from dispatch.models import Guide

    install_seed_guides()
    return {"slug": Guide.objects.get(keyword="vneid").slug}


def _guide_slug(w: World) -> dict[str, Any]:
    return {"guide": _guide(w)["slug"]}


# --- HTTP: route (as the resolver prints it) → rows -------------------------------------
URL_MATRIX: dict[str, list[Row]] = {
    "healthz": [Row(PUBLIC)],
    "metrics": [
        Row(PUBLIC, scope="by address (the test client is 127.0.0.1) or token; counts")
    ],
    "admin/": [
        Row(
            {**STAFF, "nocommune": OK},
            scope="Django admin: staff log in; rows only of their commune (none)",
        )
    ],
    "accounts/login/": [Row(PUBLIC)],
    "accounts/logout/": [Row(every(NO), method="POST", scope="back to the login")],
    "accounts/password_change/": [Row(LOGGED_IN)],
    "accounts/password_change/done/": [Row(LOGGED_IN)],
    "accounts/password_reset/": [Row(PUBLIC)],
    "accounts/password_reset/done/": [Row(PUBLIC)],
    "accounts/reset/<uidb64>/<token>/": [
        Row(PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"})
    ],
    "accounts/reset/done/": [Row(PUBLIC)],
    "i18n/setlang/": [Row(PUBLIC, method="POST", data=lambda w: {"language": "en"})],
    "": [Row(PUBLIC, scope="residents: ask for help or track a code; staff: teams")],
    # --- training
    "training/": [Row(STAFF)],
    "training/workshops/new/": [Row(SECRETARY, scope="operators only read training")],
    "training/workshops/<int:pk>/": [Row(TRAINING_READ, kwargs=obj("workshop"))],
    "training/workshops/<int:pk>/enrol/": [
        Row(
            TRAINING_WRITE,
            method="POST",
            kwargs=obj("workshop"),
            scope="an empty form: back to the workshop with an error",
        )
    ],
    "training/workshops/<int:pk>/qr/": [Row(TRAINING_WRITE, kwargs=obj("workshop"))],
    "training/workshops/<int:pk>/qr/fragment/": [
        Row(TRAINING_WRITE, kwargs=obj("workshop"))
    ],
    "training/workshops/<int:pk>/checklist/": [
        Row(TRAINING_READ, kwargs=obj("workshop"))
    ],
    "training/workshops/<int:pk>/checklist/<int:volunteer_pk>/": [
        Row(
            TRAINING_READ,
            kwargs=lambda w: {
                "pk": w.objects["workshop"].pk,
                "volunteer_pk": w.duc_an.an.pk,
            },
        )
    ],
    "training/enrolments/<int:pk>/<str:action>/": [
        Row(
            TRAINING_WRITE,
            method="POST",
            kwargs=lambda w: {"pk": w.objects["enrolment"].pk, "action": "present"},
        )
    ],
    "training/checkin/<int:workshop_pk>/<str:token>/": [
        Row(
            VOLUNTEERS,
            kwargs=lambda w: {
                "workshop_pk": w.objects["workshop"].pk,
                "token": w.objects["token"],
            },
        )
    ],
    "training/me/": [Row(LOGGED_IN, scope="non-volunteers are told so")],
    "training/quiz/": [Row(VOLUNTEERS)],
    "training/quiz/<slug:topic_key>/start/": [
        Row(VOLUNTEERS, kwargs=lambda w: {"topic_key": "scam"})
    ],
    "training/quiz/attempts/<int:pk>/": [
        Row(only("volunteer"), kwargs=obj("attempt"), scope="An's own attempt")
    ],
    "training/coverage/": [Row(STAFF)],
    "training/certificates/<str:code>/": [
        Row(
            {**TRAINING_READ, "volunteer": OK},
            kwargs=lambda w: {"code": w.objects["certificate"].code},
            scope="An's certificate: An and the office",
        )
    ],
    "training/certificates/<str:code>/revoke/": [
        Row(
            TRAINING_WRITE,
            method="POST",
            kwargs=lambda w: {"code": w.objects["certificate"].code},
            data=lambda w: {"reason": "kiểm tra quyền"},
        )
    ],
    "verify/<str:code>": [
        Row(PUBLIC, kwargs=lambda w: {"code": w.objects["certificate"].code})
    ],
    "verify/<str:code>/": [
        Row(PUBLIC, kwargs=lambda w: {"code": w.objects["certificate"].code})
    ],
    # --- webhooks: a signature, not a login, is what lets a request in
    "hooks/twilio/sms": [Row(HOOK, method="POST")],
    "hooks/twilio/status": [Row(HOOK, method="POST")],
    "hooks/twilio/voice": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/open": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/menu": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/guide": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/category": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/village": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/village-done": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/consent": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/done": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/rate": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/dial-done": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/callback-village": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/callback-number": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/callback-confirm": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/status-code": [Row(HOOK, method="POST")],
    "hooks/smsgate": [Row(HOOK, method="POST")],
    "hooks/zalo": [Row(HOOK, method="POST")],
    # --- residents
    "help/": [Row(PUBLIC)],
    "help/chon-xa/": [Row(PUBLIC, scope="the commune chooser")],
    "help/<slug:slug>/": [
        Row(PUBLIC, kwargs=lambda w: {"slug": "da"}, scope="Đức An's form"),
        Row(
            PUBLIC,
            kwargs=lambda w: {"slug": w.duc_an.thon_1.slug},
            scope="a bare village with two communes: to the chooser",
        ),
    ],
    "help/<slug:commune_slug>/<slug:village_slug>/": [
        Row(
            PUBLIC,
            kwargs=lambda w: {"commune_slug": "da", "village_slug": "thon-1"},
            scope="what Đức An's Thôn 1 poster opens",
        )
    ],
    "track/": [Row(PUBLIC)],
    "track/<str:code>": [Row(PUBLIC, kwargs=code("own"), scope="no personal data")],
    "api/v1/track/<str:code>": [Row(PUBLIC, kwargs=code("own"))],
    "t/<str:code>": [Row(PUBLIC, kwargs=code("own"), scope="short link → track/")],
    # The code is the resident's key; cancelling also needs the phone's last 4 digits
    # (wrong here: the page says so and nothing changes).
    "track/<str:code>/cancel": [
        Row(
            PUBLIC,
            method="POST",
            kwargs=code("own"),
            data=lambda w: {"last_digits": "0000"},
            scope="wrong digits: told so, nothing cancelled",
        )
    ],
    "track/<str:code>/rate": [
        Row(
            PUBLIC,
            method="POST",
            kwargs=code("own"),
            data=lambda w: {"rating": "5"},
            scope="not resolved yet: told so",
        )
    ],
    "track/<str:code>/reopen": [
        Row(PUBLIC, method="POST", kwargs=code("own"), scope="not resolved: told so")
    ],
    # Prompt recordings are public (Twilio fetches them; they hold what every caller
    # hears: tests/dispatch/webhooks/test_voice_minority_languages.py); none here.
    "voice-prompts/<int:pk>/audio": [
        Row(every(NO), kwargs=lambda w: {"pk": 999999}, scope="no such recording")
    ],
    "guides/": [Row(PUBLIC)],
    "guides/<slug:slug>/": [Row(PUBLIC, kwargs=_guide)],
    "guides/<slug:slug>/helped/": [
        Row(PUBLIC, method="POST", kwargs=_guide, data=lambda w: {"helped": "yes"})
    ],
    "g/<slug:keyword>": [Row(PUBLIC, kwargs=lambda w: {"keyword": "vneid"})],
    # Guides are national content: every commune's secretary edits (versioned).
    "guides/staff/": [Row(SECRETARY)],
    "guides/staff/new/": [Row(SECRETARY)],
    "guides/staff/<slug:slug>/": [Row(SECRETARY, kwargs=_guide)],
    "guides/<slug:slug>/poster.svg": [
        Row(STAFF, kwargs=_guide, scope="with the viewer's own commune's hotline")
    ],
    # --- office
    "operator/": [
        Row(
            STAFF,
            data=lambda w: _wants_a_call(w, w.offered) and {},
            scope="the call-back list: each office sees its own commune's",
            shows=lambda w: {
                role: [w.offered.code]
                for role in ("operator", "secretary", "superuser")
            },
            hides=lambda w: {"other_secretary": [w.offered.code]},
        )
    ],
    "operator/callbacks/<str:code>/": [
        Row(
            DUC_AN_STAFF,
            method="POST",
            kwargs=lambda w: {"code": _wants_a_call(w, _made(w, "callback")).code},
            data=lambda w: {
                f"cb{_made(w, 'callback').pk}-outcome": "no_answer",
            },
            scope="a Đức An resident waiting for a call back",
        ),
        Row(
            only("other_secretary", "superuser"),
            method="POST",
            kwargs=lambda w: {"code": _wants_a_call(w, _far(w, "callback")).code},
            data=lambda w: {f"cb{_far(w, 'callback').pk}-outcome": "no_answer"},
            scope="a Đắk Song resident waiting for a call back",
        ),
    ],
    "posters/": [Row(STAFF)],
    "voice-prompts/": [Row(STAFF)],
    "posters/all.zip": [Row(STAFF)],
    "posters/<slug:village_slug>.svg": [
        Row(DUC_AN_STAFF, kwargs=lambda w: {"village_slug": w.duc_an.thon_1.slug})
    ],
    "requests/": [
        Row(
            STAFF,
            shows=own_code(
                "operator",
                "secretary",
                "superuser",
                far=("other_secretary", "superuser"),
            ),
        )
    ],
    "requests/<str:code>/": [
        Row(DUC_AN_STAFF, kwargs=code("own"), scope="a request of Đức An"),
        Row(
            only("other_secretary", "superuser"),
            kwargs=code("other_commune"),
            scope="a request of Đắk Song",
        ),
    ],
    "privacy/subject/": [
        Row(SECRETARY),
        Row(
            SECRETARY,
            method="POST",
            data=lambda w: {"phone": w.own.resident_phone, "action": "json"},
            scope="export of a Đức An resident: only Đức An's data",
            shows=own_code("secretary", "superuser"),
            hides=lambda w: {"other_secretary": [w.own.code, LAN]},
            echoes=True,
        ),
    ],
    "requests/<str:code>/<slug:action>/": [
        Row(
            DUC_AN_STAFF,
            method="POST",
            kwargs=lambda w: {"code": w.offered.code, "action": "note"},
            data=lambda w: {"note-text": "đã gọi lại"},
            scope="operators and secretaries annotate their commune's requests",
        ),
        Row(
            DUC_AN_SECRETARY,
            method="POST",
            kwargs=lambda w: {"code": _spare(w).code, "action": "cancel"},
            data=lambda w: {"cancel-reason": "spam"},
            scope="secretaries cancel, merge, assign, close, reopen",
        ),
        Row(
            only("other_secretary", "superuser"),
            method="POST",
            kwargs=lambda w: {"code": w.other_commune.code, "action": "note"},
            data=lambda w: {"note-text": "x"},
            scope="another commune's request",
        ),
    ],
    "notices/": [Row(only("leader", "secretary", "other_secretary", "superuser"))],
    # --- scam response (leaders warn only where the commune allows: not here)
    "scams/": [
        Row(
            SECRETARY,
            scope="the commune's reports, the scammer masked",
            shows=own_code(
                "secretary", "superuser", far=("other_secretary", "superuser")
            ),
            hides=lambda w: {r: [_digits(SCAMMER)] for r in ROLES},
        )
    ],
    "scams/warnings/": [Row(SECRETARY)],
    "scams/settings/": [
        Row(only("secretary", "other_secretary"), scope="their own commune's only")
    ],
    "scams/requests/<str:code>/": [
        Row(
            only("volunteer", "secretary", "superuser"),
            kwargs=code("own"),
            scope="the assignee and Đức An's secretary; the scammer masked",
            hides=lambda w: {r: [_digits(SCAMMER)] for r in ROLES},
        ),
        Row(
            only("other_secretary", "superuser"),
            kwargs=code("other_commune"),
            scope="a report of Đắk Song",
        ),
    ],
    "scams/requests/<str:code>/refer/": [
        Row(
            only("volunteer", "secretary", "superuser"),
            method="POST",
            kwargs=code("own"),
            data=lambda w: {"consent": "on"},
            scope="one tap: referral, consent, SMS to the police",
        )
    ],
    "scams/referrals/<int:pk>/": [
        Row(
            only("volunteer", "secretary", "superuser"),
            kwargs=obj("referral"),
            scope="the printable sheet: the scammer in full, for the police",
            shows=lambda w: {
                r: [_digits(SCAMMER)] for r in ("volunteer", "secretary", "superuser")
            },
        )
    ],
    # --- outreach campaigns (issue 21): the secretary's pages, the volunteer's list
    "campaigns/": [
        Row(
            SECRETARY,
            shows=lambda w: {r: [CAMPAIGN_TITLE] for r in ("secretary", "superuser")},
            hides=lambda w: {"other_secretary": [CAMPAIGN_TITLE]},
        )
    ],
    "campaigns/new/": [Row(SECRETARY, scope="her own commune's villages")],
    "campaigns/<int:pk>/": [
        Row(DUC_AN_SECRETARY, kwargs=obj("campaign"), scope="a campaign of Đức An")
    ],
    "campaigns/<int:pk>/report/": [
        Row(DUC_AN_SECRETARY, kwargs=obj("campaign"), scope="a campaign of Đức An")
    ],
    "campaigns/<int:pk>/assign/": [
        Row(
            DUC_AN_SECRETARY,
            method="POST",
            kwargs=obj("campaign"),
            data=lambda w: {
                "team": w.duc_an.team_thon_1.pk,
                "villages": [w.duc_an.thon_1.pk],
            },
            scope="Thôn 1's households to its team again",
        )
    ],
    "v/campaigns/": [Row(VOLUNTEERS)],
    "v/campaigns/<int:pk>/": [
        Row(
            VOLUNTEERS,
            kwargs=obj("campaign"),
            scope="Tổ Thôn 1's households only (Thôn 5's are FORBIDDEN)",
            shows=lambda w: {r: [HOUSEHOLD_THON_1] for r in ("volunteer", "leader")},
        )
    ],
    "v/campaigns/<int:pk>/visits/": [
        Row(
            VOLUNTEERS,
            method="POST",
            kwargs=obj("campaign"),
            data=lambda w: {
                "household": w.objects["household"].pk,
                "client_id": "matrix-visit-2",
                "outcome": "done",
            },
        )
    ],
    "v/campaigns/<int:pk>/households/new/": [Row(VOLUNTEERS, kwargs=obj("campaign"))],
    "v/visits/<int:pk>/request/": [
        Row(only("volunteer"), kwargs=obj("visit"), scope="An's own visit")
    ],
    # --- volunteers
    "v/": [Row(VOLUNTEERS)],
    "v/team/": [Row(only("leader"))],
    "v/login/": [Row(PUBLIC)],
    "v/login/code/": [Row(every(NO), scope="no code asked for: back to v/login/")],
    "v/locks/": [Row(LOGGED_IN, scope="each sees only the locks they may lift")],
    "v/manifest.webmanifest": [Row(PUBLIC)],
    "v/sw.js": [Row(PUBLIC)],
    "board/": [Row(STAFF)],
    # --- dashboard and API
    # The office and team leaders see their commune's figures, ordinary volunteers
    # none; personal columns only for secretaries and admins
    # (tests/dispatch/privacy/test_privacy.py and the dashboard's own tests).
    "dashboard/": [Row(DASHBOARD)],
    "dashboard/report/<int:year>/<int:month>/": [
        Row(DASHBOARD, kwargs=lambda w: {"year": 2026, "month": 1})
    ],
    "dashboard/export.csv": [
        Row(
            DASHBOARD,
            scope="no personal columns unless allowed",
            shows=lambda w: {
                r: [digits(w.own.resident_phone)] for r in ("secretary", "superuser")
            },
            hides=lambda w: {
                r: [digits(w.own.resident_phone)] for r in ("operator", "leader")
            },
        )
    ],
    "dashboard/export.xlsx": [
        Row(DASHBOARD, scope="no personal columns unless allowed")
    ],
    "api/v1/": [Row(STAFF)],
    "api/v1/openapi.json": [Row(PUBLIC)],
    "api/v1/requests": [
        Row(
            STAFF,
            scope="the superuser's API commune is the first (Đức An)",
            shows=own_code(
                "operator", "secretary", "superuser", far=("other_secretary",)
            ),
        )
    ],
    "api/v1/requests/<str:code>": [
        Row(DUC_AN_STAFF, kwargs=code("own"), scope="a request of Đức An"),
        Row(
            only("other_secretary"),
            kwargs=code("other_commune"),
            scope="a request of Đắk Song (the superuser's API commune is the first)",
        ),
    ],
    "api/v1/teams": [Row(STAFF)],
    "api/v1/kpis": [Row(STAFF)],
}


# --- WebSocket: (route, action) → rows -------------------------------------------------
def _offer_id(w: World) -> dict[str, Any]:
    return {"offer_id": open_offer_of(w.offered).pk}


def _other_offer_id(w: World) -> dict[str, Any]:
    return {"offer_id": open_offer_of(w.offered_too).pk}


WS_MATRIX: dict[tuple[str, str], list[Row]] = {
    ("ws/volunteer/", "connect"): [
        Row(
            VOLUNTEERS,
            shows=lambda w: {
                r: [digits(w.own.resident_phone)] for r in ("volunteer", "leader")
            },
        )
    ],
    ("ws/volunteer/", "resume"): [Row(VOLUNTEERS, data=lambda w: {"event_id": 0})],
    ("ws/volunteer/", "ping"): [Row(VOLUNTEERS)],
    ("ws/volunteer/", "accept"): [
        Row(VOLUNTEERS, data=_offer_id, scope="an open offer to the own team")
    ],
    ("ws/volunteer/", "decline"): [
        Row(VOLUNTEERS, data=_other_offer_id, scope="an open offer to the own team")
    ],
    ("ws/volunteer/", "start"): [
        Row(only("volunteer"), data=lambda w: {"request_id": w.own.pk}, scope="own"),
        Row(every(NO), data=lambda w: {"request_id": w.other_team.pk}, scope="other"),
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_commune.pk},
            scope="another commune's request",
        ),
    ],
    ("ws/volunteer/", "resolve"): [
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_team.pk, "outcome": "solved_remote"},
            scope="another team's request",
        ),
        Row(
            every(NO),
            data=lambda w: {
                "request_id": w.other_commune.pk,
                "outcome": "solved_remote",
            },
            scope="another commune's request",
        ),
    ],
    ("ws/volunteer/", "note"): [
        Row(VOLUNTEERS, data=lambda w: {"request_id": w.own.pk, "text": "đã gọi"}),
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_team.pk, "text": "x"},
            scope="another team's request",
        ),
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_commune.pk, "text": "x"},
            scope="another commune's request",
        ),
    ],
    ("ws/volunteer/", "duty"): [Row(VOLUNTEERS, data=lambda w: {"on_duty": True})],
    ("ws/volunteer/", "guide"): [
        Row(VOLUNTEERS, data=lambda w: {"request_id": w.own.pk, **_guide_slug(w)}),
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_team.pk, **_guide_slug(w)},
            scope="another team's request",
        ),
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_commune.pk, **_guide_slug(w)},
            scope="another commune's request",
        ),
    ],
    ("ws/volunteer/", "visit"): [
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_team.pk, "at": "2099-01-05T09:00"},
            scope="another team's request",
        )
    ],
    ("ws/board/", "connect"): [
        Row(
            STAFF,
            shows=own_code(
                "operator", "secretary", "superuser", far=("other_secretary",)
            ),
        ),
        Row(
            STAFF,
            query=lambda w: f"?commune={w.far.pk}",
            scope="asking for Đắk Song's board: only the superuser gets it",
            shows=own_code(
                "operator", "secretary", far=("other_secretary", "superuser")
            ),
        ),
    ],
    ("ws/board/", "picks"): [
        Row(
            DUC_AN_SECRETARY,
            data=lambda w: {"request_id": w.offered.pk, "q": ""},
            scope="the assign picker of a Đức An request",
        ),
        Row(
            only("other_secretary"),
            data=lambda w: {"request_id": w.other_commune.pk},
            scope="Đắk Song's request, from each one's own board",
        ),
    ],
    ("ws/board/", "assign"): [
        Row(
            DUC_AN_SECRETARY,
            data=lambda w: {
                "request_id": w.teams.pk,
                "team_id": w.duc_an.team_thon_5.pk,
            },
        ),
        Row(
            every(NO),
            data=lambda w: {
                "request_id": w.other_commune.pk,
                "team_id": w.duc_an.team_thon_5.pk,
            },
            scope="another commune's request to a Đức An team",
        ),
    ],
    ("ws/board/", "edit"): [
        Row(
            DUC_AN_STAFF,
            data=lambda w: {"request_id": w.offered.pk, "priority": 2},
            scope="operators and secretaries correct their commune's requests",
        ),
        Row(
            only("other_secretary"),
            data=lambda w: {"request_id": w.other_commune.pk, "priority": 2},
            scope="Đắk Song's request: its own office corrects it",
        ),
    ],
    ("ws/board/", "note"): [
        Row(
            DUC_AN_STAFF,
            data=lambda w: {"request_id": w.offered.pk, "text": "đã gọi lại"},
        ),
        Row(
            only("other_secretary"),
            data=lambda w: {"request_id": w.other_commune.pk, "text": "x"},
            scope="Đắk Song's request: its own office annotates it",
        ),
    ],
    ("ws/board/", "cancel"): [
        Row(
            DUC_AN_SECRETARY,
            data=lambda w: {"request_id": _made(w, "cancel").pk, "reason": "spam"},
        ),
        Row(
            only("other_secretary"),
            data=lambda w: {"request_id": _far(w, "cancel").pk, "reason": "spam"},
            scope="a Đắk Song request, from each one's own board",
        ),
    ],
    ("ws/board/", "merge"): [
        Row(
            DUC_AN_SECRETARY,
            data=lambda w: {
                "request_id": _made(w, "keep").pk,
                "duplicate": _made(w, "duplicate").code,
            },
            scope="two requests from one phone",
        ),
        Row(
            every(NO),
            data=lambda w: {
                "request_id": w.offered.pk,
                "duplicate": w.other_commune.code,
            },
            scope="another commune's request as the duplicate",
        ),
    ],
    ("ws/board/", "resolve"): [
        Row(
            DUC_AN_SECRETARY,
            data=lambda w: {
                "request_id": _made(w, "resolve").pk,
                "outcome": "unsolved",
            },
        ),
        Row(
            only("other_secretary"),
            data=lambda w: {"request_id": _far(w, "resolve").pk, "outcome": "unsolved"},
            scope="a Đắk Song request, from each one's own board",
        ),
    ],
    ("ws/board/", "reopen"): [
        Row(
            DUC_AN_SECRETARY,
            data=lambda w: {"code": _resolved(w).code, "reason": "chưa xong"},
            scope="a resolved Đức An request, by its code",
        ),
        Row(
            every(NO),
            data=lambda w: {"code": w.other_commune.code, "reason": "x"},
            scope="Đắk Song's request (still open: nothing to reopen anywhere)",
        ),
    ],
    ("ws/board/", "place"): [
        Row(
            DUC_AN_STAFF,
            data=lambda w: {
                "request_id": w.offered.pk,
                "village_id": w.duc_an.thon_1.pk,
            },
            scope="triage: the request's own village (nothing moves)",
        )
    ],
    ("ws/board/", "escalate"): [
        Row(
            DUC_AN_SECRETARY,
            data=lambda w: {"request_id": w.offered.pk, "reason": "gấp"},
        ),
        Row(
            only("other_secretary"),
            data=lambda w: {"request_id": w.other_commune.pk, "reason": "gấp"},
            scope="Đắk Song's request, from each one's own board",
        ),
    ],
}


def _routes(patterns, prefix: str = "") -> list[str]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern) == "admin/":
                found.append(prefix + "admin/")  # Django's own site: one row
                continue
            found += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append(prefix + str(p.pattern))
    return found


def _ws_actions() -> list[tuple[str, str]]:
    found = []
    for route in websocket_urlpatterns:
        consumer = route.callback.consumer_class
        bare = consumer()
        actions = ["connect", *consumer.builtin_actions, *bare.action_handlers()]
        found += [(str(route.pattern), action) for action in actions]
    return found


def test_every_url_and_websocket_action_has_a_matrix_entry():
    routes = _routes(get_resolver().url_patterns)
    assert sorted(set(routes) - set(URL_MATRIX)) == [], "views without a matrix row"
    assert sorted(set(URL_MATRIX) - set(routes)) == [], "rows for views that are gone"
    actions = _ws_actions()
    assert sorted(set(actions) - set(WS_MATRIX)) == [], "WS actions without a row"
    assert sorted(set(WS_MATRIX) - set(actions)) == [], "rows for actions that are gone"


# --- the world -------------------------------------------------------------------------


def _assign(request: HelpRequest, volunteer: Volunteer, secretary_user) -> HelpRequest:
    return lifecycle.reassign_request(
        request=request, user=secretary_user, volunteer=volunteer
    )


def _inbound_without_requests(far: Commune, own: HelpRequest) -> None:
    """Stored SMS that never became requests: one to Đắk Song's hotline that failed for
    good (its office's to see and retry), and two to a number no commune has (the
    administrators' triage: no commune's office sees them)."""
    failed, _ = store_inbound(
        provider=InboundMessage.Provider.TWILIO_SMS,
        provider_id="SM-far-failed",
        from_number=FAR_PHONE,
        to_number=far.hotline_numbers[0],
        body="Cần giúp",
        payload={},
    )
    assert failed.commune == far
    InboundMessage.objects.filter(pk=failed.pk).update(
        last_error="RuntimeError", gave_up_at=timezone.now()
    )
    for n, phone in enumerate((FAR_PHONE, own.resident_phone)):
        unrouted, _ = store_inbound(
            provider=InboundMessage.Provider.TWILIO_SMS,
            provider_id=f"SM-unrouted-{n}",
            from_number=phone,
            to_number="+842633999111",
            body="Cần giúp",
            payload={},
        )
        assert unrouted.commune is None


def build_world(duc_an: DucAn) -> World:
    from training import quiz, services
    from training.catalogue import seed_catalogue
    from training.models import Certificate, Topic, Workshop

    seed_catalogue()  # a transactional test starts from tables flushed of seed data

    cache.clear()  # rate-limit counters of earlier tests must not answer for a role
    secretary_user = duc_an.secretary.user
    leader = Volunteer.objects.create(
        user=make_user("truongto"),
        team=duc_an.team_thon_1,
        full_name="Hoàng Văn Trưởng",
        phone="+84912000050",
        role=Volunteer.Role.LEADER,
        on_duty=False,
    )
    # Not the form's example number (0912 345 678), so a marker is only a leak.
    own = _assign(
        submit_for_lan(duc_an, resident_phone="0912345679"), duc_an.an, secretary_user
    )
    helper = Volunteer.objects.create(
        user=make_user("phu"),
        team=duc_an.team_thon_1,
        full_name="Lý Văn Phú",
        phone="+84912000051",
        on_duty=False,
    )
    teams = _assign(
        submit_for_lan(duc_an, resident_phone="0912345671"), helper, secretary_user
    )
    other_team = _assign(
        submit_for_lan(duc_an, resident_phone="0912345672"), duc_an.binh, secretary_user
    )
    offered = submit_for_lan(duc_an, resident_phone="0912345673")
    offered_too = submit_for_lan(duc_an, resident_phone="0912345675")
    assert open_offer_of(offered).team == duc_an.team_thon_1
    assert open_offer_of(offered_too).team == duc_an.team_thon_1
    # A second real commune with its own office, team and a marker resident.
    far = Commune.objects.create(
        name="Đắk Song", code="DS", lat=12.2, lng=107.5, hotline_numbers=["+842633000"]
    )
    far_village = Village.objects.create(
        commune=far, name="Thôn Thuận Hòa", kind=Village.Kind.THON, number=3,
        lat=12.2, lng=107.5,
    )  # fmt: skip
    far_team = make_team(far, "Tổ Thuận Hòa", 12.2, 107.5, [far_village])
    make_volunteer(far_team, "xakhac", "Đinh Văn Xa", "+84912000090")
    far_secretary = StaffMember.objects.create(
        user=make_user("thukyxakhac"),
        commune=far,
        role=StaffMember.Role.SECRETARY,
        phone="+84912000190",
    )
    grant_office_role(member=far_secretary)
    other_commune = lifecycle.submit_request(
        commune=far,
        channel="web",
        category="vneid",
        resident_name=FAR_NAME,
        resident_phone=FAR_PHONE,
        description="Cần giúp kích hoạt VNeID",
        village=far_village,
        consent=True,
    )
    _inbound_without_requests(far, own)
    admin = get_user_model().objects.create_superuser(
        "quantri", password="mat-khau-thu-nghiem"
    )
    nocommune = make_user("nocommune", is_staff=True)
    now = timezone.now()
    workshop = Workshop.objects.create(
        commune=duc_an.commune,
        title="Nhận diện lừa đảo",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        village=duc_an.thon_1,
        trainer=secretary_user,
        capacity=10,
    )
    scam = Topic.objects.get(key="scam")
    workshop.topics.add(scam)
    enrolment = services.enrol_volunteer(workshop=workshop, volunteer=duc_an.an)
    certificate = Certificate.objects.create(
        volunteer=duc_an.an,
        topic=scam,
        issued_at=now,
        expires_at=now + dt.timedelta(days=365),
    )
    attempt = quiz.start_quiz(volunteer=duc_an.an, topic=scam)
    # Scam response: Đức An's police contact, a report and a referral on An's request,
    # and a report on Đắk Song's (scammer markers searched like residents' phones).
    scam_services.save_settings(commune=duc_an.commune, police_phone="+84263000113")
    scam_services.save_settings(commune=far, police_phone="+84263000114")
    own_report = scam_services.record_scam(
        request=own, pattern=None, scammer_contact=SCAMMER, user=secretary_user
    )
    referral = scam_services.refer_to_police(
        report=own_report, consent_given=True, user=secretary_user
    )
    scam_services.record_scam(
        request=other_commune, pattern=None, scammer_contact=FAR_SCAMMER, user=admin
    )
    households = {h.code: h for h in register_households(duc_an)}
    campaign = vneid_campaign(duc_an)
    visit, _created = outreach.record_visit(
        campaign=campaign,
        household=households["1-1"],
        volunteer=duc_an.an,
        outcome="follow_up",
        client_id="matrix-visit-1",
    )
    users = {
        "anonymous": None,
        "volunteer": duc_an.an.user,
        "leader": leader.user,
        "operator": duc_an.operator.user,
        "secretary": secretary_user,
        "other_secretary": far_secretary.user,
        "nocommune": nocommune,
        "superuser": admin,
    }
    objects = {
        "workshop": workshop,
        "enrolment": enrolment,
        "certificate": certificate,
        "attempt": attempt,
        "token": services.checkin_token(workshop=workshop),
        "referral": referral,
        "campaign": campaign,
        "household": households["1-1"],
        "visit": visit,
    }
    return World(
        duc_an,
        users,
        own,
        teams,
        other_team,
        offered,
        offered_too,
        other_commune,
        objects,
        far,
    )


# --- what each role must never receive -------------------------------------------------

FAR_PHONE = "0987 654 321"  # the marker resident of Đắk Song
SCAMMER = "0866 111 222"  # told to Đức An's team; shown in full only on the referral
FAR_SCAMMER = "0866 333 444"  # told to Đắk Song's team
FAR_NAME = "Bà Hồ Thị Mận"
LAN = "Nguyễn Thị Lan"  # every Đức An request of the world is Bà Lan's family's
# The household register of Đức An (tests/personas.py): Thôn 1 is Tổ Thôn 1's.
HOUSEHOLD_THON_1 = "Ông Đinh Văn Tư"
HOUSEHOLD_THON_5 = "Ông Ka Sô Liêng"
HOUSEHOLD_PHONES = ("977100004", "977100008")


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-9:]


def forbidden(world: World, role: str) -> dict[str, str]:
    """Marker → what it is, for everything `role` must not see anywhere."""
    far = {
        _digits(FAR_PHONE): "Đắk Song resident's phone",
        FAR_NAME: "Đắk Song resident's name",
        world.other_commune.code: "Đắk Song request's code",
        _digits(FAR_SCAMMER): "Đắk Song scammer's number",
        "Đinh Văn Xa": "Đắk Song volunteer",
    }
    phones = {
        name: _digits(getattr(world, name).resident_phone)
        for name in ("own", "teams", "other_team", "offered", "offered_too")
    }
    phones["busy"] = "987000999"  # K'Dung's earlier request (conftest)
    duc_an = {digits: f"Đức An resident's phone ({n})" for n, digits in phones.items()}
    duc_an[LAN] = "Đức An resident's name"
    register = {
        HOUSEHOLD_THON_1: "Đức An household (Thôn 1)",
        HOUSEHOLD_THON_5: "Đức An household (Thôn 5)",
        **{d: "Đức An household's phone" for d in HOUSEHOLD_PHONES},
    }
    duc_an.update(register)
    thon_5 = {HOUSEHOLD_THON_5: "a household of another team", "977100008": "its phone"}

    def but(*allowed: str) -> dict[str, str]:
        return {d: f"Đức An {n}'s phone" for n, d in phones.items() if n not in allowed}

    return {
        "anonymous": {**far, **duc_an},
        # The accept row gives each of them the offered request: theirs from then on.
        "volunteer": {**far, **but("own", "offered"), **thon_5},
        "leader": {**far, **but("own", "teams", "offered"), **thon_5},
        "operator": {**far, **register},
        "secretary": far,
        "other_secretary": duc_an,
        "nocommune": {**far, **duc_an},
        "superuser": {},
    }[role]


def _texts(response) -> str:
    """What a response shows, unpacked (XLSX and ZIP bodies are zip archives)."""
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", errors="replace")


def leaks(text: str, markers: dict[str, str]) -> list[str]:
    """The markers found in `text`: phones whatever their spacing, names as JSON too."""
    flat = "".join(ch for ch in text if ch not in " .-\u00a0")
    found = []
    for marker, what in markers.items():
        forms = {marker, json.dumps(marker)[1:-1], html.escape(marker)}
        if any(form in text for form in forms) or (marker.isdigit() and marker in flat):
            found.append(what)
    return found


def content_faults(
    world: World, role: str, row: Row, text: str, markers: dict[str, str]
) -> list[str]:
    """What is wrong with what `role` was shown: a forbidden marker, or a missing one."""
    faults = [] if row.echoes else [f"shows {m}" for m in leaks(text, markers)]
    for marker in row.hides(world).get(role, []):
        if leaks(text, {marker: marker}):
            faults.append(f"shows {marker}")
    for marker in row.shows(world).get(role, []):
        if not leaks(text, {marker: marker}):
            faults.append(f"does not show {marker}")
    return faults


# --- running a row ---------------------------------------------------------------------


def http_outcome(response) -> str:
    if response.status_code in (400, 401, 403, 404, 405, 429):
        return NO
    if response.status_code in (301, 302, 303):
        target = response.headers.get("Location", "")
        return NO if "/login/" in target else OK
    return OK if response.status_code < 400 else f"error {response.status_code}"


def _client(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def run_url(world: World, role: str, route: str, row: Row) -> tuple[str, str]:
    path = "/" + route
    for key, value in row.kwargs(world).items():
        for converter in ("int", "str", "slug", ""):
            token = f"<{converter}:{key}>" if converter else f"<{key}>"
            path = path.replace(token, str(value))
    client = _client(world, role)
    send = client.post if row.method == "POST" else client.get
    response = send(path, row.data(world))
    return http_outcome(response), _texts(response)


class _AsUser:
    def __init__(self, app, user):
        self.app, self.user = app, user

    async def __call__(self, scope, receive, send):
        from django.contrib.auth.models import AnonymousUser

        user = self.user or AnonymousUser()
        return await self.app({**scope, "user": user}, receive, send)


async def _ws_run(
    user: Any, route: str, action: str, payload: dict[str, Any], query: str = ""
) -> tuple[str, str]:
    """The outcome of one socket action, and every frame received (as text)."""
    app = _AsUser(URLRouter(websocket_urlpatterns), user)
    communicator = WebsocketCommunicator(app, "/" + route + query)
    connected, _ = await communicator.connect()
    frames: list[str] = []
    try:
        if not connected:
            return NO, ""
        first = await communicator.receive_output(timeout=5)
        if first["type"] == "websocket.close":
            return NO, ""
        frames.append(first.get("text") or "")
        if action == "connect":
            return OK, "\n".join(frames)
        await communicator.send_json_to({"action": action, "ref": 1, **payload})
        while True:
            message = await communicator.receive_json_from(timeout=5)
            frames.append(json.dumps(message, ensure_ascii=False))
            if message.get("type") == "error":
                return NO, "\n".join(frames)
            if message.get("type") in ("result", "pong") or (
                action == "resume" and message.get("event_id") is not None
            ):
                return OK, "\n".join(frames)
    finally:
        await communicator.disconnect()


async def _ws(user: Any, route: str, action: str, payload: dict[str, Any]) -> str:
    outcome, _frames = await _ws_run(user, route, action, payload)
    return outcome


def admin_changelists() -> list[str]:
    from django.contrib import admin
    from django.urls import reverse

    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(role, request, settings):
    """Every row of both matrices, for one role: what it gets is what the row says,
    and nothing it gets (page, export, API, socket frame, admin list) holds a marker of a
    scope it must not see."""
    settings.SMS_BACKEND = "console"
    world = build_world(request.getfixturevalue("duc_an"))
    markers = forbidden(world, role)
    wrong = []
    for route, rows in URL_MATRIX.items():
        for row in rows:
            got, text = run_url(world, role, route, row)
            if got != row.expect[role]:
                wrong.append(f"{row.method} /{route} [{row.scope}]: {got}")
            wrong += [
                f"{row.method} /{route} [{row.scope}] {m}"
                for m in content_faults(world, role, row, text, markers)
            ]
    for (route, action), rows in WS_MATRIX.items():
        for row in rows:
            got, text = async_to_sync(_ws_run)(
                world.users[role], route, action, row.data(world), row.query(world)
            )
            if got != row.expect[role]:
                wrong.append(f"WS /{route} {action} [{row.scope}]: {got}")
            wrong += [
                f"WS /{route} {action} [{row.scope}] {m}"
                for m in content_faults(world, role, row, text, markers)
            ]
    client = _client(world, role)
    for url in admin_changelists():
        text = _texts(client.get(url))
        wrong += [f"GET {url} shows {m}" for m in leaks(text, markers)]
    assert wrong == [], f"{role} got other than the matrix says:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_a_volunteer_sees_phone_and_point_only_for_their_own_assignments(request):
    """Object scope inside the payloads: the hello snapshot of each volunteer."""
    from dispatch.live import screens

    duc_an = request.getfixturevalue("duc_an")
    world = build_world(duc_an)
    leader = Volunteer.objects.get(user=world.users["leader"])

    def phones(volunteer: Volunteer) -> set[str]:
        state = screens.volunteer_state(volunteer)
        offers = [o for o in state["offers"] if "resident_phone" in o or "lat" in o]
        assert offers == []  # offers never carry who or where
        return {a["resident_phone"] for a in state["assignments"]}

    assert phones(duc_an.an) == {world.own.resident_phone}
    assert phones(leader) == {world.own.resident_phone, world.teams.resident_phone}
    assert world.other_team.resident_phone not in phones(leader)
    assert phones(duc_an.binh) == {world.other_team.resident_phone}
    assert phones(duc_an.y_dam) == set()
    assert StaffMember.objects.count() == 3  # Đức An's two, Đắk Song's secretary
