"""How fast does a neighbour's SMS ring a volunteer's phone? Measured on the real stack.

Starts `manage.py runstack` (Daphne + one qcluster + the embedded Valkey) on a fresh
SQLite database in a temporary folder, connects N volunteers over WebSocket to
/ws/volunteer/, then posts M signed SMSGate webhooks at a steady rate. For every request
it measures the time from posting the webhook to the first `offer.opened` on a socket of
the team it was offered to. In the same run it measures the bare Channels round trip on
the same server: `group_send` from this process → Daphne → the volunteer's socket.

    .venv/bin/python bench/dispatch_latency.py --volunteers 200 --webhooks 500 --rate 2

Prints p50/p95/p99 of both and their ratio. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
SIGNING_KEY = "bench-smsgate-signing-key"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=200, help="WebSockets (N)")
    parser.add_argument("--webhooks", type=int, default=500, help="inbound SMS (M)")
    parser.add_argument("--rate", type=float, default=2.0, help="webhooks per second")
    parser.add_argument("--teams", type=int, default=10, help="village teams")
    parser.add_argument("--pings", type=int, default=0, help="bare round trips (=M)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--drain", type=float, default=120.0, help="seconds to wait")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    return parser.parse_args()


def setup_environment(folder: Path) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CAUNOI_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "SMSGATE_SIGNING_KEY": SIGNING_KEY,
        "SMS_BACKEND": "console",
        "PYTHONUNBUFFERED": "1",
        # The hot queue as `make run` has it; TASK_HOT_QUEUE=off measures the ORM broker.
        "TASK_HOT_QUEUE": os.environ.get("TASK_HOT_QUEUE", "on"),
    }
    os.environ.update(env)
    os.environ.pop("REDIS_URL", None)
    return env


def build_commune(*, volunteers: int, teams: int) -> list[tuple[int, int, str]]:
    """A commune with `teams` village teams sharing the volunteers; their sessions."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from teams.models import Commune, SupportTeam, Village, Volunteer

    call_command("migrate", verbosity=0)
    commune = Commune.objects.create(
        name="Đức An", code="DA", province="Lâm Đồng", lat=11.93, lng=107.62,
        hotline_numbers=["+84368000123"],
    )  # fmt: skip
    team_rows = []
    for k in range(1, teams + 1):
        lat, lng = 11.90 + 0.02 * (k % 5), 107.60 + 0.02 * (k // 5)
        village = Village.objects.create(
            commune=commune, name=f"Thôn {k}", kind="thon", number=k, lat=lat, lng=lng
        )
        team = SupportTeam.objects.create(
            commune=commune, name=f"Tổ Thôn {k}", base_lat=lat, base_lng=lng
        )
        team.villages.set([village])
        team_rows.append(team)
    users = get_user_model()
    sockets = []
    for i in range(volunteers):
        team = team_rows[i % teams]
        user = users.objects.create_user(f"bench{i:04d}")
        volunteer = Volunteer.objects.create(
            user=user,
            team=team,
            full_name=f"Tình nguyện viên {i}",
            phone=f"+849130{i:05d}",
            on_duty=True,
            capacity=50,
        )
        client = Client()
        client.force_login(user)
        sockets.append((volunteer.pk, team.pk, client.cookies["sessionid"].value))
    return sockets


def start_stack(env: dict[str, str], port: int, folder: Path):
    """What `manage.py runstack` starts (Valkey, Daphne, both task clusters), with
    Daphne serving bench/bare_asgi.py: the real app plus the baselines' endpoints."""
    from dispatch.management import stack

    socket_path = folder / "valkey.sock"
    env = {**env, "REDIS_URL": f"unix://{socket_path}",
           "PYTHONPATH": str(BASE_DIR / "bench")}  # fmt: skip
    valkey = stack.valkey_child(socket_path)
    stack.start_valkey(valkey)
    children = stack.app_children(
        host="127.0.0.1", port=port, env=env, base_dir=BASE_DIR,
        hot_cluster=env["TASK_HOT_QUEUE"] not in ("off", "0", "false", "False"),
    )  # fmt: skip
    daphne = children[0]
    daphne.argv[-1] = "bare_asgi:application"
    for child in children:
        child.output = folder / f"{child.name}.log"
        child.start()

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own local server
                f"http://127.0.0.1:{port}/healthz", timeout=5
            ) as response:
                return response.status == 200
        except OSError:
            return False

    stack.wait_until(healthy, child=daphne, timeout=120, what="the stack to start")
    return [*children, valkey]


def percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


class Run:
    def __init__(self) -> None:
        self.sent_at: dict[str, float] = {}  # resident phone → webhook posted
        self.offer_seen: dict[str, float] = {}  # request code → first offer on a socket
        self.wall_sent: dict[str, float] = {}  # the same two, as wall-clock times, to
        self.wall_seen: dict[str, float] = {}  # split the path at the stored timestamps
        self.ping_sent: dict[int, float] = {}
        self.ping_seen: dict[int, float] = {}
        self.view_sent: dict[int, float] = {}
        self.view_seen: dict[int, float] = {}
        self.connected = 0
        self.errors: list[str] = []


async def volunteer_socket(session, url, origin, cookie, run: Run) -> None:
    async with session.ws_connect(
        url, headers={"Cookie": f"sessionid={cookie}", "Origin": origin}, heartbeat=20
    ) as ws:
        run.connected += 1
        async for frame in ws:
            now = time.perf_counter()
            message = json.loads(frame.data)
            kind = message.get("type")
            if kind == "offer.opened":
                run.offer_seen.setdefault(message["code"], now)
                run.wall_seen.setdefault(message["code"], time.time())
            elif kind == "bench.ping":
                run.ping_seen.setdefault(message["seq"], now)
            elif kind == "bench.viewping":
                run.view_seen.setdefault(message["seq"], now)


def smsgate_sms(prefix: str, i: int, *, phone: str, text: str) -> tuple[bytes, dict]:
    """SMS number `i` as SMSGate posts it (the recorded shape), with signed headers."""
    body = json.dumps(
        {
            "deviceId": "bench",
            "event": "sms:received",
            "id": f"{prefix}-{i}",
            "webhookId": "bench",
            "payload": {
                "messageId": f"{prefix}-msg-{i}",
                "message": text,
                "sender": phone,
                "recipient": "+84368000123",
                "phoneNumber": phone,
                "simNumber": 1,
                "receivedAt": "2026-11-22T14:46:11.000+07:00",
            },
        }
    ).encode()
    return body, signed_headers(body)


def signed_headers(body: bytes) -> dict[str, str]:
    """SMSGate's signature: HMAC-SHA256 of the body and the timestamp."""
    stamp = str(int(time.time()))
    signature = hmac.new(
        SIGNING_KEY.encode(), body + stamp.encode(), hashlib.sha256
    ).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Timestamp": stamp,
        "X-Signature": signature,
    }


async def post_webhooks(session, base: str, count: int, rate: float, teams: int, run):
    interval = 1.0 / rate
    start = time.perf_counter()
    for i in range(count):
        await asyncio.sleep(max(0.0, start + i * interval - time.perf_counter()))
        phone = f"09880{i:05d}"
        village = random.randint(1, teams)  # noqa: S311 - not cryptography
        body, headers = smsgate_sms(
            "bench",
            i,
            phone=phone,
            text=f"Can giup kich hoat VNeID muc 2 o thon {village}",
        )
        run.sent_at["+84" + phone[1:]] = time.perf_counter()
        run.wall_sent["+84" + phone[1:]] = time.time()
        asyncio.ensure_future(
            _post(session, f"{base}/hooks/smsgate", body, headers, run)
        )


async def _post(session, url, body, headers, run) -> None:
    try:
        async with session.post(url, data=body, headers=headers) as response:
            if response.status != 200:
                run.errors.append(f"webhook {response.status}")
    except Exception as error:  # noqa: BLE001 - counted and reported
        run.errors.append(repr(error))


async def bare_pings(volunteers, count: int, rate: float, run: Run) -> None:
    """group_send from this process through Redis to Daphne to a socket."""
    from channels.layers import get_channel_layer

    from dispatch.push import broadcast

    layer = get_channel_layer()
    interval = 1.0 / rate
    start = time.perf_counter()
    for seq in range(count):
        await asyncio.sleep(max(0.0, start + seq * interval - time.perf_counter()))
        volunteer_id = volunteers[seq % len(volunteers)][0]
        run.ping_sent[seq] = time.perf_counter()
        await layer.group_send(
            broadcast.volunteer_group(volunteer_id),
            {
                "type": broadcast.LIVE_EVENT,
                "message": {"type": "bench.ping", "event_id": None, "seq": seq},
            },
        )


async def view_pings(session, base, volunteers, count: int, rate: float, run: Run):
    """A view's group_send: POST /bench/push (bench/bare_asgi.py) through the same
    Daphne and middleware as the webhook, pushed with the app's `broadcast.send`."""
    interval = 1.0 / rate
    start = time.perf_counter()
    for seq in range(count):
        await asyncio.sleep(max(0.0, start + seq * interval - time.perf_counter()))
        volunteer_id = volunteers[(seq + 1) % len(volunteers)][0]
        body = json.dumps({"volunteer_id": volunteer_id, "seq": seq}).encode()
        run.view_sent[seq] = time.perf_counter()
        asyncio.ensure_future(_post_view(session, f"{base}/bench/push", body, run))


async def _post_view(session, url, body, run) -> None:
    try:
        async with session.post(url, data=body) as response:
            if response.status != 200:
                run.errors.append(f"bench view {response.status}")
    except Exception as error:  # noqa: BLE001 - counted and reported
        run.errors.append(repr(error))


async def measure(args, port: int, volunteers) -> Run:
    import aiohttp

    run = Run()
    base = f"http://127.0.0.1:{port}"
    ws_url = f"ws://127.0.0.1:{port}/ws/volunteer/"
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = []
        for _, _, cookie in volunteers:
            tasks.append(
                asyncio.ensure_future(
                    volunteer_socket(session, ws_url, base, cookie, run)
                )
            )
            await asyncio.sleep(0.005)
        deadline = time.perf_counter() + 120
        while run.connected < len(volunteers) and time.perf_counter() < deadline:
            await asyncio.sleep(0.2)
        print(f"connected sockets: {run.connected}/{len(volunteers)}", flush=True)
        await asyncio.sleep(2)  # let every hello snapshot arrive first
        pings = args.pings or args.webhooks
        ping_rate = args.rate * pings / args.webhooks
        await asyncio.gather(
            post_webhooks(session, base, args.webhooks, args.rate, args.teams, run),
            bare_pings(volunteers, pings, ping_rate, run),
            view_pings(session, base, volunteers, pings, ping_rate, run),
        )
        deadline = time.perf_counter() + args.drain
        while time.perf_counter() < deadline and (
            len(run.offer_seen) < args.webhooks
            or len(run.ping_seen) < pings
            or len(run.view_seen) < pings
        ):
            await asyncio.sleep(0.5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return run


def report(args, run: Run) -> None:
    from dispatch.models import HelpRequest, OutboundMessage

    phones = dict(
        HelpRequest.objects.filter(code__in=list(run.offer_seen)).values_list(
            "code", "resident_phone"
        )
    )
    dispatch_ms = [
        (seen - run.sent_at[phones[code]]) * 1000
        for code, seen in run.offer_seen.items()
        if phones.get(code) in run.sent_at
    ]
    bare_ms = [
        (run.ping_seen[seq] - run.ping_sent[seq]) * 1000
        for seq in run.ping_seen
        if seq in run.ping_sent
    ]
    view_ms = [
        (run.view_seen[seq] - run.view_sent[seq]) * 1000
        for seq in run.view_seen
        if seq in run.view_sent
    ]
    d, b, v = percentiles(dispatch_ms), percentiles(bare_ms), percentiles(view_ms)
    created = HelpRequest.objects.count()
    texted = OutboundMessage.objects.filter(purpose="offer").count()
    print()
    print(f"volunteers on sockets: {run.connected}   webhooks: {args.webhooks} "
          f"at {args.rate}/s   requests stored: {created}   "
          f"offers seen on sockets: {len(dispatch_ms)}   "
          f"offer SMS to offline volunteers: {texted}   errors: {len(run.errors)}")  # fmt: skip
    print(f"{'':34}{'p50':>10}{'p95':>10}{'p99':>10}")
    rows = [
        ("webhook → offer on socket (ms)", d),
        ("bare group_send → socket (ms)", b),
        ("a view's group_send → socket (ms)", v),
    ]
    for label, p in rows:
        print(f"{label:34}{p['p50']:10.1f}{p['p95']:10.1f}{p['p99']:10.1f}")
    for label, base in (("ratio to bare group_send", b), ("ratio to a view's", v)):
        print(f"{label:34}" + "".join(
            f"{d[k] / base[k]:10.1f}" if base[k] else f"{'-':>10}"
            for k in ("p50", "p95", "p99")
        ))  # fmt: skip
    print(
        f"P1 line: p50 ×{d['p50'] / b['p50']:.1f} p99 ×{d['p99'] / b['p99']:.1f} "
        f"(bare group_send); p50 ×{d['p50'] / v['p50']:.1f} p99 ×{d['p99'] / v['p99']:.1f} "
        f"(a view's group_send)"
    )
    split_path(run, phones)
    if run.errors:
        print("first errors:", run.errors[:5])


def split_path(run: Run, phones: dict[str, str]) -> None:
    """Where the time goes, from the rows' own timestamps (same machine, same clock):
    the webhook (posted → row stored), the task (stored → offer row written), the push
    (offer written → on the screen; includes the commit and the reply's commit)."""
    from dispatch.models import InboundMessage, Offer

    stored = dict(
        InboundMessage.objects.filter(request__code__in=list(run.offer_seen))
        .order_by("-id")
        .values_list("request__code", "received_at")
    )
    offered: dict[str, Any] = {}
    for code, at in (
        Offer.objects.filter(request__code__in=list(run.offer_seen))
        .order_by("-id")
        .values_list("request__code", "offered_at")
    ):
        offered[code] = at
    parts: dict[str, list[float]] = {"webhook": [], "task": [], "push": []}
    for code, seen in run.wall_seen.items():
        sent = run.wall_sent.get(phones.get(code, ""))
        if sent is None or code not in stored or code not in offered:
            continue
        row, offer = stored[code].timestamp(), offered[code].timestamp()
        parts["webhook"].append((row - sent) * 1000)
        parts["task"].append((offer - row) * 1000)
        parts["push"].append((seen - offer) * 1000)
    for name, values in parts.items():
        p = percentiles(values)
        print(f"{'  of which ' + name + ' (ms)':34}"
              f"{p['p50']:10.1f}{p['p95']:10.1f}{p['p99']:10.1f}")  # fmt: skip


def main() -> None:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="caunoi-bench-"))
    env = setup_environment(folder)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from dispatch.management import stack

    port = args.port or stack.free_port()
    print(f"building {args.volunteers} volunteers in {args.teams} teams …", flush=True)
    volunteers = build_commune(volunteers=args.volunteers, teams=args.teams)
    children = start_stack(env, port, folder)
    try:
        run = asyncio.run(measure(args, port, volunteers))
        report(args, run)
    finally:
        stack.stop_all(children[:-1], timeout=30)
        stack.stop_all(children[-1:], timeout=10)
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
