"""Load: a burst of inbound SMS (each delivered twice, as providers retry) while
volunteers are connected over WebSocket; then idle WebSocket capacity.

    .venv/bin/python bench/load.py                       # scaled for a 2-core laptop
    .venv/bin/python bench/load.py --sms 10000 --volunteers 500 --idle 5000
    DATABASE_URL=postgres://… .venv/bin/python bench/load.py --sms 10000

It builds a private stack in a temporary folder (SQLite file or the PostgreSQL you name,
Valkey, one Daphne, one qcluster via `manage.py runstack`), seeds one commune with 23
village teams and N on-duty volunteers, connects them over WebSocket, posts the SMS to
/hooks/smsgate (signed) from `--senders` concurrent clients as fast as the stack answers,
then waits until every SMS has become a request. It prints:

- throughput (SMS accepted per second) and webhook latency p50/p95/p99;
- offer-delivery latency: from the first POST of an SMS to the first volunteer screen
  showing its offer (p50/p95/p99);
- the checks: exactly N requests, each routed exactly once, no duplicate from retries;
- idle capacity: WebSocket connections one Daphne process holds and its memory per
  connection, next to a bare Channels consumer in another Daphne, same run.

Loopback only; every loop is bounded by a count or a deadline. Not part of the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
# SMSGate's signing, as the P1 bench signs (the bench folder is not a package).
from dispatch_latency import SIGNING_KEY, signed_headers  # noqa: E402

HOTLINE = "+84368000123"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ms(values: list[float]) -> str:
    return " / ".join(f"{pct(values, q) * 1000:.0f}" for q in (50, 95, 99)) + " ms"


# --- the stack -----------------------------------------------------------------------------


def environment(var: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "CAUNOI_VAR_DIR": str(var),
        "SMS_BACKEND": "console",
        "SMSGATE_SIGNING_KEY": SIGNING_KEY,
        "LOG_LEVEL": "WARNING",
        "Q_WORKERS": os.environ.get("Q_WORKERS", "2"),
        # Bench traffic comes from one address and many phones: no abuse limits.
        "HELP_FORM_LIMIT_PER_IP": "1000000",
        "SMS_INTAKE_LIMIT_PER_HOUR": "1000000",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)  # runstack starts its own Valkey in CAUNOI_VAR_DIR
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    return env


def seed(volunteers: int) -> tuple[list[str], list[str]]:
    """One commune, 23 villages and teams, `volunteers` on duty; their session cookies."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from teams.models import Commune, SupportTeam, Village, Volunteer

    commune = Commune.objects.create(
        name="Đức An", code="DA", lat=11.93, lng=107.62, hotline_numbers=[HOTLINE]
    )
    villages = []
    for n in range(1, 24):
        lat, lng = 11.85 + (n % 6) * 0.02, 107.55 + (n // 6) * 0.03
        village = Village.objects.create(
            commune=commune, name=f"Thôn {n}", kind="thon", number=n, lat=lat, lng=lng
        )
        team = SupportTeam.objects.create(
            commune=commune, name=f"Tổ Thôn {n}", base_lat=lat, base_lng=lng
        )
        team.villages.set([village])
        villages.append(village)
    teams = list(SupportTeam.objects.order_by("pk"))
    users = get_user_model().objects
    cookies = []
    for i in range(volunteers):
        user = users.create_user(f"tnv{i:04d}")
        Volunteer.objects.create(
            user=user,
            team=teams[i % len(teams)],
            full_name=f"Tình nguyện viên {i}",
            phone=f"+849120{i:05d}",
            on_duty=True,
            capacity=5,
        )
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    return cookies, [v.name for v in villages]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the stack exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} not healthy after {timeout}s")


def daphne_pids(root_pid: int, marker: str) -> list[int]:
    import psutil

    found = []
    for child in psutil.Process(root_pid).children(recursive=True):
        try:
            if marker in " ".join(child.cmdline()):
                found.append(child.pid)
        except psutil.Error:
            continue
    return found


def wait_cluster(proc: subprocess.Popen, workers: int, timeout: float = 120) -> None:
    """Until a `manage.py qcluster` has forked its sentinel, pusher, monitor and
    workers: a cluster still starting during the burst would count as slow routing."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"an extra task cluster exited ({proc.returncode})")
        if len(psutil.Process(proc.pid).children(recursive=True)) >= workers + 3:
            time.sleep(1)
            return
        time.sleep(0.2)
    raise SystemExit("an extra task cluster did not start in time")


def rss(pid: int) -> int:
    import psutil

    return psutil.Process(pid).memory_info().rss


# --- the burst -----------------------------------------------------------------------------


def envelope(i: int, village: str, *, prefix: str = "bench") -> bytes:
    sender = "+8498" if prefix == "bench" else "+8497"
    return json.dumps(
        {
            "event": "sms:received",
            "id": f"{prefix}-{i}",
            "payload": {
                "messageId": f"{prefix}-{i}",
                "message": f"Cần giúp kích hoạt VNeID, tôi ở {village}",
                "sender": f"{sender}{i:07d}",
                "recipient": HOTLINE,
                "receivedAt": "2026-01-05T08:00:00.000+07:00",
            },
        }
    ).encode()


def post(url: str, body: bytes) -> float:
    request = urllib.request.Request(url, data=body, headers=signed_headers(body))
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        response.read()
        assert response.status == 200, response.status
    return time.monotonic() - started


async def volunteers_listen(
    ws_url: str, cookies: list[str], offers: dict[int, float], stop: asyncio.Event
) -> int:
    """Connect every volunteer; note when each request's offer first reaches a screen."""
    from websockets.asyncio.client import connect

    async def one(cookie: str) -> bool:
        try:
            async with connect(
                ws_url,
                origin=ws_url.replace("ws://", "http://").split("/ws/")[0],
                additional_headers={"Cookie": cookie},
                open_timeout=60,
                max_queue=None,
            ) as ws:
                hello = json.loads(await ws.recv())
                assert hello["type"] == "hello", hello
                connected.append(1)
                while not stop.is_set():
                    try:
                        raw = await asyncio.wait_for(ws.recv(), timeout=1)
                    except TimeoutError:
                        continue
                    message = json.loads(raw)
                    if message.get("type") == "offer.opened":
                        offers.setdefault(message["request_id"], time.time())
                return True
        except Exception as error:  # noqa: BLE001 - counted, reported
            failures.append(repr(error))
            return False

    connected: list[int] = []
    failures: list[str] = []
    tasks = [asyncio.create_task(one(c)) for c in cookies]
    deadline = time.monotonic() + 120
    while len(connected) + len(failures) < len(cookies) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    print(f"  volunteers connected: {len(connected)} of {len(cookies)}", flush=True)
    if failures:
        print(f"  connection failures: {len(failures)} e.g. {failures[0]}")
    ready.set()
    await stop.wait()
    await asyncio.gather(*tasks)
    return len(connected)


ready = asyncio.Event()


def burst(
    base: str, sms: int, senders: int, villages: list[str], rate: float = 0
) -> tuple:
    """Every SMS posted twice (the retry straight after), `senders` at a time; with a
    `rate` (new SMS per second) the posts are paced instead of as fast as possible."""
    latencies: list[float] = []
    first_post: dict[str, float] = {}
    begin = time.monotonic()

    def deliver(i: int) -> None:
        if rate:
            time.sleep(max(0.0, begin + i / rate - time.monotonic()))
        body = envelope(i, villages[i % len(villages)])
        first_post[f"bench-{i}"] = time.time()
        latencies.append(post(f"{base}/hooks/smsgate", body))
        latencies.append(post(f"{base}/hooks/smsgate", body))  # the provider's retry

    started = time.monotonic()
    first_post["start"] = time.time()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(pool.map(deliver, range(sms)))
    return time.monotonic() - started, latencies, first_post


def warm_up(base: str, sms: int, senders: int, villages: list[str]) -> None:
    """A running stack has handled SMS before: `sms` of them (their own phones, not
    counted below) go through every worker before the measured burst starts."""
    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(
            pool.map(
                lambda i: post(
                    f"{base}/hooks/smsgate",
                    envelope(i, villages[i % len(villages)], prefix="warm"),
                ),
                range(sms),
            )
        )
    waited = wait_processed(sms, 120)
    print(f"  warm-up: {sms} SMS handled {waited:.0f}s after posting", flush=True)


async def run_load(args, base: str, cookies: list[str], villages: list[str]) -> dict:
    offers: dict[int, float] = {}
    stop = asyncio.Event()
    ws_url = base.replace("http://", "ws://") + "/ws/volunteer/"
    listener = asyncio.create_task(volunteers_listen(ws_url, cookies, offers, stop))
    await asyncio.wait_for(ready.wait(), timeout=180)
    if args.warm:
        await asyncio.to_thread(warm_up, base, args.warm, args.senders, villages)
    elapsed, latencies, first_post = await asyncio.to_thread(
        burst, base, args.sms, args.senders, villages, args.rate
    )
    print(f"  burst sent in {elapsed:.1f}s; waiting for the workers", flush=True)
    done = await asyncio.to_thread(wait_processed, args.sms + args.warm, args.drain)
    await asyncio.sleep(3)  # the last pushes in flight
    stop.set()
    await listener
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "first_post": first_post,
        "offers": offers,
        "drained": done,
    }


def wait_processed(expected: int, timeout: float) -> float:
    from dispatch.models import HelpRequest, InboundMessage

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if (
            HelpRequest.objects.filter(routed_at__isnull=False).count() >= expected
            and not InboundMessage.objects.filter(processed_at__isnull=True).exists()
        ):
            return time.monotonic() - started
        time.sleep(1)
    return float("nan")


def burst_requests():
    """The burst's requests (not the warm-up's)."""
    from dispatch.models import HelpRequest

    return HelpRequest.objects.filter(
        pk__in=HelpRequest.objects.filter(
            inbound_messages__provider_id__startswith="bench-"
        ).values("pk")
    )


def checks(sms: int, first_post: dict[str, float], offers: dict[int, float]) -> None:
    from django.db.models import Count, Q

    from dispatch.models import InboundMessage

    requests = burst_requests().count()
    routed = burst_requests().annotate(
        n=Count("events", filter=Q(events__kind="routed"))
    )
    once = routed.filter(n=1).count()
    print(f"  requests: {requests} (expected exactly {sms})")
    print(
        f"  routed exactly once: {once}; routed twice or more: "
        f"{routed.filter(n__gt=1).count()}; never: {routed.filter(n=0).count()}"
    )
    inbound = InboundMessage.objects.filter(provider_id__startswith="bench-").count()
    print(f"  inbound rows: {inbound} for {2 * sms} deliveries")
    import csv

    with open(os.environ["CAUNOI_VAR_DIR"] + "/timeline.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["provider_id", "posted", "stored", "processed", "routed"])
        for row in InboundMessage.objects.filter(
            provider_id__startswith="bench-"
        ).values_list(
            "provider_id", "received_at", "processed_at", "request__routed_at"
        ):
            writer.writerow(
                [row[0], first_post.get(row[0], "")]
                + [t.timestamp() if t else "" for t in row[1:]]
            )
    delays, routing, pushing = [], [], []
    for provider_id, request_id, stored, routed_at in (
        InboundMessage.objects.filter(provider_id__startswith="bench-")
        .order_by("received_at")
        .values_list("provider_id", "request_id", "received_at", "request__routed_at")
    ):
        if routed_at is not None:
            routing.append((routed_at - stored).total_seconds())
        if request_id in offers and provider_id in first_post:
            delays.append(offers[request_id] - first_post[provider_id])
            if routed_at is not None:
                pushing.append(offers[request_id] - routed_at.timestamp())
    print(f"  offers seen on a volunteer screen: {len(delays)} of {requests}")
    print(f"  offer-delivery latency p50/p95/p99: {ms(delays)}")
    print(f"    of which stored → routed p50/p95/p99: {ms(routing)}")
    print(f"    and routed → on a screen p50/p95/p99: {ms(pushing)}")
    tenth = max(len(routing) // 10, 1)
    print(
        "    stored → routed, median by tenth of the burst (s): "
        + " ".join(
            f"{statistics.median(routing[i : i + tenth]):.1f}"
            for i in range(0, tenth * 10, tenth)
            if routing[i : i + tenth]
        )
    )
    assert requests == sms, "lost or duplicated requests"
    assert once == sms, "a request routed other than once"


def keeping_up(sms: int, start: float, elapsed: float) -> None:
    """Routed per second (first POST → last request routed) against accepted new SMS
    per second (first POST → last POST answered): at ≥ 1 the queue never grew."""
    from django.db.models import Max

    last = burst_requests().aggregate(last=Max("routed_at"))["last"]
    if last is None:
        return
    accepted = sms / elapsed
    routed = sms / max(last.timestamp() - start, elapsed)
    print(
        f"  accepted {accepted:.1f} new SMS/s, routed {routed:.1f}/s: "
        f"routed/accepted ×{routed / accepted:.2f}"
    )


# --- idle capacity -------------------------------------------------------------------------

BARE_APP = """
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["channels"], CHANNEL_LAYERS={})
django.setup()

class Bare(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()
        await self.send(text_data="{}")

application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/", Bare.as_asgi())])})
"""


async def hold(ws_url: str, count: int, cookies: list[str], origin: str) -> list:
    from websockets.asyncio.client import connect

    sockets = []
    for i in range(count):
        try:
            ws = await connect(
                ws_url,
                origin=origin,
                additional_headers={"Cookie": cookies[i % len(cookies)]}
                if cookies
                else {},
                open_timeout=30,
            )
            await asyncio.wait_for(ws.recv(), timeout=30)
        except Exception as error:  # noqa: BLE001 - the limit is what we measure
            print(f"    stopped at {i}: {error!r}")
            break
        sockets.append(ws)
    return sockets


async def idle_capacity(label: str, ws_url: str, pid: int, count: int, cookies) -> None:
    origin = ws_url.replace("ws://", "http://").split("/ws/")[0]
    await asyncio.sleep(1)
    before = rss(pid)
    started = time.monotonic()
    sockets = await hold(ws_url, count, cookies, origin)
    await asyncio.sleep(2)
    after = rss(pid)
    held = len(sockets)
    per = (after - before) / held if held else float("nan")
    print(
        f"  {label}: {held} idle connections held by one Daphne (pid {pid}), "
        f"RSS {before / 2**20:.0f} → {after / 2**20:.0f} MiB, "
        f"{per / 1024:.1f} KiB per connection, opened in {time.monotonic() - started:.0f}s"
    )
    for ws in sockets:
        await ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sms", type=int, default=2000)
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--idle", type=int, default=1000, help="0: skip")
    parser.add_argument(
        "--rate", type=float, default=0, help="new SMS/s (0: as fast as answered)"
    )
    parser.add_argument("--drain", type=float, default=900, help="seconds to wait")
    parser.add_argument(
        "--warm",
        type=int,
        default=0,
        help="SMS handled before the burst (a stack already running; 0: a cold start)",
    )
    parser.add_argument(
        "--hot-clusters",
        type=int,
        default=1,
        help="task clusters taking the hot queue (runstack starts one; more beside it)",
    )
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="caunoi-load-"))
    env = environment(var, os.environ.get("DATABASE_URL"))
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE,
        env=env,
        check=True,
    )
    cookies, villages = seed(args.volunteers)
    from dispatch.management import stack

    port, bare_port = stack.free_port(), stack.free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(var / "runstack.log", "ab")  # noqa: SIM115
    runstack = subprocess.Popen(
        [sys.executable, "manage.py", "runstack", "--port", str(port)],
        cwd=BASE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    (var / "bare_app.py").write_text(BARE_APP)
    bare = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-p", str(bare_port), "bare_app:application"],
        cwd=var,
        env={**env, "PYTHONPATH": str(var)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    extra = []
    try:
        wait_healthy(f"{base}/healthz", runstack)
        for _ in range(args.hot_clusters - 1):
            # As a second machine would run it: `manage.py qcluster` on the hot queue.
            extra.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "qcluster"],
                    cwd=BASE,
                    env={
                        **env,
                        "Q_CLUSTER_NAME": "caunoi-hot",
                        "REDIS_URL": f"unix://{var / 'valkey.sock'}",
                    },
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for cluster in extra:
            wait_cluster(cluster, int(env.get("Q_HOT_WORKERS", "2")))
        db = env["DATABASE_URL"].split(":")[0]
        print(
            f"load: {args.sms} SMS ×2, {args.volunteers} volunteers, "
            f"{args.senders} senders, database {db}, {os.cpu_count()} cores, "
            f"{args.hot_clusters} hot-queue cluster(s), "
            + (f"{args.warm} SMS before the burst" if args.warm else "cold start")
        )
        result = asyncio.run(run_load(args, base, cookies, villages))
        rate = 2 * args.sms / result["elapsed"]
        print(
            f"  throughput: {rate:.0f} webhook calls/s "
            f"({args.sms / result['elapsed']:.0f} new SMS/s), all answered 200"
        )
        print(f"  webhook latency p50/p95/p99: {ms(result['latencies'])}")
        print(
            f"  all SMS became routed requests {result['drained']:.0f}s after the burst"
        )
        keeping_up(args.sms, result["first_post"]["start"], result["elapsed"])
        checks(args.sms, result["first_post"], result["offers"])
        if not args.idle:
            return
        print("idle capacity (same run):")
        [pid] = daphne_pids(runstack.pid, "daphne")
        asyncio.run(
            idle_capacity(
                "Cầu Nối /ws/volunteer/ (auth, presence, snapshot)",
                base.replace("http://", "ws://") + "/ws/volunteer/",
                pid,
                args.idle,
                cookies,
            )
        )
        asyncio.run(
            idle_capacity(
                "bare Channels consumer",
                f"ws://127.0.0.1:{bare_port}/ws/",
                bare.pid,
                args.idle,
                [],
            )
        )
    finally:
        for cluster in extra:
            cluster.terminate()
            cluster.wait(timeout=60)
        bare.terminate()
        runstack.terminate()
        runstack.wait(timeout=60)
        bare.wait(timeout=30)
        print(f"(logs in {var})")


if __name__ == "__main__":
    main()
