"""The scam response's cast: Đức An's police contact, and Bà Lan's request turned out
to be a fake-police scam, assigned to Nguyễn Văn An (Tổ Thôn 1)."""

from __future__ import annotations

import pytest

from dispatch.help_requests import lifecycle
from dispatch.scams import services
from tests.personas import submit_for_lan
from training.models import ScamPattern

POLICE_PHONE = "+84263900113"


@pytest.fixture
def police(duc_an):
    return services.save_settings(
        commune=duc_an.commune,
        police_name="Công an xã Đức An",
        police_phone=POLICE_PHONE,
        police_address="Trụ sở UBND xã",
    )


@pytest.fixture
def scam_request(duc_an):
    request = submit_for_lan(
        duc_an,
        category="scam",
        description="Co nguoi xung cong an bat cai VNeID moi qua link, da mat tien",
    )
    lifecycle.reassign_request(
        request=request, user=duc_an.secretary.user, volunteer=duc_an.an
    )
    request.refresh_from_db()
    return request


@pytest.fixture
def fake_police():
    return ScamPattern.objects.get(key="fake_police_vneid")
