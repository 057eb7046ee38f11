"""The client address comes from one place (TrustedProxyMiddleware): a header the client
writes itself never lifts a per-address limit or the login lock-out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from config.middleware import forwarded_client
from dispatch.live import views as volunteer_views
from dispatch.models import HelpRequest, OutboundMessage
from tests.dispatch.web_forms import filled, thon_5

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]
NGINX = "127.0.0.1"
CLIENT = "203.0.113.7"


def spoofed(i: int, *, appended_by_nginx: bool) -> dict[str, str]:
    """A request whose client writes a fresh X-Forwarded-For each time; nginx either
    appends the address it saw ($proxy_add_x_forwarded_for) or overwrites it."""
    if appended_by_nginx:
        return {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": f"10.9.{i}.1, {CLIENT}"}
    return {"REMOTE_ADDR": CLIENT, "HTTP_X_FORWARDED_FOR": f"10.9.{i}.1"}


# Without proxies (0) the client talks to Daphne itself; behind nginx (1) nginx adds
# the address it saw. In both, the client's own header entries count for nothing.
SETUPS = [(0, False), (1, True)]


def test_it_ignores_forwarded_headers_unless_proxies_are_trusted():
    assert forwarded_client(remote_addr=CLIENT, forwarded_for="1.2.3.4", proxies=0) == (
        CLIENT
    )
    assert forwarded_client(remote_addr=NGINX, forwarded_for=CLIENT, proxies=1) == (
        CLIENT
    )
    appended = f"1.2.3.4, 5.6.7.8, {CLIENT}"
    assert forwarded_client(remote_addr=NGINX, forwarded_for=appended, proxies=1) == (
        CLIENT
    )
    assert forwarded_client(remote_addr=NGINX, forwarded_for="", proxies=1) == NGINX
    assert forwarded_client(remote_addr=NGINX, forwarded_for="x<y>", proxies=1) == NGINX


@pytest.mark.parametrize(("proxies", "appended"), SETUPS)
def test_spoofed_headers_do_not_lift_the_tracking_limit(
    client, settings, proxies, appended
):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.DISPATCH_TRACK_RATE_LIMIT = 3
    url = reverse("dispatch:track_api", args=["DA-ZZZZZZZ"])

    codes = [
        client.get(url, **spoofed(i, appended_by_nginx=appended)).status_code
        for i in range(5)
    ]

    assert codes == [404, 404, 404, 429, 429]


def test_behind_nginx_two_real_clients_are_counted_apart(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.DISPATCH_TRACK_RATE_LIMIT = 1
    url = reverse("dispatch:track_api", args=["DA-ZZZZZZZ"])
    first = client.get(url, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=CLIENT)
    again = client.get(url, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=CLIENT)
    other = client.get(url, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert [first.status_code, again.status_code, other.status_code] == [
        404,
        429,
        404,
    ]


@pytest.mark.parametrize(("proxies", "appended"), SETUPS)
def test_spoofed_headers_do_not_lift_the_help_form_limit(
    client, demo_commune, settings, proxies, appended
):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.HELP_FORM_LIMIT_PER_IP = 1
    village = thon_5(demo_commune)

    client.post("/help/", filled(village), **spoofed(1, appended_by_nginx=appended))
    refused = client.post(
        "/help/",
        filled(village, resident_phone="0987111222"),
        **spoofed(2, appended_by_nginx=appended),
    )

    assert "Bạn đã gửi nhiều lần" in refused.content.decode()
    assert HelpRequest.objects.count() == 1


@pytest.mark.parametrize(("proxies", "appended"), SETUPS)
def test_spoofed_headers_do_not_lift_the_code_login_limits(
    client, duc_an, settings, monkeypatch, proxies, appended
):
    settings.TRUSTED_PROXY_COUNT = proxies
    for i in range(volunteer_views.CODES_PER_IP):
        client.post(
            "/v/login/",
            {"phone": f"09120099{i:02d}"},
            **spoofed(i, appended_by_nginx=appended),
        )
    refused = client.post(
        "/v/login/",
        {"phone": "0912 000 001"},
        **spoofed(99, appended_by_nginx=appended),
    )
    assert "Bạn đã xin mã nhiều lần" in refused.content.decode()
    assert not OutboundMessage.objects.filter(purpose="login_code").exists()

    monkeypatch.setattr(volunteer_views, "TRIES_PER_IP", 2)
    session = client.session
    session["login_phone"] = duc_an.an.phone
    session.save()
    answers = [
        client.post(
            "/v/login/code/",
            {"code": "000000"},
            **spoofed(i, appended_by_nginx=appended),
        ).content.decode()
        for i in range(3)
    ]
    assert "Bạn đã thử nhiều lần" in answers[2]


@pytest.mark.parametrize(("proxies", "appended"), SETUPS)
def test_spoofed_headers_do_not_lift_the_password_lockout(
    client, settings, proxies, appended
):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    get_user_model().objects.create_user("thuky", password="dung-mat-khau-1952")
    for i in range(3):
        client.post(
            "/accounts/login/",
            {"username": "thuky", "password": "sai"},
            **spoofed(i, appended_by_nginx=appended),
        )

    right = client.post(
        "/accounts/login/",
        {"username": "thuky", "password": "dung-mat-khau-1952"},
        **spoofed(42, appended_by_nginx=appended),
    )

    assert right.status_code == 429
    assert "Tạm khoá đăng nhập" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_documented_nginx_overwrites_x_forwarded_for_and_is_trusted_once():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()

    forwarded = re.findall(r"proxy_set_header X-Forwarded-For (\S+);", readme)
    assert forwarded and set(forwarded) == {"$remote_addr"}
    assert re.search(r"^TRUSTED_PROXY_COUNT=1$", readme, re.M)
