"""P2: how fast does the stack take in signed SMS webhooks, against a bare Django view?

Starts the stack as `bench/dispatch_latency.py` does (Valkey, Daphne serving
bench/bare_asgi.py, both task clusters) on a fresh SQLite database (or the PostgreSQL in
DATABASE_URL), then, from `--clients` concurrent clients, alternately posts:

- signed SMSGate webhooks to /hooks/smsgate, each a new SMS (`--sms` per round), and
- the same bodies to POST /bench/ok, a view that reads the body and answers through the
  same Daphne and middleware.

It prints calls per second of each (rounds interleaved, so both see the same machine),
their ratio, and then waits for the workers and checks that every SMS became exactly
one request.

    .venv/bin/python bench/intake.py --sms 500 --rounds 3 --clients 8

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import dispatch_latency as latency  # noqa: E402 - the bench folder is not a package


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sms", type=int, default=500, help="SMS per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--drain", type=float, default=600.0, help="seconds to wait")
    return parser.parse_args()


def envelope(i: int) -> tuple[bytes, dict[str, str]]:
    return latency.smsgate_sms(
        "p2",
        i,
        phone=f"09770{i:05d}",
        text=f"Can giup kich hoat VNeID muc 2 o thon {i % 10 + 1}",
    )


async def post_all(session, url: str, calls: list, clients: int) -> tuple[float, int]:
    """Post every (body, headers) with `clients` at a time; (seconds, failures)."""
    queue: asyncio.Queue = asyncio.Queue()
    for call in calls:
        queue.put_nowait(call)
    failures = 0

    async def client() -> None:
        nonlocal failures
        while not queue.empty():
            body, headers = queue.get_nowait()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                failures += response.status != 200

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return time.perf_counter() - started, failures


async def measure(args, port: int) -> tuple[list[float], list[float], int]:
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    hook_rates, bare_rates, failures = [], [], 0
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0)
    ) as session:
        warm = [envelope(10**6 + i) for i in range(50)]
        await post_all(session, f"{base}/bench/ok", warm, args.clients)
        for r in range(args.rounds):
            calls = [envelope(r * args.sms + i) for i in range(args.sms)]
            seconds, failed = await post_all(
                session, f"{base}/bench/ok", calls, args.clients
            )
            bare_rates.append(args.sms / seconds)
            failures += failed
            seconds, failed = await post_all(
                session, f"{base}/hooks/smsgate", calls, args.clients
            )
            hook_rates.append(args.sms / seconds)
            failures += failed
            print(
                f"  round {r + 1}: webhook {hook_rates[-1]:.0f}/s, "
                f"bare view {bare_rates[-1]:.0f}/s",
                flush=True,
            )
    return hook_rates, bare_rates, failures


def check_requests(expected: int, drain: float) -> None:
    from dispatch.models import HelpRequest, InboundMessage

    deadline = time.monotonic() + drain
    while time.monotonic() < deadline:
        if not InboundMessage.objects.filter(processed_at__isnull=True).exists():
            break
        time.sleep(1)
    requests = HelpRequest.objects.count()
    rows = InboundMessage.objects.count()
    linked = (
        InboundMessage.objects.filter(request__isnull=False)
        .values("request")
        .distinct()
        .count()
    )
    print(
        f"  SMS posted: {expected}; inbound rows: {rows}; requests: {requests}; "
        f"SMS with their own request: {linked}"
    )
    ok = requests == rows == linked == expected
    print("  every SMS exactly one request:", "PASS" if ok else "FAIL")


def main() -> None:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="caunoi-p2-"))
    env = latency.setup_environment(folder)
    sys.path.insert(0, str(latency.BASE_DIR))
    import django

    django.setup()
    from dispatch.management import stack

    port = stack.free_port()
    latency.build_commune(volunteers=20, teams=10)
    children = latency.start_stack(env, port, folder)
    try:
        print(f"P2: {args.rounds} rounds of {args.sms} SMS, {args.clients} clients")
        hooks, bares, failures = asyncio.run(measure(args, port))
        hook, bare = statistics.median(hooks), statistics.median(bares)
        print(f"  failures (not 200): {failures}")
        print(
            f"P2 line: webhook {hook:.0f} calls/s, bare view {bare:.0f} calls/s: "
            f"×{hook / bare:.2f} (median of {args.rounds} interleaved rounds)"
        )
        check_requests(args.rounds * args.sms, args.drain)
    finally:
        stack.stop_all(children[:-1], timeout=30)
        stack.stop_all(children[-1:], timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
