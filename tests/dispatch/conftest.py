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
