"""`python -m tests.legs [pytest args]`: the test suite in its two legs.

(a) SQLite + an embedded Valkey; (b) a private PostgreSQL cluster started here + an
embedded Valkey. Each leg is its own pytest run and prints its own summary line. The
PostgreSQL cluster lives in a temporary folder and is stopped and deleted on every exit:
success, failure, Ctrl-C or SIGTERM. Where no PostgreSQL binaries exist, leg (b) is
skipped with a loud message. pytest's "no tests collected" (exit code 5) is a failure.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from dispatch.management import stack

ROOT = Path(__file__).resolve().parent.parent
NO_TESTS_COLLECTED = 5
LOUD = "!" * 78


def say(text: str) -> None:
    print(f"[legs] {text}", flush=True)


def banner(text: str) -> None:
    print(f"\n{'=' * 78}\n{text}\n{'=' * 78}", flush=True)


def run_pytest(label: str, env: dict[str, str], args: list[str]) -> int:
    banner(f"TEST LEG {label}")
    # pytest runs in its own process group, so Ctrl-C reaches it exactly once: from us.
    # One SIGINT makes pytest tear its fixtures down (Valkey, servers, the test
    # database); a second one, or a kill, would leave them behind.
    pytest = subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        code = pytest.wait()
    except BaseException:
        if pytest.poll() is None:
            say("interrupted: letting pytest clean up")
            pytest.send_signal(signal.SIGINT)
            try:
                pytest.wait(timeout=120)
            except subprocess.TimeoutExpired:
                pytest.kill()
                pytest.wait()
        raise
    if code == NO_TESTS_COLLECTED:
        print(f"{LOUD}\nLEG {label}: pytest collected NO tests: a failure\n{LOUD}")
    return code


def postgres_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb (or PG_BIN)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.parent.name))

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    return found[-1].parent if found else None


def _server_user() -> str | None:
    """PostgreSQL refuses to run as root; as root, run it as `postgres` (or nobody)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise SystemExit(
        "running as root and no 'postgres' or 'nobody' user to run PostgreSQL"
    )


def _accepts_connections(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@contextmanager
def private_postgres(bin_dir: Path) -> Iterator[str]:
    """A throwaway cluster: trust auth, fsync off, 127.0.0.1 on a free port.

    Yields a DATABASE_URL (the test run creates its own `test_…` database on it).
    """
    folder = Path(tempfile.mkdtemp(prefix="caunoi-pg-"))
    user = _server_user()
    server: stack.Child | None = None
    try:
        if user:
            account = pwd.getpwnam(user)
            os.chown(folder, account.pw_uid, account.pw_gid)
        data = folder / "data"
        say(f"initdb into {data} ({bin_dir})")
        subprocess.run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            user=user,
            cwd=folder,
        )
        port = stack.free_port()
        server = stack.Child(
            name="postgres",
            argv=[
                str(bin_dir / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={folder}",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ],
            stop_signal=signal.SIGINT,  # PostgreSQL's "fast shutdown"
            user=user,
            cwd=folder,
            output=folder / "postgres.log",
        )
        server.start()
        url = f"postgres://postgres@127.0.0.1:{port}/postgres"
        stack.wait_until(
            lambda: _accepts_connections(url),
            child=server,
            timeout=60,
            what=f"PostgreSQL on 127.0.0.1:{port}",
        )
        say(f"PostgreSQL is up on 127.0.0.1:{port} (pid {server.pid})")
        yield f"postgres://postgres@127.0.0.1:{port}/caunoi"
    except (stack.StackError, subprocess.CalledProcessError):
        log = folder / "postgres.log"
        if log.exists():
            print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        if server is not None:
            server.stop(timeout=15)
            say("PostgreSQL stopped")
        shutil.rmtree(folder, ignore_errors=True)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through every `finally` above


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--only", choices=("sqlite", "postgres"), help="run one leg only"
    )
    options, pytest_args = parser.parse_known_args()
    signal.signal(signal.SIGTERM, _terminate)
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    results: dict[str, str] = {}
    started = time.monotonic()

    if options.only in (None, "sqlite"):
        code = run_pytest("(a): SQLite + embedded Valkey", base_env, pytest_args)
        results["(a) SQLite + embedded Valkey"] = (
            "ok" if code == 0 else f"FAILED ({code})"
        )

    if options.only in (None, "postgres"):
        label = "(b) PostgreSQL + embedded Valkey"
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            print(
                f"{LOUD}\nLEG {label} SKIPPED: no PostgreSQL binaries in "
                f"/usr/lib/postgresql/*/bin (apt-get install postgresql, or set "
                f"PG_BIN)\n{LOUD}",
                flush=True,
            )
            results[label] = "SKIPPED (no PostgreSQL binaries)"
        else:
            with private_postgres(bin_dir) as url:
                code = run_pytest(
                    f"{label} [{bin_dir.parent.name}]",
                    base_env | {"DATABASE_URL": url},
                    pytest_args,
                )
            results[label] = "ok" if code == 0 else f"FAILED ({code})"

    banner(f"TEST LEGS ({time.monotonic() - started:.0f}s)")
    for label, outcome in results.items():
        print(f"leg {label}: {outcome}")
    return 0 if all(not r.startswith("FAILED") for r in results.values()) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("interrupted; everything this run started is stopped and deleted")
        sys.exit(130)
