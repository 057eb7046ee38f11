"""End-to-end fixtures: a real running stack and a real Chromium.

`live_stack` starts `manage.py runstack` (Daphne + one qcluster) against the test database
and the session's Valkey, once per test session. Data a test creates is visible to those
processes only once committed, so tests that use it take `transactional_db`.

`browser_page` drives Debian's Chromium through Playwright's sync API, one browser per
test. Browser tests carry the `browser` marker and are skipped, loudly, where no Chromium
is installed; Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from django.conf import settings

from dispatch.management import stack

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM_PATH = Path(os.environ.get("CAUNOI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
NO_CHROMIUM = f"NO CHROMIUM at {CHROMIUM_PATH}: browser test skipped"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM_PATH.exists():
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if NO_CHROMIUM in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} browser test(s) did NOT run: no Chromium at "
            f"{CHROMIUM_PATH}. Install Debian's package: apt-get install chromium",
            red=True,
            bold=True,
        )
        terminalreporter.write_sep("!", red=True, bold=True)


def _database_url() -> str:
    """The URL of the test database (not the configured one) for child processes."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def fetch_json(url: str) -> tuple[int, dict[str, object]]:
    """GET a JSON document; returns (status, body) for error statuses too."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def _healthy(url: str) -> bool:
    try:
        return fetch_json(url)[0] == 200
    except (OSError, ValueError):
        return False


LIVE_STACK_OUTPUT: list[Path] = []


def _sms_to(to: str) -> list[str]:
    pattern = re.compile(
        rf"--- SMS to {re.escape(to)} \([^)]*\) ---\n(.*?)\n---\n", re.S
    )
    return pattern.findall(LIVE_STACK_OUTPUT[-1].read_text())


def sms_count(to: str) -> int:
    """How many SMS the live stack has sent to `to` so far."""
    return len(_sms_to(to))


def sms_received(to: str, *, after: int, timeout: float = 15.0) -> str:
    """The first SMS the live stack sent to `to` after the first `after` ones.

    The console gateway prints each SMS into the stack's output, which is what the
    phone would get; sending happens in a task, so this waits for it. (The stored copy
    of a login code is blanked once it has been sent.)
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _sms_to(to)
        if len(found) > after:
            return found[after]
        time.sleep(0.2)
    raise AssertionError(f"no new SMS to {to} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def live_stack(
    django_db_setup: None, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A running Daphne + qcluster on a free port; yields the base URL (no slash).

    The servers' output goes to a log file, shown when they fail to start.
    """
    log = tmp_path_factory.mktemp("live_stack") / "runstack.log"
    port = stack.free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if k != ASYNC_UNSAFE},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
        # As `make run` does: SMS in and out through the hot cluster on Redis.
        "TASK_HOT_QUEUE": "on",
    }
    runstack = stack.Child(
        name="runstack",
        argv=[
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "runstack",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        cwd=Path(settings.BASE_DIR),
        output=log,
    )
    runstack.start()
    LIVE_STACK_OUTPUT.append(log)
    try:
        try:
            stack.wait_until(
                lambda: _healthy(f"{base_url}/healthz"),
                child=runstack,
                timeout=120,
                what=f"the live stack to report healthy at {base_url}/healthz",
            )
        except stack.StackError as exc:
            raise stack.StackError(f"{exc}\n{log.read_text()[-4000:]}") from exc
        yield base_url
    finally:
        # runstack stops Daphne and the cluster itself before the test database goes.
        runstack.stop(timeout=30)


@contextmanager
def _django_orm_allowed_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop in this thread while it runs; Django
    would then refuse the ORM calls a test (and its database teardown) makes between
    page actions. Allowed only while a browser is open, and never in the servers'
    environment (live_stack drops the variable)."""
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = before


def post_smsgate_sms(
    base: str, text: str, *, sender: str, hotline: str, message_id: str = "e2e-1"
) -> int:
    """An SMS to `hotline`, as the SMSGate phone posts it (signed) to the live stack."""
    from tests.dispatch.providers import smsgate_headers

    envelope = {
        "event": "sms:received",
        "id": message_id,
        "payload": {
            "messageId": message_id,
            "message": text,
            "sender": sender,
            "recipient": hotline,
            "receivedAt": "2026-01-05T08:00:00.000+07:00",
        },
    }
    body = json.dumps(envelope).encode()
    headers = {
        key.removeprefix("HTTP_").replace("_", "-"): value
        for key, value in smsgate_headers(body).items()
    }
    request = urllib.request.Request(
        f"{base}/hooks/smsgate",
        data=body,
        headers={"Content-Type": "application/json", **headers},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status


def sign_in(context, live_stack: str, username: str) -> None:
    """The browser context carries `username`'s session (one context, one person)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_stack}])


@pytest.fixture
def browser_page(request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh Chromium page, phone-sized (360 px) and Vietnamese; screenshot afterwards.

    One browser per test: it closes before the test database is flushed.
    """
    from playwright.sync_api import sync_playwright

    if not CHROMIUM_PATH.exists():  # pragma: no cover - marker missing on the test
        pytest.skip(NO_CHROMIUM)
    with _django_orm_allowed_beside_playwright(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 360, "height": 780}, locale="vi-VN"
        )
        page = context.new_page()
        try:
            yield page
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            name = "".join(
                c if c.isalnum() or c in "-_" else "_" for c in request.node.name
            )
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            finally:
                browser.close()
