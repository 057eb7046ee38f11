"""In the admin a secretary reads her own commune's requests and messages, no other."""

from __future__ import annotations

import pytest
from django.test import Client

from dispatch.help_requests import lifecycle
from dispatch.models import OutboundMessage
from dispatch.sms.outbox import queue_sms
from tests.personas import nam_binh_commune, submit_for_lan

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(duc_an) -> Client:
    client = Client()
    client.force_login(duc_an.secretary.user)
    return client


@pytest.fixture
def far_request(duc_an):
    """A request of another commune, with an SMS to its resident."""
    far = nam_binh_commune()
    request = lifecycle.create_request(
        commune=far, channel="web", category="vneid", resident_phone="0912345674"
    )
    queue_sms(to=request.resident_phone, text="Đã nhận", request=request)
    return request


def test_the_secretary_reads_her_communes_requests_but_not_anothers(
    duc_an, secretary_client, far_request
):
    near = submit_for_lan(duc_an)

    listing = secretary_client.get("/admin/dispatch/helprequest/")

    assert listing.status_code == 200
    shown = list(listing.context["cl"].result_list)
    assert near in shown and far_request not in shown
    assert {r.commune_id for r in shown} == {duc_an.commune.pk}
    page = secretary_client.get(f"/admin/dispatch/helprequest/{near.pk}/change/")
    assert page.status_code == 200 and "Tổ Thôn 1" in page.content.decode()
    other = f"/admin/dispatch/helprequest/{far_request.pk}/change/"
    assert secretary_client.get(other).status_code == 302  # "does not exist"


def test_the_secretary_reads_only_her_communes_outgoing_sms_and_cannot_resend(
    duc_an, secretary_client, far_request
):
    near = submit_for_lan(duc_an)
    queue_sms(to=near.resident_phone, text="Đã nhận", request=near)

    listing = secretary_client.get("/admin/dispatch/outboundmessage/")

    messages = list(listing.context["cl"].result_list)
    assert messages and {m.commune_id for m in messages} == {duc_an.commune.pk}
    assert "send_again" not in listing.content.decode()
    assert OutboundMessage.objects.filter(commune=far_request.commune).exists()


def test_the_operator_does_not_browse_requests_in_the_admin(duc_an):
    client = Client()
    client.force_login(duc_an.operator.user)

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/dispatch/helprequest/").status_code == 403
