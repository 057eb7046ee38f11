"""`manage.py smsgate_setup` registers our webhooks on the phone, idempotently."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def gateway(fake_provider, settings):
    settings.SMSGATE_BASE_URL = fake_provider.url + "/3rdparty/v1"
    settings.SMSGATE_USERNAME = "caunoi"
    settings.SMSGATE_PASSWORD = "mat-khau"
    settings.PUBLIC_BASE_URL = "https://caunoi.ducan.example.vn"
    return fake_provider


def test_it_registers_the_four_webhooks_with_fixed_ids(gateway):
    out = StringIO()
    call_command("smsgate_setup", stdout=out)
    call_command("smsgate_setup", stdout=out)  # again: same ids, nothing added

    bodies = [json.loads(r["body"]) for r in gateway.requests]
    assert [b["event"] for b in bodies[:4]] == [
        "sms:received",
        "sms:sent",
        "sms:delivered",
        "sms:failed",
    ]
    assert {b["url"] for b in bodies} == {
        "https://caunoi.ducan.example.vn/hooks/smsgate"
    }
    assert [b["id"] for b in bodies[:4]] == [b["id"] for b in bodies[4:]]
    assert all(r["path"] == "/3rdparty/v1/webhooks" for r in gateway.requests)
    assert "https://caunoi.ducan.example.vn/hooks/smsgate" in out.getvalue()


def test_it_can_set_the_signing_key_on_the_phone(gateway, settings):
    call_command("smsgate_setup", "--push-signing-key", stdout=StringIO())
    first = gateway.requests[0]
    assert first["path"] == "/3rdparty/v1/settings"
    assert json.loads(first["body"]) == {
        "webhooks": {"signing_key": settings.SMSGATE_SIGNING_KEY}
    }


def test_a_refusing_gateway_is_a_clear_error(gateway):
    gateway.answer(401, {"message": "unauthorized"})
    with pytest.raises(CommandError, match="HTTP 401"):
        call_command("smsgate_setup", stdout=StringIO())


def test_it_refuses_to_run_without_a_signing_key(gateway, settings):
    settings.SMSGATE_SIGNING_KEY = ""
    with pytest.raises(CommandError, match="SMSGATE_SIGNING_KEY"):
        call_command("smsgate_setup", stdout=StringIO())
