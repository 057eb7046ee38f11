"""The permission matrix: every role × every URL and WebSocket action × object scope.

Roles: anonymous resident, volunteer, team leader, operator, secretary, administrator.
The URL list comes from Django's resolver and the action list from the consumers
themselves, so a new view or action without a row here FAILS
`test_every_url_and_websocket_action_has_a_matrix_entry`. Each row says, per role, what
that role must get: "ok" (the page or the action works) or "no" (a login redirect, 401,
403 or 404: nothing shown). Rows with object scope name the object they use: the
volunteer's own assignment, another team's request, another commune's request…

`test_the_permission_matrix[role]` runs every row for one role (the world is built once
per role; one test per row would rebuild it 600 times).
"""

from __future__ import annotations

import datetime as dt
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
from dispatch.live.routes import websocket_urlpatterns
from dispatch.models import HelpRequest
from teams.models import StaffMember, Volunteer
from tests.personas import (
    PHU,
    TRUONG,
    DucAn,
    nam_binh_commune,
    open_offer_of,
    submit_for_lan,
)

ROLES = ("anonymous", "volunteer", "leader", "operator", "secretary", "admin")
OK, NO = "ok", "no"


def every(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def only(*roles: str) -> dict[str, str]:
    return {role: OK if role in roles else NO for role in ROLES}


PUBLIC = every(OK)
LOGGED_IN = only("volunteer", "leader", "operator", "secretary", "admin")
VOLUNTEERS = only("volunteer", "leader")
STAFF = only("operator", "secretary", "admin")
SECRETARY = only("secretary", "admin")
DASHBOARD = only("leader", "operator", "secretary", "admin")
ADMIN = only("admin")
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


@dataclass
class Row:
    """One URL (or WS action) with one object scope."""

    expect: dict[str, str]
    method: str = "GET"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    scope: str = ""


def code(attr: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"code": getattr(w, attr).code}


def obj(name: str, key: str = "pk") -> Callable[[World], dict[str, Any]]:
    return lambda w: {key: w.objects[name].pk}


def _spare(w: World) -> HelpRequest:
    """A request of the commune that a row may cancel (made on first use)."""
    if "spare" not in w.objects:
        w.objects["spare"] = submit_for_lan(w.duc_an, resident_phone="0912345679")
    return w.objects["spare"]


# --- HTTP: route (as the resolver prints it) → rows -------------------------------------
URL_MATRIX: dict[str, list[Row]] = {
    "healthz": [Row(PUBLIC)],
    "metrics": [
        Row(PUBLIC, scope="from METRICS_ALLOWED_IPS (the test client's 127.0.0.1)")
    ],
    "admin/": [
        Row(STAFF, scope="Django admin: office staff (their role's group) and admins")
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
    "training/workshops/<int:pk>/": [Row(STAFF, kwargs=obj("workshop"))],
    "training/workshops/<int:pk>/enrol/": [
        Row(
            SECRETARY,
            method="POST",
            kwargs=obj("workshop"),
            scope="an empty form: back to the workshop with an error",
        )
    ],
    "training/workshops/<int:pk>/qr/": [Row(SECRETARY, kwargs=obj("workshop"))],
    "training/workshops/<int:pk>/qr/fragment/": [
        Row(SECRETARY, kwargs=obj("workshop"))
    ],
    "training/workshops/<int:pk>/checklist/": [Row(STAFF, kwargs=obj("workshop"))],
    "training/workshops/<int:pk>/checklist/<int:volunteer_pk>/": [
        Row(
            STAFF,
            kwargs=lambda w: {
                "pk": w.objects["workshop"].pk,
                "volunteer_pk": w.duc_an.an.pk,
            },
        )
    ],
    "training/enrolments/<int:pk>/<str:action>/": [
        Row(
            SECRETARY,
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
            only("volunteer", "operator", "secretary", "admin"),
            kwargs=lambda w: {"code": w.objects["certificate"].code},
            scope="An's certificate: An and the office",
        )
    ],
    "training/certificates/<str:code>/revoke/": [
        Row(
            SECRETARY,
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
    "hooks/twilio/voice/category": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/village": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/village-done": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/consent": [Row(HOOK, method="POST")],
    "hooks/twilio/voice/done": [Row(HOOK, method="POST")],
    "hooks/smsgate": [Row(HOOK, method="POST")],
    # --- residents
    "help/": [Row(PUBLIC)],
    "help/<slug:village_slug>/": [
        Row(PUBLIC, kwargs=lambda w: {"village_slug": w.duc_an.thon_1.slug})
    ],
    "track/": [Row(PUBLIC)],
    "track/<str:code>": [Row(PUBLIC, kwargs=code("own"), scope="no personal data")],
    "api/v1/track/<str:code>": [Row(PUBLIC, kwargs=code("own"))],
    # --- office
    "operator/": [Row(STAFF)],
    "posters/": [Row(STAFF)],
    "posters/all.zip": [Row(STAFF)],
    "posters/<slug:village_slug>.svg": [
        Row(STAFF, kwargs=lambda w: {"village_slug": w.duc_an.thon_1.slug})
    ],
    "requests/": [Row(STAFF)],
    "requests/<str:code>/": [
        Row(STAFF, kwargs=code("own"), scope="a request of the staff's commune"),
        Row(ADMIN, kwargs=code("other_commune"), scope="another commune's request"),
    ],
    "requests/<str:code>/<slug:action>/": [
        Row(
            STAFF,
            method="POST",
            kwargs=lambda w: {"code": w.offered.code, "action": "note"},
            data=lambda w: {"note-text": "đã gọi lại"},
            scope="operators and secretaries annotate their commune's requests",
        ),
        Row(
            SECRETARY,
            method="POST",
            kwargs=lambda w: {"code": _spare(w).code, "action": "cancel"},
            data=lambda w: {"cancel-reason": "spam"},
            scope="secretaries cancel, merge, assign, close, reopen",
        ),
        Row(
            ADMIN,
            method="POST",
            kwargs=lambda w: {"code": w.other_commune.code, "action": "note"},
            data=lambda w: {"note-text": "x"},
            scope="another commune's request",
        ),
    ],
    "notices/": [Row(only("leader", "secretary", "admin"))],
    "privacy/subject/": [Row(SECRETARY)],
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
        Row(DASHBOARD, scope="no personal columns unless allowed")
    ],
    "dashboard/export.xlsx": [
        Row(DASHBOARD, scope="no personal columns unless allowed")
    ],
    "api/v1/": [Row(STAFF)],
    "api/v1/openapi.json": [Row(PUBLIC)],
    "api/v1/requests": [Row(STAFF)],
    "api/v1/requests/<str:code>": [
        Row(STAFF, kwargs=code("own")),
        Row(every(NO), kwargs=code("other_commune"), scope="other commune"),
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
    ("ws/volunteer/", "connect"): [Row(VOLUNTEERS)],
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
    ],
    ("ws/volunteer/", "resolve"): [
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_team.pk, "outcome": "solved_remote"},
            scope="another team's request",
        )
    ],
    ("ws/volunteer/", "note"): [
        Row(VOLUNTEERS, data=lambda w: {"request_id": w.own.pk, "text": "đã gọi"}),
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_team.pk, "text": "x"},
            scope="another team's request",
        ),
    ],
    ("ws/volunteer/", "duty"): [Row(VOLUNTEERS, data=lambda w: {"on_duty": True})],
    ("ws/volunteer/", "visit"): [
        Row(
            every(NO),
            data=lambda w: {"request_id": w.other_team.pk, "at": "2099-01-05T09:00"},
            scope="another team's request",
        )
    ],
    ("ws/board/", "connect"): [Row(STAFF)],
    ("ws/board/", "reassign"): [
        Row(
            SECRETARY,
            data=lambda w: {
                "request_id": w.teams.pk,
                "team_id": w.duc_an.team_thon_5.pk,
            },
        )
    ],
    ("ws/board/", "place"): [
        Row(
            STAFF,
            data=lambda w: {
                "request_id": w.offered.pk,
                "village_id": w.duc_an.thon_1.pk,
            },
            scope="triage: the request's own village (nothing moves)",
        )
    ],
    ("ws/board/", "escalate"): [
        Row(SECRETARY, data=lambda w: {"request_id": w.offered.pk, "reason": "gấp"})
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


def build_world(duc_an: DucAn) -> World:
    from training import quiz, services
    from training.catalogue import seed_catalogue
    from training.models import Certificate, Topic, Workshop

    seed_catalogue()  # a transactional test starts from tables flushed of seed data

    cache.clear()  # rate-limit counters of earlier tests must not answer for a role
    secretary_user = duc_an.secretary.user
    leader = TRUONG.join(duc_an.team_thon_1)
    own = _assign(submit_for_lan(duc_an), duc_an.an, secretary_user)
    helper = PHU.join(duc_an.team_thon_1)
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
    # A sample commune, so the public form keeps serving Đức An.
    far = nam_binh_commune(is_sample=True)
    other_commune = lifecycle.create_request(
        commune=far, channel="web", category="vneid", resident_phone="0912345674"
    )
    admin = get_user_model().objects.create_superuser(
        "quantri", password="mat-khau-thu-nghiem"
    )
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
    users = {
        "anonymous": None,
        "volunteer": duc_an.an.user,
        "leader": leader.user,
        "operator": duc_an.operator.user,
        "secretary": secretary_user,
        "admin": admin,
    }
    objects = {
        "workshop": workshop,
        "enrolment": enrolment,
        "certificate": certificate,
        "attempt": attempt,
        "token": services.checkin_token(workshop=workshop),
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
    )


# --- running a row ---------------------------------------------------------------------


def http_outcome(response) -> str:
    if response.status_code in (400, 401, 403, 404, 405, 429):
        return NO
    if response.status_code in (301, 302, 303):
        target = response.headers.get("Location", "")
        return NO if "/login/" in target else OK
    return OK if response.status_code < 400 else f"error {response.status_code}"


def run_url(world: World, role: str, route: str, row: Row) -> str:
    path = "/" + route
    for key, value in row.kwargs(world).items():
        for converter in ("int", "str", "slug", ""):
            token = f"<{converter}:{key}>" if converter else f"<{key}>"
            path = path.replace(token, str(value))
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    send = client.post if row.method == "POST" else client.get
    return http_outcome(send(path, row.data(world)))


class _AsUser:
    def __init__(self, app, user):
        self.app, self.user = app, user

    async def __call__(self, scope, receive, send):
        from django.contrib.auth.models import AnonymousUser

        user = self.user or AnonymousUser()
        return await self.app({**scope, "user": user}, receive, send)


async def _ws(user: Any, route: str, action: str, payload: dict[str, Any]) -> str:
    app = _AsUser(URLRouter(websocket_urlpatterns), user)
    communicator = WebsocketCommunicator(app, "/" + route)
    connected, _ = await communicator.connect()
    try:
        if not connected:
            return NO
        first = await communicator.receive_output(timeout=5)
        if first["type"] == "websocket.close":
            return NO
        if action == "connect":
            return OK
        await communicator.send_json_to({"action": action, "ref": 1, **payload})
        while True:
            message = await communicator.receive_json_from(timeout=5)
            if message.get("type") == "error":
                return NO
            if message.get("type") in ("result", "pong") or (
                action == "resume" and message.get("event_id") is not None
            ):
                return OK
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(role, request, settings):
    """Every row of both matrices, for one role: what it gets is what the row says."""
    settings.SMS_BACKEND = "console"
    world = build_world(request.getfixturevalue("duc_an"))
    wrong = []
    for route, rows in URL_MATRIX.items():
        for row in rows:
            got = run_url(world, role, route, row)
            if got != row.expect[role]:
                wrong.append(f"{row.method} /{route} [{row.scope}]: {got}")
    for (route, action), rows in WS_MATRIX.items():
        for row in rows:
            payload = row.data(world)
            got = async_to_sync(_ws)(world.users[role], route, action, payload)
            if got != row.expect[role]:
                wrong.append(f"WS /{route} {action} [{row.scope}]: {got}")
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
    assert StaffMember.objects.count() == 2
