"""Dispatch fixtures: the in-memory channel layer, Đức An as dispatch sees it, the
provider boundary. The people and places come from tests/personas.py (the map and the
cast are drawn at its top); the helpers below are re-exported from there so that
`from tests.dispatch.conftest import submit_for_lan` keeps working.
"""

from __future__ import annotations

import itertools

import pytest
from channels.layers import channel_layers
from django.core.cache import cache

from dispatch.models import OutboundMessage
from teams.models import SupportTeam, Volunteer
from tests import personas
from tests.dispatch.providers import FakeProvider, fixture, post_twilio
from tests.personas import (  # noqa: F401 (re-exported for the test modules)
    ROW,
    DucAn,
    make_overdue,
    make_user,
    open_offer_of,
    submit_for_lan,
)


@pytest.fixture(autouse=True)
def memory_channel_layer(settings):
    """Unit tests read pushes from the in-memory layer (cross-process tests use Valkey)."""
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def make_volunteer(
    team: SupportTeam,
    username: str,
    full_name: str,
    phone: str,
    *,
    on_duty: bool = True,
    capacity: int = 2,
) -> Volunteer:
    """Old signature of `tests.personas.make_volunteer`, kept for branches in flight
    (`username` is ignored: the registry names the account after the phone)."""
    return personas.make_volunteer(
        team, full_name, phone, on_duty=on_duty, capacity=capacity
    )


def make_team(commune, name, lat, lng, villages=(), kind=SupportTeam.Kind.VILLAGE):
    """Old signature of `tests.personas.team`, kept for branches in flight."""
    return personas.team(commune, name, *villages, base=(lat, lng), kind=kind)


@pytest.fixture
def duc_an(db) -> DucAn:
    """Đức An with its villages, teams, volunteers and office (tests/personas.py)."""
    return personas.build_duc_an()


@pytest.fixture
def leader_of_thon_1(duc_an) -> Volunteer:
    """Hoàng Văn Trưởng, leader of Tổ Thôn 1: sees the commune's figures, never
    residents' phones."""
    return personas.TRUONG.join(duc_an.team_thon_1, on_duty=True)


# --- Intake: provider boundary and the demo commune ------------------------------------


@pytest.fixture
def fake_provider():
    fake = FakeProvider()
    yield fake
    fake.close()


@pytest.fixture
def twilio_api(fake_provider, settings):
    """Twilio's REST API as a local fake: SMS go out through it, recordings are deleted."""
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_BASE_URL = fake_provider.url
    return fake_provider


@pytest.fixture
def sync_tasks(monkeypatch):
    """django-q2 runs tasks inline, as the cluster would, right after commit."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)
    return Conf


@pytest.fixture
def demo_commune(db, settings):
    """Đức An, the sample commune, as `manage.py seed_demo` builds it."""
    from teams.demo import seed_demo_commune

    settings.SMS_BACKEND = "console"
    return seed_demo_commune().commune


@pytest.fixture
def fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deliver(django_capture_on_commit_callbacks, sync_tasks):
    """Run what a request schedules after commit (tasks inline), like the live stack."""

    class Deliver:
        def __call__(self, fn, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return Deliver()


@pytest.fixture
def starter_guides(db):
    """The procedure guides the data migration installs (a flush by a transactional
    test removes them, so tests that need them ask for them)."""
    from dispatch.guides.services import install_seed_guides
    from dispatch.models import Guide

    install_seed_guides()
    return {guide.keyword: guide for guide in Guide.objects.all()}


@pytest.fixture
def zalo_api(settings):
    """Zalo (OA API, OAuth, ZNS) as a local fake server, and the commune's OA settings."""
    from tests.dispatch import providers

    fake = providers.FakeZalo()
    settings.ZALO_APP_ID = providers.ZALO_APP_ID
    settings.ZALO_APP_SECRET = providers.ZALO_APP_SECRET
    settings.ZALO_OA_ID = providers.ZALO_OA_ID
    settings.ZALO_OA_SECRET_KEY = providers.ZALO_OA_SECRET_KEY
    settings.ZALO_ACCESS_TOKEN = fake.access_token
    settings.ZALO_REFRESH_TOKEN = fake.refresh_token
    settings.ZALO_API_BASE_URL = fake.url
    settings.ZALO_OAUTH_BASE_URL = fake.url
    settings.ZALO_ZNS_BASE_URL = fake.url
    yield fake
    fake.close()


# --- A volunteer's basic phone ----------------------------------------------------------

_sids = itertools.count(1)


@pytest.fixture
def text_from(client, deliver):
    """Send `body` from `volunteer`'s phone; return the reply they receive."""

    def send(volunteer: Volunteer, body: str) -> str:
        sid = f"SMV{next(_sids):06d}"
        data = fixture("twilio_sms_inbound.json")
        data.update(
            Body=body,
            MessageSid=sid,
            SmsSid=sid,
            SmsMessageSid=sid,
            From=volunteer.phone,
        )
        deliver(post_twilio, client, "/hooks/twilio/sms", data)
        reply = (
            OutboundMessage.objects.filter(
                to_number=volunteer.phone, purpose=OutboundMessage.Purpose.REPLY
            )
            .order_by("-created_at")
            .first()
        )
        assert reply is not None, body
        return reply.body

    return send
