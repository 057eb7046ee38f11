"""Messages to Zalo users: the outbound queue, token refresh, the consultation window."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dispatch.help_requests.offers import accept_offer
from dispatch.models import (
    HelpRequest,
    Offer,
    OutboundMessage,
    ZaloAccount,
    ZaloContact,
)
from dispatch.push import broadcast
from dispatch.sms.gateways import zalo
from tests.dispatch.channel_messages import drain, listen
from tests.dispatch.providers import ZALO_USER, post_zalo, zalo_event

OLD = timedelta(hours=50)


def ask_on_zalo(client, deliver, *, text="can giup kich hoat vneid o thon 5"):
    event = zalo_event("user_send_text", message={"text": text})
    assert deliver(post_zalo, client, event).status_code == 200
    return HelpRequest.objects.get()


def accept(request: HelpRequest) -> None:
    offer = Offer.objects.get(request=request, state=Offer.State.OPEN)
    volunteer = offer.team.volunteers.filter(on_duty=True).first()
    accept_offer(offer=offer, volunteer=volunteer)


@pytest.mark.django_db
def test_an_expired_token_is_refreshed_once_stored_and_the_message_sent(
    client, demo_commune, zalo_api, deliver
):
    zalo_api.expire_access_token()

    request = ask_on_zalo(client, deliver)

    assert zalo_api.refreshes == 1
    account = ZaloAccount.objects.get()
    assert (account.access_token, account.refresh_token) == ("access-2", "refresh-2")
    assert account.access_expires_at > timezone.now() + timedelta(hours=24)
    assert account.refresh_error == ""
    [ack] = zalo_api.texts_to(ZALO_USER)
    assert request.code in ack
    refresh = [r for r in zalo_api.requests if r["path"] == "/v4/oa/access_token"]
    assert "grant_type=refresh_token" in refresh[0]["body"]
    assert "refresh_token=refresh-1" in refresh[0]["body"]


@pytest.mark.django_db
def test_a_refused_refresh_is_recorded_and_the_message_marked_failed(
    client, demo_commune, zalo_api, deliver
):
    zalo_api.expire_access_token()
    zalo_api.refresh_token = "someone-else-used-it"

    request = ask_on_zalo(client, deliver)

    account = ZaloAccount.objects.get()
    assert account.refresh_failed_at is not None
    assert "-14014" in account.refresh_error
    reply = OutboundMessage.objects.get(request=request, transport="zalo")
    assert reply.status == "failed"


@pytest.mark.django_db(transaction=True)
def test_two_workers_refreshing_at_once_refresh_once_and_both_send(
    demo_commune, zalo_api
):
    account = zalo.account_for_commune(demo_commune)
    zalo_api.expire_access_token()
    zalo_api.refresh_delay = 0.5  # both workers are inside the refresh together
    results, errors = [], []

    def worker(n: int) -> None:
        try:
            mine = ZaloAccount.objects.get(pk=account.pk)
            results.append(
                zalo.send_text(account=mine, user_id=ZALO_USER, text=f"tin {n}")
            )
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert zalo_api.refreshes == 1
    assert sorted(zalo_api.texts_to(ZALO_USER)) == ["tin 1", "tin 2"]
    account.refresh_from_db()
    assert account.refresh_token == "refresh-2"
    assert account.refresh_lease_until is None


@pytest.mark.django_db
def test_notices_within_the_window_go_on_zalo_as_replies(
    client, demo_commune, zalo_api, deliver
):
    request = ask_on_zalo(client, deliver)

    deliver(accept, request)

    accepted = zalo_api.messages[-1]
    assert accepted["recipient"]["message_id"] == "a6b5d0e1f4c3ae2bbd01"
    assert request.code in accepted["message"]["text"]
    assert ZaloContact.objects.get().replies_in_window == 2


@pytest.mark.django_db
def test_outside_the_window_a_notice_falls_back_to_sms_when_a_phone_is_linked(
    client, demo_commune, zalo_api, deliver
):
    request = ask_on_zalo(client, deliver)
    HelpRequest.objects.filter(pk=request.pk).update(resident_phone="+84912345678")
    ZaloContact.objects.update(last_user_message_at=timezone.now() - OLD)
    sent_before = len(zalo_api.messages)

    deliver(accept, request)

    assert len(zalo_api.messages) == sent_before
    notice = OutboundMessage.objects.get(
        request=request, purpose=OutboundMessage.Purpose.UPDATE
    )
    assert (notice.transport, notice.to_number) == ("sms", "+84912345678")
    assert request.code in notice.body


@pytest.mark.django_db
def test_after_eight_replies_the_window_is_spent_and_sms_takes_over(
    client, demo_commune, zalo_api, deliver
):
    request = ask_on_zalo(client, deliver)
    HelpRequest.objects.filter(pk=request.pk).update(resident_phone="+84912345678")
    ZaloContact.objects.update(replies_in_window=8)

    deliver(accept, request)

    notice = OutboundMessage.objects.get(
        request=request, purpose=OutboundMessage.Purpose.UPDATE
    )
    assert notice.transport == "sms"


@pytest.mark.django_db
def test_outside_the_window_a_configured_zns_template_is_used(
    client, demo_commune, zalo_api, deliver, settings
):
    settings.ZALO_ZNS_TEMPLATE_ACCEPTED = "301234"
    request = ask_on_zalo(client, deliver)
    HelpRequest.objects.filter(pk=request.pk).update(resident_phone="+84912345678")
    ZaloContact.objects.update(last_user_message_at=timezone.now() - OLD)

    deliver(accept, request)

    [template] = zalo_api.templates
    assert template["phone"] == "84912345678"
    assert template["template_id"] == "301234"
    assert template["template_data"]["code"] == request.code
    notice = OutboundMessage.objects.get(
        request=request, purpose=OutboundMessage.Purpose.UPDATE
    )
    assert (notice.transport, notice.status) == ("zalo", "sent")


@pytest.mark.django_db
def test_without_window_or_phone_the_board_is_told_it_could_not_notify(
    client, demo_commune, zalo_api, deliver
):
    request = ask_on_zalo(client, deliver)
    ZaloContact.objects.update(last_user_message_at=timezone.now() - OLD)
    board = listen(broadcast.board_group(demo_commune.pk))

    deliver(accept, request)

    notice = OutboundMessage.objects.get(
        request=request, purpose=OutboundMessage.Purpose.UPDATE
    )
    assert notice.status == "failed"
    assert "Không báo được" in notice.last_error
    pushed = [m for m in drain(board) if m["type"] == "sms.failed"]
    assert [m["code"] for m in pushed] == [request.code]
