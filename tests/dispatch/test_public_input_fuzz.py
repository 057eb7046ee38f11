"""Property tests for every public input: voice parameters, the help form, tracking
codes and WebSocket messages. Whatever arrives: no server error, and the stored state
still obeys its rules (SMS bodies: tests/dispatch/webhooks/test_webhook_fuzz.py)."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch.models import (
    OPEN_STATUSES,
    EventKind,
    HelpRequest,
    Offer,
    Status,
)
from tests.dispatch.providers import fixture, post_twilio

COUNTER = itertools.count()
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
# Keypad input as Twilio sends it, and anything else a forged-but-signed call could.
DIGITS = st.one_of(st.text(alphabet="0123456789*#", max_size=12), TEXT)
VOICE_STEPS = st.sampled_from(
    ["", "open", "menu", "category", "village", "village-done", "consent", "done"]
)


def assert_consistent() -> None:
    """The invariants every request keeps, whatever input made it."""
    for request in HelpRequest.objects.all():
        assert request.status in Status.values
        assert request.code and request.events.filter(kind=EventKind.CREATED).exists()
        open_offers = Offer.objects.filter(request=request, state=Offer.State.OPEN)
        assert open_offers.count() <= 1
        if open_offers.exists():
            assert request.status in (Status.ROUTED, Status.ESCALATED)
        if request.status in (Status.ACCEPTED, Status.IN_PROGRESS):
            assert request.assigned_volunteer_id is not None
        if request.status not in OPEN_STATUSES:
            assert not open_offers.exists()


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    settings.SMS_INTAKE_LIMIT_PER_HOUR = 10_000
    settings.HELP_FORM_LIMIT_PER_IP = 10_000
    settings.HELP_FORM_LIMIT_PER_PHONE = 10_000
    settings.DISPATCH_TRACK_RATE_LIMIT = 10_000
    cache.clear()


@pytest.mark.django_db
@FUZZ
@given(
    step=VOICE_STEPS,
    digits=DIGITS,
    category=TEXT,
    village=TEXT,
    attempt=TEXT,
    consent=TEXT,
    code=TEXT,
)
def test_any_voice_parameters_get_twiml_and_keep_the_state_sound(
    demo_commune, deliver, step, digits, category, village, attempt, consent, code
):
    from urllib.parse import urlencode

    query = urlencode(
        {
            "category": category,
            "village": village,
            "attempt": attempt,
            "consent": consent,
            "code": code,
        }
    )
    path = f"/hooks/twilio/voice/{step}".rstrip("/") + f"?{query}"
    data = {
        **fixture("twilio_voice_call.json")["call"],
        "CallSid": f"CAfuzz{next(COUNTER)}",
        "Digits": digits,
    }
    response = deliver(post_twilio, Client(raise_request_exception=False), path, data)
    assert response.status_code == 200, response.content[:300]
    assert b"<Response" in response.content
    assert_consistent()


FORM = st.fixed_dictionaries(
    {
        "category": st.one_of(st.sampled_from(["vneid", "scam", "other"]), TEXT),
        "resident_phone": st.one_of(st.just("0912 345 678"), TEXT),
        "resident_name": TEXT,
        "description": TEXT,
        "location_text": TEXT,
        "village": st.one_of(st.integers(-5, 10**12).map(str), TEXT),
        "lat": st.one_of(st.floats(allow_nan=True).map(str), TEXT),
        "lng": st.one_of(st.floats(allow_infinity=True).map(str), TEXT),
        "flags": st.lists(TEXT, max_size=3),
        "consent": st.sampled_from(["on", "", "yes", "0"]),
        "website": st.sampled_from(["", "http://spam.example"]),
    }
)


@pytest.mark.django_db
@FUZZ
@given(data=FORM)
def test_any_help_form_post_is_answered_without_a_server_error(demo_commune, data):
    data = {
        k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()
    }
    before = HelpRequest.objects.count()
    response = Client(raise_request_exception=False).post("/help/", data)
    assert response.status_code in (200, 302, 400), response.content[:300]
    created = HelpRequest.objects.count() - before
    assert created == (1 if response.status_code == 302 else 0)
    assert_consistent()


@pytest.mark.django_db
@FUZZ
@given(code=TEXT)
def test_any_tracking_code_is_a_page_or_a_clear_not_found(demo_commune, code):
    from django.urls import NoReverseMatch, reverse

    client = Client(raise_request_exception=False)
    try:
        urls = [
            reverse("dispatch:track", args=[code]),
            reverse("dispatch:track_api", args=[code]),
        ]
    except NoReverseMatch:  # "/" cannot be in a path segment: the router never sees it
        urls = []
    urls.append("/track/?" + __import__("urllib.parse").parse.urlencode({"code": code}))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)


WS_MESSAGES = st.one_of(
    st.text(min_size=1, max_size=200),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)
        ),
        max_leaves=10,
    ).map(lambda v: __import__("json").dumps(v)),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["accept", "decline", "resume", "start", "done", "ping", "duty", ""]
            ),
            "offer_id": st.one_of(st.integers(), TEXT, st.none()),
            "request_id": st.one_of(st.integers(), TEXT, st.none()),
            "event_id": st.one_of(st.integers(), TEXT, st.none()),
            "code": TEXT,
        }
    ).map(lambda v: __import__("json").dumps(v)),
)


@pytest.mark.django_db(transaction=True)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(messages=st.lists(WS_MESSAGES, min_size=1, max_size=4))
async def test_any_websocket_message_never_breaks_a_consumer(ws_targets, messages):
    """Every WebSocket route, with a user allowed on it, sent anything at all: the
    consumer answers or closes politely, and never raises."""
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    for path, app in ws_targets:
        communicator = WebsocketCommunicator(app, path)
        connected, _code = await communicator.connect()
        for text in messages:
            if not connected:
                break
            await communicator.send_to(text_data=text)
            # Drain whatever comes back; an exception in the consumer re-raises here.
            while not await communicator.receive_nothing(timeout=0.05):
                output = await communicator.receive_output(timeout=1)
                if output["type"] == "websocket.close":
                    connected = False
                    break
        await communicator.disconnect()
    await database_sync_to_async(assert_consistent)()


class _AsUser:
    """ASGI middleware that authenticates every connection as one user (the session
    cookie path is covered by the e2e tests; here the messages are the subject)."""

    def __init__(self, app, user):
        self.app, self.user = app, user

    async def __call__(self, scope, receive, send):
        return await self.app({**scope, "user": self.user}, receive, send)


@pytest.fixture
def ws_targets(transactional_db, settings):
    from channels.routing import URLRouter

    from dispatch.live.routes import websocket_urlpatterns
    from teams.demo import seed_demo_commune
    from teams.models import StaffMember, Volunteer

    settings.SMS_BACKEND = "console"
    seed_demo_commune()
    users = [
        StaffMember.objects.filter(role=StaffMember.Role.SECRETARY).first().user,
        Volunteer.objects.filter(on_duty=True).first().user,
    ]
    router = URLRouter(websocket_urlpatterns)
    return [
        ("/" + str(route.pattern), _AsUser(router, user))
        for route in websocket_urlpatterns
        for user in users
    ]
