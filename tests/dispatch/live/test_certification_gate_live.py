"""An uncertified volunteer never receives a certificate-gated offer, by any channel.

Bà Lan reports a suspected scam in Thôn 1. Khải of Tổ Thôn 1 holds a valid
scam-awareness certificate; his teammate An does not. The offer goes to their team, but
only Khải's screen (live push, snapshot, replay) and Khải's phone (SMS fallback) hear of
it; An, connected or not, sees nothing of it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from dispatch.help_requests import offer_notices
from dispatch.models import OutboundMessage
from tests.dispatch.live_fixtures import (
    as_text,
    drain,
    open_socket,
    presence_redis,  # noqa: F401 - fixture
    second_member,
)
from tests.personas import open_offer_of, submit_for_lan
from training.catalogue import seed_catalogue
from training.models import Certificate, Topic

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("presence_redis"),
]


@database_sync_to_async
def certify(volunteer) -> None:
    seed_catalogue()  # transactional tests flush the topics the migration seeded
    now = timezone.now()
    Certificate.objects.create(
        volunteer=volunteer,
        topic=Topic.objects.get(key="scam"),
        issued_at=now - timedelta(days=10),
        expires_at=now + timedelta(days=300),
    )


@database_sync_to_async
def lan_reports_a_scam(duc_an):
    request = submit_for_lan(duc_an, category="scam", description="thon 1 lua dao")
    return request, open_offer_of(request)


@database_sync_to_async
def offer_texts_to(phone: str) -> list[str]:
    return list(
        OutboundMessage.objects.filter(
            to_number=phone, purpose=OutboundMessage.Purpose.OFFER
        ).values_list("body", flat=True)
    )


async def test_only_the_certified_teammate_hears_of_a_scam_offer_live(duc_an):
    minh = await second_member(duc_an.team_thon_1)
    await certify(minh)
    an_socket = await open_socket(duc_an.an.user)
    minh_socket = await open_socket(minh.user)
    await drain(an_socket)
    await drain(minh_socket)

    request, offer = await lan_reports_a_scam(duc_an)
    assert offer.team_id == duc_an.team_thon_1.pk

    assert request.code in as_text(await drain(minh_socket))
    assert request.code not in as_text(await drain(an_socket))
    await an_socket.disconnect()
    await minh_socket.disconnect()


async def test_the_snapshot_and_the_replay_leave_the_scam_offer_out_for_the_uncertified(
    duc_an,
):
    minh = await second_member(duc_an.team_thon_1)
    await certify(minh)
    request, _ = await lan_reports_a_scam(duc_an)

    an_socket = await open_socket(duc_an.an.user, "/ws/volunteer/?event_id=0")
    an_messages = await drain(an_socket)
    assert an_messages[0]["type"] == "hello"
    assert an_messages[0]["offers"] == []
    assert request.code not in as_text(an_messages)

    minh_socket = await open_socket(minh.user)
    hello = (await drain(minh_socket))[0]
    assert [o["code"] for o in hello["offers"]] == [request.code]
    await an_socket.disconnect()
    await minh_socket.disconnect()


async def test_the_sms_fallback_texts_only_the_certified_teammate(duc_an):
    minh = await second_member(duc_an.team_thon_1)
    await certify(minh)
    _, offer = await lan_reports_a_scam(duc_an)

    # Nobody is connected: both are on duty and offline.
    await database_sync_to_async(offer_notices.text_offline_volunteers)(
        offer_id=offer.pk
    )

    assert len(await offer_texts_to(minh.phone)) == 1
    assert await offer_texts_to(duc_an.an.phone) == []
