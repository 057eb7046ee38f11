from __future__ import annotations

import pytest

from tests.dispatch.providers import FakeProvider


@pytest.fixture
def fake_provider():
    fake = FakeProvider()
    yield fake
    fake.close()


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

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    settings.SMS_BACKEND = "console"
    return seed_demo_commune().commune


@pytest.fixture
def deliver(django_capture_on_commit_callbacks, sync_tasks):
    """Run what a request schedules after commit (tasks inline), like the live stack."""

    class Deliver:
        def __call__(self, fn, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return Deliver()
