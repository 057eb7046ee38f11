"""Provider boundary for tests: recorded payloads, real signatures, a local fake API."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from django.conf import settings
from twilio.request_validator import RequestValidator

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def twilio_signature(path: str, data: dict[str, str]) -> str:
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    return validator.compute_signature(settings.PUBLIC_BASE_URL + path, data)


def post_twilio(
    client, path: str, data: dict[str, str], *, signature: str | None = None
):
    """POST form data to a Twilio hook, signed like Twilio signs it."""
    sig = twilio_signature(path, data) if signature is None else signature
    return client.post(path, data, HTTP_X_TWILIO_SIGNATURE=sig)


def smsgate_headers(body: bytes, *, key: str | None = None, ts: int | None = None):
    stamp = str(int(time.time()) if ts is None else ts)
    secret = (settings.SMSGATE_SIGNING_KEY if key is None else key).encode()
    signature = hmac.new(secret, body + stamp.encode(), hashlib.sha256).hexdigest()
    return {"HTTP_X_SIGNATURE": signature, "HTTP_X_TIMESTAMP": stamp}


def post_smsgate(client, envelope: dict | bytes, **sign):
    body = envelope if isinstance(envelope, bytes) else json.dumps(envelope).encode()
    return client.post(
        "/hooks/smsgate",
        body,
        content_type="application/json",
        **smsgate_headers(body, **sign),
    )


class FakeProvider:
    """A real HTTP server on 127.0.0.1 that records requests and plays set answers."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answers: list[tuple[int, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length).decode(),
                    }
                )
                status, body = fake.answers.pop(0) if fake.answers else (200, {})
                # "204 No Content" has no body (Twilio's answer to a DELETE).
                data = b"" if status == 204 else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_PUT = do_POST  # noqa: N815
            do_PATCH = do_POST  # noqa: N815
            do_DELETE = do_POST  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, status: int, body: dict | None = None) -> None:
        self.answers.append((status, body or {}))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def twilio_message_json(sid: str, *, status: str = "queued") -> dict:
    """What Twilio's Messages.json answers on create (trimmed to the fields we read)."""
    return {
        "account_sid": settings.TWILIO_ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": "",
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": settings.TWILIO_FROM_NUMBER,
        "num_segments": "1",
        "sid": sid,
        "status": status,
        "to": "+84912345678",
        "uri": f"/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages/{sid}.json",
    }


def twilio_not_found_json(path: str) -> dict:
    """Twilio's 404 answer, e.g. to deleting a recording that is already gone."""
    return {
        "code": 20404,
        "message": f"The requested resource {path} was not found",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }


# --- Zalo Official Account -------------------------------------------------------------

ZALO_APP_ID = "3046120455912390612"
ZALO_OA_ID = "1797361543215623917"
ZALO_OA_SECRET_KEY = "test-zalo-oa-secret-key"
ZALO_APP_SECRET = "test-zalo-app-secret"
ZALO_USER = "8442312376520190315"


def zalo_event(name: str, **changes: Any) -> dict:
    """A recorded Zalo event (tests/fixtures/zalo/<name>.json), fields replaced."""
    event = fixture(f"zalo/{name}.json")
    message = changes.pop("message", None)
    event.update(changes)
    if message:
        event["message"] = {**event.get("message", {}), **message}
    return event


def zalo_signature(body: bytes, *, secret: str = ZALO_OA_SECRET_KEY) -> str:
    """`mac=` + sha256(app_id + raw body + timestamp + OA secret key), as Zalo signs."""
    payload = json.loads(body)
    base = (
        str(payload["app_id"]).encode()
        + body
        + str(payload["timestamp"]).encode()
        + secret.encode()
    )
    return "mac=" + hashlib.sha256(base).hexdigest()


def post_zalo(client, event: dict | bytes, *, signature: str | None = None):
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return client.post(
        "/hooks/zalo",
        body,
        content_type="application/json",
        HTTP_X_ZEVENT_SIGNATURE=zalo_signature(body)
        if signature is None
        else signature,
    )


class FakeZalo:
    """openapi.zalo.me, oauth.zaloapp.com and the ZNS API as one real local HTTP server.

    It keeps the token pair like Zalo: a message with an expired access token answers
    error -216; a refresh token works once and is replaced by a new pair.
    """

    def __init__(self) -> None:
        self.access_token = "access-1"
        self.refresh_token = "refresh-1"
        self.expired: set[str] = set()
        self.refreshes = 0
        self.refresh_delay = 0.0
        self.messages: list[dict[str, Any]] = []
        self.templates: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.display_name = "Bà Lan"
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                fake.requests.append({"method": "GET", "path": self.path})
                if fake.token_error(self.headers.get("access_token", "")):
                    return self._reply(fake.token_error(self.headers["access_token"]))
                if self.path.startswith("/v3.0/oa/user/detail"):
                    return self._reply(
                        {
                            "error": 0,
                            "message": "Success",
                            "data": {
                                "user_id": ZALO_USER,
                                "display_name": fake.display_name,
                                "user_is_follower": True,
                            },
                        }
                    )
                if self.path.startswith("/v2.0/oa/getoa"):
                    return self._reply(
                        {
                            "error": 0,
                            "message": "Success",
                            "data": {"oa_id": ZALO_OA_ID, "name": "Cầu Nối Đức An"},
                        }
                    )
                self._reply({"error": -1, "message": "unknown path"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                fake.requests.append({"method": "POST", "path": self.path, "body": raw})
                if self.path == "/v4/oa/access_token":
                    return self._reply(fake.refresh(self.headers, raw))
                if error := fake.token_error(self.headers.get("access_token", "")):
                    return self._reply(error)
                body = json.loads(raw)
                if self.path == "/v3.0/oa/message/cs":
                    with fake.lock:
                        fake.messages.append(body)
                        number = len(fake.messages)
                    return self._reply(
                        {
                            "error": 0,
                            "message": "Success",
                            "data": {
                                "message_id": f"zalo-out-{number}",
                                "user_id": body["recipient"]["user_id"],
                            },
                        }
                    )
                if self.path == "/message/template":
                    fake.templates.append(body)
                    return self._reply({"error": 0, "data": {"msg_id": "zns-1"}})
                self._reply({"error": -1, "message": "unknown path"}, 404)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def token_error(self, token: str) -> dict | None:
        if token in self.expired:
            return {"error": -216, "message": "Access token is invalid"}
        if token != self.access_token:
            return {"error": -124, "message": "Access token is invalid"}
        return None

    def expire_access_token(self) -> None:
        self.expired.add(self.access_token)

    def refresh(self, headers: Any, raw: str) -> dict:
        from urllib.parse import parse_qs

        form = {k: v[0] for k, v in parse_qs(raw).items()}
        time.sleep(self.refresh_delay)
        with self.lock:
            if (
                headers.get("secret_key") != ZALO_APP_SECRET
                or form.get("app_id") != ZALO_APP_ID
                or form.get("grant_type") != "refresh_token"
                or form.get("refresh_token") != self.refresh_token
            ):
                return {
                    "error": -14014,
                    "error_name": "Invalid refresh token",
                    "error_description": "Refresh token is invalid or used",
                }
            self.refreshes += 1
            self.access_token = f"access-{self.refreshes + 1}"
            self.refresh_token = f"refresh-{self.refreshes + 1}"
            return {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_in": "90000",
            }

    def texts_to(self, user_id: str = ZALO_USER) -> list[str]:
        return [
            m["message"]["text"]
            for m in self.messages
            if m["recipient"]["user_id"] == user_id
        ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
