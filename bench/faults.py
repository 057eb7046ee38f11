"""Fault experiments on a real stack (Daphne + qcluster + Valkey), with printed results.

    .venv/bin/python bench/faults.py qcluster-kill     # (a)
    .venv/bin/python bench/faults.py redis-outage      # (b)
    .venv/bin/python bench/faults.py all

(a) qcluster-kill: a burst of SMS; halfway through, the task cluster is SIGKILLed (the
    supervisor, `runstack`, starts a new one). Offers time out after a few seconds and
    nobody accepts, so the sweep must expire and re-route them. Checks afterwards: every
    SMS became exactly one request, every inbound was handled once (one reply each),
    no overdue offer is left open, no round was offered twice.
(b) redis-outage: volunteers are connected; Redis is stopped; SMS keep arriving; Redis
    comes back (empty: no persistence). Checks: requests were stored and routed during
    the outage, the SMS fallback texted the volunteers (their presence was unknown),
    volunteers that reconnect with their last event_id receive the offers they missed,
    and a new SMS after the outage reaches a connected screen live — without restarting
    Daphne or the cluster.

Loopback only; every wait is bounded. Settings (offer timeouts, sweep) are shortened
through the environment, nothing else is changed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - the stack helpers of bench/load.py

BASE = load.BASE


def stack_env(var: Path, **extra: str) -> dict[str, str]:
    env = load.environment(var, os.environ.get("DATABASE_URL"))
    env.update(extra)
    return env


def start(env: dict[str, str], var: Path) -> tuple[subprocess.Popen, str]:
    port = __import__("dispatch.management.stack", fromlist=["free_port"]).free_port()
    log = open(var / "runstack.log", "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runstack", "--port", str(port)],
        cwd=BASE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    load.wait_healthy(f"{base}/healthz", proc)
    return proc, base


def prepare(env: dict[str, str], volunteers: int) -> tuple[list[str], list[str]]:
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE,
        env=env,
        check=True,
    )
    subprocess.run(
        [sys.executable, "manage.py", "setup_schedules"],
        cwd=BASE,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return load.seed(volunteers)


def wait(what: str, check, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(1)
    raise SystemExit(f"FAILED: {what} not reached within {timeout:.0f}s")


def report(name: str, ok: bool) -> bool:
    print(f"  {'PASS' if ok else 'FAIL'}: {name}", flush=True)
    return ok


# --- (a) -------------------------------------------------------------------------------------


def qcluster_kill(args) -> bool:
    var = Path(tempfile.mkdtemp(prefix="caunoi-fault-a-"))
    env = stack_env(
        var,
        DISPATCH_OFFER_TIMEOUT_NORMAL="8",
        DISPATCH_OFFER_TIMEOUT_PRIORITY="8",
        DISPATCH_OFFER_TIMEOUT_URGENT="8",
    )
    _cookies, villages = prepare(env, volunteers=46)
    proc, base = start(env, var)
    from django.db.models import Count, Q

    from dispatch.models import HelpRequest, InboundMessage, Offer, OutboundMessage

    try:
        print(f"(a) {args.sms} SMS ×2; SIGKILL the qcluster after {args.sms // 2}")
        first = load.burst(base, args.sms // 2, 4, villages)
        # Both clusters: the default one (ORM broker, schedules) and the hot one
        # (Redis): the tasks the hot cluster held are gone; the sweeps must find them.
        victims = direct_children(proc.pid, "qcluster")
        killed_at = time.monotonic()
        for victim in victims:
            kill_tree(victim)
        print(f"  {len(victims)} qclusters {victims} and their workers SIGKILLed")
        rest = [args.sms // 2 + i for i in range(args.sms - args.sms // 2)]
        with load.ThreadPoolExecutor(max_workers=4) as pool:
            list(
                pool.map(
                    lambda i: [
                        load.post(
                            f"{base}/hooks/smsgate", load.envelope(i, villages[i % 23])
                        )
                        for _ in range(2)
                    ],
                    rest,
                )
            )
        wait(
            "new qclusters",
            lambda: (
                len(set(direct_children(proc.pid, "qcluster")) - set(victims))
                == len(victims)
            ),
            60,
        )
        print(f"  new qclusters up {time.monotonic() - killed_at:.0f}s after the kill")
        # Tasks the dead cluster held come back after Q_CLUSTER.retry (90 s).
        took = wait(
            "every SMS handled",
            lambda: (
                not InboundMessage.objects.filter(processed_at__isnull=True).exists()
                and HelpRequest.objects.count() >= args.sms
            ),
            args.timeout,
        )
        print(f"  every SMS handled {took:.0f}s later; waiting for offers to time out")
        time.sleep(20)  # > offer timeout + a sweep beat
        wait(
            "no overdue open offer",
            lambda: (
                not Offer.objects.filter(
                    state="open", expires_at__lt=load_now() - _seconds(5)
                ).exists()
            ),
            180,
        )
        requests = HelpRequest.objects.count()
        inbound = InboundMessage.objects.filter(
            provider_id__startswith="bench-"
        ).count()
        replies = OutboundMessage.objects.filter(
            dedupe_key__startswith="reply:"
        ).count()
        expired = Offer.objects.filter(state="expired").count()
        rounds = (
            HelpRequest.objects.annotate(
                offers_n=Count("offers", distinct=True),
                rounds_n=Count("offers__round", distinct=True),
                created_n=Count(
                    "events", filter=Q(events__kind="created"), distinct=True
                ),
            )
            .filter(Q(created_n__gt=1) | ~Q(offers_n=models_f("rounds_n")))
            .count()
        )
        print(
            f"  first half sent in {first[0]:.1f}s; expired offers re-routed: {expired}"
        )
        ok = all(
            [
                report(f"{requests} requests for {args.sms} SMS", requests == args.sms),
                report(
                    f"{inbound} inbound rows for {2 * args.sms} deliveries",
                    inbound == args.sms,
                ),
                report(f"{replies} replies, one per SMS", replies == args.sms),
                report(
                    "no request created twice or offered the same round twice",
                    rounds == 0,
                ),
                report(
                    "overdue offers expired and moved on (rounds > 1 exist)",
                    Offer.objects.filter(round__gt=1).exists(),
                ),
            ]
        )
        return ok
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        print(f"  (logs in {var})")


def direct_child(pid: int, marker: str) -> int | None:
    import psutil

    for child in psutil.Process(pid).children(recursive=False):
        try:
            if marker in " ".join(child.cmdline()):
                return child.pid
        except psutil.Error:
            continue
    return None


def direct_children(pid: int, marker: str) -> list[int]:
    import psutil

    found = []
    for child in psutil.Process(pid).children(recursive=False):
        try:
            if marker in " ".join(child.cmdline()):
                found.append(child.pid)
        except psutil.Error:
            continue
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL a process and everything it started: a crash, not a shutdown."""
    import psutil

    root = psutil.Process(pid)
    for process in [*root.children(recursive=True), root]:
        try:
            process.send_signal(signal.SIGKILL)
        except psutil.Error:
            continue


def load_now():
    from django.utils import timezone

    return timezone.now()


def _seconds(n: int):
    from datetime import timedelta

    return timedelta(seconds=n)


def models_f(name: str):
    from django.db.models import F

    return F(name)


# --- (b) -------------------------------------------------------------------------------------


def redis_outage(args) -> bool:
    from dispatch.management import stack

    var = Path(tempfile.mkdtemp(prefix="caunoi-fault-b-"))
    sock = var / "redis" / "valkey.sock"
    sock.parent.mkdir()
    valkey = stack.valkey_child(sock)
    stack.start_valkey(valkey)
    env = stack_env(var, REDIS_URL=f"unix://{sock}")
    cookies, villages = prepare(env, volunteers=23)
    proc, base = start(env, var)
    _RUNSTACK[:] = [proc.pid]
    from dispatch.models import HelpRequest, OutboundMessage

    ws_url = base.replace("http://", "ws://") + "/ws/volunteer/"
    try:
        print("(b) 23 volunteers connected; Redis stopped; 10 SMS; Redis back; resume")
        result = asyncio.run(outage_run(ws_url, base, cookies, villages, valkey))
        during = HelpRequest.objects.filter(
            inbound_messages__provider_id__startswith="outage-"
        )
        routed = during.filter(routed_at__isnull=False).count()
        fallback = OutboundMessage.objects.filter(
            purpose="offer", request__in=during
        ).count()
        return all(
            [
                report(
                    f"{during.count()} of 10 SMS stored during the outage",
                    during.count() == 10,
                ),
                report(f"{routed} of them routed during the outage", routed == 10),
                report(
                    f"SMS fallback texted volunteers {fallback} times", fallback > 0
                ),
                report(
                    f"after reconnecting with event_id, screens got "
                    f"{result['resumed']} of 10 missed offers",
                    result["resumed"] == 10,
                ),
                report(
                    "a new SMS after the outage reached a live screen "
                    f"({result['live_after']})",
                    result["live_after"],
                ),
                report(
                    "Daphne and the cluster were never restarted",
                    result["pids_before"] == _app_pids(proc.pid),
                ),
            ]
        )
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        valkey.stop()
        print(f"  (logs in {var})")


async def outage_run(ws_url, base, cookies, villages, valkey) -> dict:
    from websockets.asyncio.client import connect

    origin = base
    pids_before = _app_pids(_runstack_pid())
    sockets = [
        await connect(ws_url, origin=origin, additional_headers={"Cookie": c})
        for c in cookies
    ]
    cursors = []
    for ws in sockets:
        hello = json.loads(await ws.recv())
        cursors.append(hello["event_id"])
    valkey.stop()
    print("  Redis stopped")
    await asyncio.to_thread(
        lambda: [
            load.post(f"{base}/hooks/smsgate", _env(f"outage-{i}", villages[i]))
            for i in range(10)
        ]
    )
    await asyncio.to_thread(
        wait,
        "10 routed requests",
        lambda: (
            __import__("dispatch.models", fromlist=["HelpRequest"])
            .HelpRequest.objects.filter(
                inbound_messages__provider_id__startswith="outage-",
                routed_at__isnull=False,
            )
            .count()
            == 10
        ),
        120,
    )
    print("  10 SMS stored and routed while Redis was down")
    for ws in sockets:
        await ws.close()
    await asyncio.sleep(5)  # a few seconds of outage after the burst
    __import__("dispatch.management.stack", fromlist=["start_valkey"]).start_valkey(
        valkey
    )
    await asyncio.sleep(3)
    print(
        "  Redis started again (empty); volunteers reconnect with their last event_id"
    )
    resumed: set[int] = set()
    fresh = []
    for cookie, cursor in zip(cookies, cursors, strict=True):
        ws = await connect(
            f"{ws_url}?event_id={cursor}",
            origin=origin,
            additional_headers={"Cookie": cookie},
        )
        fresh.append(ws)
    deadline = time.monotonic() + 30
    for ws in fresh:
        while time.monotonic() < deadline:
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=1))
            except TimeoutError:
                break
            if message.get("type") == "offer.opened":
                resumed.add(message["request_id"])
    await asyncio.to_thread(
        load.post, f"{base}/hooks/smsgate", _env("after-1", villages[0])
    )
    live_after = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not live_after:
        for ws in fresh:
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.2))
            except TimeoutError:
                continue
            if (
                message.get("type") == "offer.opened"
                and message["request_id"] not in resumed
            ):
                live_after = True
                break
    for ws in fresh:
        await ws.close()
    return {
        "resumed": len(resumed),
        "live_after": live_after,
        "pids_before": pids_before,
    }


_RUNSTACK: list[int] = []


def _app_pids(root: int) -> list[int | None]:
    return [direct_child(root, "daphne"), *direct_children(root, "qcluster")]


def _runstack_pid() -> int:
    return _RUNSTACK[0]


def _env(provider_id: str, village: str) -> bytes:
    body = json.loads(load.envelope(0, village))
    body["id"] = body["payload"]["messageId"] = provider_id
    body["payload"]["sender"] = "+8497" + str(abs(hash(provider_id)) % 10**7).zfill(7)
    return json.dumps(body).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=("qcluster-kill", "redis-outage", "all"))
    parser.add_argument("--sms", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=400)
    args = parser.parse_args()
    if args.which == "all":
        # Each experiment in a process of its own: each builds its own database, and
        # this process's Django would keep its connection to the first one.
        codes = [
            subprocess.call(
                [
                    sys.executable,
                    __file__,
                    which,
                    "--sms",
                    str(args.sms),
                    "--timeout",
                    str(args.timeout),
                ]
            )  # fmt: skip
            for which in ("qcluster-kill", "redis-outage")
        ]
        print("ALL PASS" if not any(codes) else "SOME CHECKS FAILED")
        sys.exit(1 if any(codes) else 0)
    results = []
    if args.which == "qcluster-kill":
        results.append(qcluster_kill(args))
    if args.which == "redis-outage":
        results.append(redis_outage(args))
    print("ALL PASS" if all(results) else "SOME CHECKS FAILED")
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
