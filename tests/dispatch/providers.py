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
