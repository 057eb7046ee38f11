"""Outreach fixtures: Đức An's household register and its running VNeID campaign."""

from __future__ import annotations

import pytest

from tests import personas


@pytest.fixture
def households(duc_an):
    """Thôn 1 (1-1…1-4) and Thôn 5 (5-1…5-3), as in tests/personas.py."""
    return {h.code: h for h in personas.register_households(duc_an)}


@pytest.fixture
def campaign(duc_an, households):
    """Running, half-way through; Thôn 1 given to its team, Thôn 5 to its team."""
    return personas.vneid_campaign(duc_an)
