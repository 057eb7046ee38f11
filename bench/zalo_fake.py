"""A stand-in for Zalo, for trying the Zalo channel against a running `make run`.

    # terminal 1: the fake OA API and OAuth server (prints every message the OA sends)
    .venv/bin/python bench/zalo_fake.py serve --port 8765
    # terminal 2: the stack, pointed at it
    ZALO_APP_ID=3046120455912390612 ZALO_APP_SECRET=demo-app-secret \
    ZALO_OA_ID=1797361543215623917 ZALO_OA_SECRET_KEY=demo-oa-secret \
    ZALO_ACCESS_TOKEN=access-1 ZALO_REFRESH_TOKEN=refresh-1 \
    ZALO_API_BASE_URL=http://127.0.0.1:8765 ZALO_OAUTH_BASE_URL=http://127.0.0.1:8765 \
    make run
    # terminal 3: a resident writes to the OA (a real signed user_send_text event)
    .venv/bin/python bench/zalo_fake.py send --url http://127.0.0.1:8000/hooks/zalo \
        --text "can giup kich hoat vneid o thon 5"

The served API answers like Zalo (`{"error": 0, ...}`; -216 once the access token is
expired with `--expire-after N`; a single-use refresh token). Not part of the tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

APP_ID = "3046120455912390612"
OA_ID = "1797361543215623917"
OA_SECRET = "demo-oa-secret"
USER = "8442312376520190315"


def serve(port: int, expire_after: int) -> None:
    state = {"access": "access-1", "refresh": "refresh-1", "sent": 0}

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            if "/user/detail" in self.path:
                return self._reply(
                    {"error": 0, "data": {"user_id": USER, "display_name": "Bà Lan"}}
                )
            self._reply({"error": 0, "data": {"oa_id": OA_ID, "name": "Cầu Nối"}})

        def do_POST(self) -> None:  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/v4/oa/access_token":
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                if form.get("refresh_token") != state["refresh"]:
                    return self._reply({"error": -14014, "error_name": "invalid"})
                n = int(state["refresh"].split("-")[1]) + 1
                state.update(access=f"access-{n}", refresh=f"refresh-{n}")
                print(f"refreshed: {state['access']}", flush=True)
                return self._reply(
                    {
                        "access_token": state["access"],
                        "refresh_token": state["refresh"],
                        "expires_in": "90000",
                    }
                )
            token = self.headers.get("access_token")
            if token != state["access"] or (
                expire_after and state["sent"] >= expire_after
            ):
                if expire_after and state["sent"] >= expire_after:
                    state["sent"] = -10_000  # expire once
                return self._reply({"error": -216, "message": "token expired"})
            state["sent"] += 1
            body = json.loads(raw)
            print(
                f"{self.path} → {body['recipient']}: {body['message']['text']}",
                flush=True,
            )
            self._reply({"error": 0, "data": {"message_id": f"out-{time.time_ns()}"}})

        def log_message(self, *args: object) -> None:
            pass

    print(f"fake Zalo on http://127.0.0.1:{port}", flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def send(url: str, text: str, secret: str, user: str = USER) -> None:
    event = {
        "app_id": APP_ID,
        "user_id_by_app": "5528173309129036471",
        "event_name": "user_send_text",
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": user},
        "recipient": {"id": OA_ID},
        "message": {"text": text, "msg_id": f"msg-{time.time_ns()}"},
    }
    body = json.dumps(event, ensure_ascii=False).encode()
    mac = hashlib.sha256(
        APP_ID.encode() + body + event["timestamp"].encode() + secret.encode()
    ).hexdigest()
    request = urllib.request.Request(
        url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-ZEvent-Signature": f"mac={mac}",
        },
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        print(response.status, response.read().decode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve")
    serve_cmd.add_argument("--port", type=int, default=8765)
    serve_cmd.add_argument("--expire-after", type=int, default=0)
    send_cmd = commands.add_parser("send")
    send_cmd.add_argument("--url", default="http://127.0.0.1:8000/hooks/zalo")
    send_cmd.add_argument("--text", default="can giup kich hoat vneid o thon 5")
    send_cmd.add_argument("--secret", default=OA_SECRET)
    send_cmd.add_argument("--user", default=USER, help="the Zalo user id writing")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.port, args.expire_after)
    else:
        send(args.url, args.text, args.secret, args.user)


if __name__ == "__main__":
    sys.exit(main())
