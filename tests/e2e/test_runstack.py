"""`manage.py runstack` starts the embedded stack, heals it, and leaves nothing behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from dispatch.management import stack
from tests.e2e.conftest import _database_url, fetch_json

pytestmark = pytest.mark.stack

STARTED = re.compile(
    r"(?:started|restarted) ([\w-]+) \(pid (\d+)\)|Valkey is up \(pid (\d+)"
)


class RunningStack:
    def __init__(self, child: stack.Child, log: Path, port: int, var_dir: Path):
        self.child, self.log, self.var_dir = child, log, var_dir
        self.base_url = f"http://127.0.0.1:{port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pids(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for name, pid, valkey_pid in STARTED.findall(self.output()):
            found.setdefault(name or "valkey", []).append(int(pid or valkey_pid))
        return found

    def healthz(self) -> tuple[int, dict[str, object]]:
        return fetch_json(f"{self.base_url}/healthz")

    def wait_for(self, what: str, ready) -> None:
        stack.wait_until(ready, child=self.child, timeout=120, what=what)


def _ok(running: RunningStack) -> bool:
    try:
        return running.healthz()[0] == 200
    except (OSError, ValueError):
        return False


@pytest.fixture
def running_stack(django_db_setup: None) -> Iterator[RunningStack]:
    """runstack with its own embedded Valkey (no REDIS_URL), against the test database."""
    var_dir = Path(tempfile.mkdtemp(prefix="caunoi-var-"))
    port = stack.free_port()
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CAUNOI_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
        "TASK_HOT_QUEUE": "on",
    }
    log = var_dir / "runstack.log"
    child = stack.Child(
        name="runstack",
        argv=[sys.executable, "manage.py", "runstack", "--port", str(port)],
        env=env,
        cwd=Path(settings.BASE_DIR),
        output=log,
    )
    child.start()
    running = RunningStack(child, log, port, var_dir)
    try:
        running.wait_for("runstack to report healthy", lambda: _ok(running))
        yield running
    finally:
        child.stop(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


def test_it_serves_the_app_with_its_own_valkey_and_leaves_no_process_after_ctrl_c(
    running_stack: RunningStack,
) -> None:
    status, body = running_stack.healthz()
    assert (status, body["channel_layer"]) == (200, "ok")
    assert (running_stack.var_dir / "valkey.sock").exists()
    children = running_stack.pids()
    assert set(children) == {"valkey", "daphne", "qcluster", "qcluster-hot"}

    running_stack.child.signal(signal.SIGINT)
    code = running_stack.child.proc.wait(timeout=60)

    assert code == 0, running_stack.output()
    left = [pid for pids in children.values() for pid in pids if stack.group_alive(pid)]
    assert left == [], running_stack.output()
    assert not (running_stack.var_dir / "valkey.sock").exists()
    assert "stopped; no process left behind" in running_stack.output()


def test_it_restarts_daphne_when_it_dies(running_stack: RunningStack) -> None:
    [daphne] = running_stack.pids()["daphne"]

    os.kill(daphne, signal.SIGKILL)

    running_stack.wait_for(
        "daphne to be restarted",
        lambda: len(running_stack.pids().get("daphne", [])) == 2,
    )
    assert f"daphne (pid {daphne}) exited" in running_stack.output()
    running_stack.wait_for("the restarted daphne to answer", lambda: _ok(running_stack))
    assert running_stack.healthz()[1]["status"] == "ok"


def test_it_refuses_a_port_that_is_already_taken(running_stack: RunningStack) -> None:
    port = running_stack.base_url.rsplit(":", 1)[1]
    second = stack.Child(
        name="second",
        argv=[sys.executable, "manage.py", "runstack", "--port", port],
        env=running_stack.child.env,
        cwd=Path(settings.BASE_DIR),
        output=running_stack.var_dir / "second.log",
    )
    second.start()

    assert second.proc.wait(timeout=120) != 0
    assert "already in use" in (running_stack.var_dir / "second.log").read_text()
