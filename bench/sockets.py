"""What does opening a volunteer socket cost? Measured against a bare consumer.

Starts the embedded Valkey and one Daphne serving the real app plus a bare consumer
(bench/bare_asgi.py) on a fresh SQLite database, signs N volunteers in, then:

1. connect time: M connects, alternating a volunteer socket (/ws/volunteer/, session
   cookie) and the bare one, each timed from the TCP connect to the first message;
2. a reconnect storm: every volunteer at once, time until all have their hello;
3. idle memory: K sockets of each kind held open (opened `--batch` at a time), each
   kind on a fresh Daphne, Daphne's RSS growth per connection.

    .venv/bin/python bench/sockets.py --volunteers 200 --connects 300 --idle 2000

For 10,000 idle sockets raise the open-files limit of the shell first (`ulimit -n
20000`): the bench process holds one end of every socket, Daphne the other.

Prints the three ratios on one line for the README. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - the stack helpers of bench/load.py

BASE = load.BASE


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--connects", type=int, default=300)
    parser.add_argument("--idle", type=int, default=2000)
    parser.add_argument(
        "--batch", type=int, default=50, help="idle sockets opened at once"
    )
    return parser.parse_args()


async def first_message(url: str, cookie: str | None, origin: str) -> float:
    from websockets.asyncio.client import connect

    headers = {"Cookie": cookie} if cookie else {}
    started = time.perf_counter()
    async with connect(url, origin=origin, additional_headers=headers) as ws:
        await ws.recv()
        took = time.perf_counter() - started
    return took


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def connect_times(
    base: str, cookies: list[str], n: int
) -> dict[str, list[float]]:
    ws = base.replace("http", "ws")
    times: dict[str, list[float]] = {"volunteer": [], "bare": []}
    for i in range(n):
        times["bare"].append(await first_message(f"{ws}/ws/bare/", None, base))
        cookie = cookies[i % len(cookies)]
        times["volunteer"].append(
            await first_message(f"{ws}/ws/volunteer/", cookie, base)
        )
    return times


async def storm(base: str, cookies: list[str], path: str) -> tuple[float, int]:
    """Everyone at once; a refused connect retries after the client's jittered
    backoff (volunteer.js: 1 s × 0.5–1.5, doubling). (seconds until all in, retries)"""
    import random

    ws = base.replace("http", "ws")
    retries = 0

    async def one(cookie: str | None) -> None:
        nonlocal retries
        for attempt in range(8):
            try:
                await first_message(f"{ws}{path}", cookie, base)
                return
            except (OSError, Exception):  # noqa: BLE001 - refused or reset: back off
                retries += 1
                await asyncio.sleep(2**attempt * (0.5 + random.random()))  # noqa: S311

    started = time.perf_counter()
    await asyncio.gather(*[one(c if "volunteer" in path else None) for c in cookies])
    return time.perf_counter() - started, retries


async def idle_memory(
    base: str, cookies: list[str], path: str, count: int, pid: int, batch: int
) -> tuple[float, float]:
    """Open `count` sockets, `batch` at a time, and hold them: (RSS growth per
    connection in bytes, seconds it took to open them all)."""
    from websockets.asyncio.client import connect

    ws = base.replace("http", "ws")
    before = load.rss(pid)

    async def open_one(i: int):  # type: ignore[no-untyped-def]
        headers = {"Cookie": cookies[i % len(cookies)]} if "volunteer" in path else {}
        for attempt in range(6):
            try:
                sock = await connect(
                    f"{ws}{path}", origin=base, additional_headers=headers
                )
                await sock.recv()
                return sock
            except Exception:  # noqa: BLE001 - refused under load: back off, retry
                await asyncio.sleep(2**attempt)
        raise SystemExit(f"could not open socket {i} of {path}")

    started = time.perf_counter()
    sockets = []
    for start in range(0, count, batch):
        sockets += await asyncio.gather(
            *(open_one(i) for i in range(start, min(count, start + batch)))
        )
    took = time.perf_counter() - started
    await asyncio.sleep(2)
    per = (load.rss(pid) - before) / count
    await asyncio.gather(*[s.close() for s in sockets])
    await asyncio.sleep(2)
    return per, took


def start_daphne(env: dict[str, str], port: int) -> subprocess.Popen:
    argv = [sys.executable, "-m", "daphne", "-v", "0", "-p", str(port)]
    return subprocess.Popen([*argv, "bare_asgi:application"], cwd=BASE, env=env)  # noqa: S603


def main() -> None:
    args = parse_args()
    from dispatch.management import stack

    var = Path(tempfile.mkdtemp(prefix="caunoi-sockets-"))
    env = load.environment(var, os.environ.get("DATABASE_URL"))
    socket_path = var / "valkey.sock"
    env["REDIS_URL"] = f"unix://{socket_path}"
    env["PYTHONPATH"] = os.pathsep.join([str(BASE / "bench"), str(BASE)])
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE,
        env=env,
        check=True,
    )
    valkey = stack.valkey_child(socket_path)
    stack.start_valkey(valkey)
    cookies, _villages = load.seed(args.volunteers)
    port = stack.free_port()
    daphne = start_daphne(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        load.wait_healthy(f"{base}/healthz", daphne)
        times = asyncio.run(connect_times(base, cookies, args.connects))
        vol, bare = times["volunteer"], times["bare"]
        print(f"connects: {args.connects} each, {args.volunteers} volunteers")
        print(f"{'':28}{'p50':>9}{'p99':>9}")
        for name, values in (
            ("volunteer socket (ms)", vol),
            ("bare consumer (ms)", bare),
        ):
            print(f"{name:28}{pct(values, 0.5):9.1f}{pct(values, 0.99):9.1f}")
        connect_ratio = statistics.median(vol) / statistics.median(bare)
        storm_vol, retried_vol = asyncio.run(storm(base, cookies, "/ws/volunteer/"))
        storm_bare, retried_bare = asyncio.run(storm(base, cookies, "/ws/bare/"))
        print(
            f"storm: {len(cookies)} at once: volunteer {storm_vol:.2f}s "
            f"({retried_vol} retries), bare {storm_bare:.2f}s ({retried_bare} retries)"
        )
        # Each kind on a Daphne of its own: freed memory stays with the process, so a
        # second measurement in the same one would reuse the first one's.
        mem = {}
        for path in ("/ws/volunteer/", "/ws/bare/"):
            daphne.terminate()
            daphne.wait(timeout=30)
            daphne = start_daphne(env, port)
            load.wait_healthy(f"{base}/healthz", daphne)
            mem[path] = asyncio.run(
                idle_memory(base, cookies, path, args.idle, daphne.pid, args.batch)
            )
        (mem_vol, took_vol), (mem_bare, took_bare) = (
            mem["/ws/volunteer/"],
            mem["/ws/bare/"],
        )
        print(
            f"idle: {args.idle} sockets ({args.batch} opened at once): volunteer "
            f"{mem_vol / 1024:.1f} KiB/conn (opened in {took_vol:.0f} s), "
            f"bare {mem_bare / 1024:.1f} KiB/conn (opened in {took_bare:.0f} s)"
        )
        print(
            f"RATIOS connect p50 {connect_ratio:.2f}x bare; storm "
            f"{storm_vol / storm_bare:.2f}x bare; idle memory "
            f"{mem_vol / max(mem_bare, 1):.2f}x bare per connection"
        )
    finally:
        daphne.terminate()
        daphne.wait(timeout=30)
        valkey.stop()


if __name__ == "__main__":
    main()
