"""Security settings: production passes `check --deploy`, headers, cookies, origins,
and webhook signatures behind a TLS-terminating proxy."""

from __future__ import annotations

import importlib
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.test import override_settings
from twilio.request_validator import RequestValidator

from dispatch.models import HelpRequest, InboundMessage
from tests.dispatch.providers import fixture

ROOT = Path(__file__).resolve().parent.parent.parent
PUBLIC = "https://hotline.example.vn"


def production_env(**extra: str) -> dict[str, str]:
    """What production needs; nothing here is ever connected to."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        REDIS_URL="redis://127.0.0.1:6399/0",
        DATABASE_URL="postgres://caunoi:secret@127.0.0.1:5999/caunoi",
        ALLOWED_HOSTS="hotline.example.vn",
        PUBLIC_BASE_URL=PUBLIC,
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "PostgreSQL"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(override, complaint):
    result = run(["manage.py", "check"], production_env(**override))
    assert result.returncode != 0
    assert complaint in result.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/no-such-page/", secure=True, HTTP_HOST="hotline.example.vn")
plain = Client().get("/no-such-page/", HTTP_HOST="hotline.example.vn")
print(json.dumps({
    "headers": dict(response.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "cookies": {
        name: getattr(settings, name) for name in (
            "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
            "LANGUAGE_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER")
    },
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""


def test_production_answers_with_hsts_csp_and_secure_cookies():
    result = run(["-c", PROBE], production_env())
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
        "wss://hotline.example.vn",
    ):
        assert directive in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://")
    assert all(seen["cookies"][k] for k in seen["cookies"])
    assert seen["cache"].endswith("RedisCache")  # limits shared by every node


@pytest.mark.django_db
def test_every_page_carries_a_csp_whose_scripts_need_our_nonce(client):
    response = client.get("/help/")
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp


def _asgi_app():
    import config.asgi

    return importlib.reload(config.asgi).application


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        (b"https://hotline.example.vn", True),
        (b"https://evil.example.com", False),
        (None, False),
    ],
)
async def test_websockets_from_another_origin_are_refused(origin, accepted, settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    with override_settings(ALLOWED_HOSTS=["hotline.example.vn"]):
        app = _asgi_app()
    headers = [(b"host", b"hotline.example.vn")]
    if origin:
        headers.append((b"origin", origin))
    communicator = WebsocketCommunicator(app, "/ws/board/", headers=headers)
    connected, code = await communicator.connect()
    if accepted:
        # Past the origin check the consumer decides: anonymous → closed with 4403.
        assert connected and (await communicator.receive_output())["code"] == 4403
    else:
        assert not connected
    await communicator.disconnect()
    _asgi_app()  # back to the test settings' validator


def _twilio_post(client, path: str, data: dict, *, signed_url: str, **extra):
    signature = RequestValidator("test-twilio-auth-token").compute_signature(
        signed_url, data
    )
    return client.post(
        path,
        data,
        HTTP_X_TWILIO_SIGNATURE=signature,
        HTTP_HOST="internal:8000",
        **extra,
    )


@pytest.mark.django_db
def test_webhooks_behind_a_proxy_check_the_signature_of_the_public_url(
    client, settings
):
    """nginx terminates TLS for https://hotline.example.vn; Django sees
    http://internal:8000. Twilio signed the public URL, query string included."""
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
    settings.ALLOWED_HOSTS = ["internal", "hotline.example.vn"]
    sms = fixture("twilio_sms_inbound.json")
    inside = _twilio_post(
        client,
        "/hooks/twilio/sms",
        sms,
        signed_url="http://internal:8000/hooks/twilio/sms",
    )
    assert inside.status_code == 403
    assert InboundMessage.objects.count() == 0

    ok = _twilio_post(
        client,
        "/hooks/twilio/sms",
        sms,
        signed_url=f"{PUBLIC}/hooks/twilio/sms",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert ok.status_code == 200
    assert InboundMessage.objects.count() == 1

    step = "/hooks/twilio/voice/village-done?category=scam&attempt=1"
    call = {**fixture("twilio_voice_call.json")["call"], "Digits": "05"}
    voice = _twilio_post(client, step, call, signed_url=f"{PUBLIC}{step}")
    assert voice.status_code == 200
    tampered = _twilio_post(
        client,
        step.replace("scam", "vneid"),
        call,
        signed_url=f"{PUBLIC}{step}",
    )
    assert tampered.status_code == 403
    assert not HelpRequest.objects.exists()
