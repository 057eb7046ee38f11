"""`seed_demo --communes 2`: Đắk Song's office sees none of Đức An's residents."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from dispatch.help_requests import lifecycle
from teams.models import Commune, StaffMember

pytestmark = pytest.mark.django_db


def test_the_second_demo_communes_staff_see_none_of_duc_ans_residents(
    demo_commune, settings, deliver
):
    call_command("seed_demo", "--communes", "2", stdout=open("/dev/null", "w"))
    far = Commune.objects.get(code="DS")
    assert StaffMember.objects.filter(commune=far).count() == 2
    village = demo_commune.villages.order_by("number").first()
    request = deliver(
        lifecycle.submit_request,
        commune=demo_commune,
        channel="web",
        category="vneid",
        resident_name="Bà Marker Đức An",
        resident_phone="0912 777 888",
        description="Cần kích hoạt VNeID",
        village=village,
        consent=True,
    )
    markers = ("912777888", "Marker Đức An", request.code)
    for login in ("secretary2", "operator2"):
        client = Client(raise_request_exception=False)
        client.force_login(StaffMember.objects.get(user__username=login).user)
        for url in (
            "/",
            "/requests/",
            f"/requests/{request.code}/",
            "/dashboard/",
            "/dashboard/export.csv",
            "/api/v1/requests",
            f"/api/v1/requests/{request.code}",
            "/admin/dispatch/helprequest/",
            "/admin/dispatch/inboundmessage/",
            "/admin/dispatch/outboundmessage/",
            "/admin/teams/volunteer/",
        ):
            body = client.get(url).content.decode(errors="replace").replace(" ", "")
            for marker in markers:
                assert marker.replace(" ", "") not in body, (login, url, marker)
                assert json.dumps(marker)[1:-1] not in body, (login, url, marker)
    # Its own office sees it (the markers are real).
    client = Client()
    client.force_login(StaffMember.objects.get(user__username="secretary").user)
    assert request.code in client.get("/requests/").content.decode()
