"""Dashboard fixtures: the hand-computed October of tests/dispatch/kpi_history.py."""

from __future__ import annotations

import pytest

from teams.models import Village
from tests.dispatch.kpi_history import build_october


@pytest.fixture
def october(duc_an):
    for name, households in [("Thôn 1", 400), ("Thôn 5", 100), ("Thôn 15", 2000)]:
        Village.objects.filter(name=name).update(households=households)
    return build_october(duc_an)
