"""Abuse limits: each answers in friendly Vietnamese and leaves a line in the log."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from dispatch.intake import store as intake_store
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage
from tests.dispatch.web_forms import filled, thon_5

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]
FLOODER = "+84977000111"


def _sms(commune, n: int, *, sender: str = FLOODER, body: str = "can giup vneid"):
    return intake_store.receive_sms(
        provider=InboundMessage.Provider.SMSGATE,
        provider_id=f"flood-{sender}-{n}",
        from_number=sender,
        to_number=commune.hotline_numbers[0],
        body=f"{body} {n}",
        payload={},
    )


def test_one_phone_flooding_the_sms_line_is_stored_but_answered_once(
    demo_commune, deliver, settings, caplog
):
    settings.SMS_INTAKE_LIMIT_PER_HOUR = 3
    settings.SMS_FOLLOWUP_MINUTES = 1  # follow-ups would join; count the limit only
    caplog.set_level(logging.WARNING, logger="dispatch.intake.limits")
    for n in range(6):
        deliver(_sms, demo_commune, n)

    assert InboundMessage.objects.filter(from_number=FLOODER).count() == 6  # kept
    replies = OutboundMessage.objects.filter(to_number=FLOODER)
    limited = [m for m in replies if "nhiều tin" in m.body or "nhieu tin" in m.body]
    assert len(limited) == 1  # one polite answer per hour, not one per SMS
    assert HelpRequest.objects.filter(resident_phone=FLOODER).count() == 1
    assert "sms-inbound" in caplog.text and FLOODER not in caplog.text


def test_another_phone_is_not_held_back_by_a_flooder(demo_commune, deliver, settings):
    settings.SMS_INTAKE_LIMIT_PER_HOUR = 2
    for n in range(4):
        deliver(_sms, demo_commune, n)
    deliver(_sms, demo_commune, 0, sender="+84977000222")
    assert HelpRequest.objects.filter(resident_phone="+84977000222").exists()


def test_the_help_form_limit_is_logged_without_the_phone(
    client, demo_commune, settings, caplog
):
    settings.HELP_FORM_LIMIT_PER_PHONE = 1
    caplog.set_level(logging.WARNING, logger="dispatch.intake.limits")
    village = thon_5(demo_commune)
    client.post("/help/", filled(village))
    second = client.post("/help/", filled(village))
    assert second.status_code == 400
    assert "Số này đã gửi nhiều yêu cầu" in second.content.decode()
    assert "help-phone" in caplog.text and "+84912345678" not in caplog.text


def test_tracking_lookups_over_the_limit_are_logged(client, db, settings, caplog):
    settings.DISPATCH_TRACK_RATE_LIMIT = 1
    caplog.set_level(logging.WARNING, logger="dispatch.intake.limits")
    url = reverse("dispatch:track_api", args=["DA-ZZZZZZZ"])
    assert [client.get(url).status_code for _ in range(2)] == [404, 429]
    assert "rate limit track" in caplog.text


def test_failed_logins_lock_the_account_with_a_vietnamese_page(
    client, db, settings, caplog
):
    from django.contrib.auth import get_user_model

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("thuky", password="dung-mat-khau-1952")
    caplog.set_level(logging.WARNING)
    wrong = [
        client.post("/accounts/login/", {"username": "thuky", "password": "sai"})
        for _ in range(3)
    ]
    assert [r.status_code for r in wrong[:2]] == [200, 200]
    locked = client.post(
        "/accounts/login/", {"username": "thuky", "password": "dung-mat-khau-1952"}
    )
    assert locked.status_code == 429
    assert "Tạm khoá đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert "locked out" in caplog.text
    other_ip = client.post(
        "/accounts/login/",
        {"username": "thuky", "password": "dung-mat-khau-1952"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert other_ip.status_code == 302  # the lock is per username and address
