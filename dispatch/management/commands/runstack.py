"""`manage.py runstack`: the whole embedded stack in one terminal, supervised.

Starts a Valkey server on a unix socket (unless REDIS_URL points at a real Redis), then
Daphne, the django-q2 cluster and (TASK_HOT_QUEUE) the hot cluster on Redis; restarts a
child that dies (with backoff); on Ctrl-C or SIGTERM stops the app processes first, then
Valkey, and leaves no process behind.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dispatch.management import stack

# A child that ran this long before dying is restarted at once; quicker deaths back off.
HEALTHY_RUN_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0


class Command(BaseCommand):
    help = (
        "Start and supervise the embedded stack: Valkey (unless REDIS_URL is set), "
        "Daphne on --host/--port and one django-q2 cluster. Ctrl-C stops everything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000"))
        )

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        self.stopping = False
        if not stack.port_is_free(host, port):
            raise CommandError(
                f"{host}:{port} is already in use; pick another port, "
                f"e.g. `make run PORT={port + 1}` or `--port {port + 1}`."
            )
        if not settings.DEBUG and not getattr(
            settings, "WHITENOISE_USE_FINDERS", False
        ):
            # Without DEBUG, WhiteNoise serves only what collectstatic gathered.
            self.say(f"collecting static files into {settings.STATIC_ROOT}")
            call_command("collectstatic", interactive=False, verbosity=0)

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        env["PYTHONUNBUFFERED"] = "1"
        valkey = self._valkey(env)
        apps = stack.app_children(
            host=host,
            port=port,
            env=env,
            base_dir=Path(settings.BASE_DIR),
            hot_cluster=settings.TASK_HOT_QUEUE,
        )
        previous = {
            sig: signal.signal(sig, self._on_signal)
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            if valkey is not None:
                self.say(
                    f"starting Valkey on unix socket {settings.EMBEDDED_REDIS_SOCKET}"
                )
                stack.start_valkey(valkey)
                self.say(f"Valkey is up (pid {valkey.pid}, log: {valkey.output})")
            for child in apps:
                child.start()
                self.say(f"started {child.name} (pid {child.pid})")
            stack.wait_until(
                lambda: self.stopping or stack.port_accepts(host, port),
                child=apps[0],
                timeout=60,
                what=f"Daphne to listen on {host}:{port}",
            )
            if not self.stopping:
                shown = stack.connect_host(host)
                url = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"
                self.say(f"Cầu Nối is running at {url}  (health: {url}healthz)")
                self.say("press Ctrl-C to stop")
            self._supervise(apps + ([valkey] if valkey else []), valkey)
        except stack.StackError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            self._stop(apps, valkey)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _valkey(self, env: dict[str, str]) -> stack.Child | None:
        """The embedded Valkey to start, or None when REDIS_URL names a server."""
        if settings.REDIS_URL_FROM_ENV:
            self.say(f"using the Redis server at REDIS_URL ({settings.REDIS_URL})")
            if not stack.redis_answers(settings.REDIS_URL):
                self.say(
                    "WARNING: nothing answers at REDIS_URL yet; pages will load but "
                    "nothing will be pushed live until it does (see /healthz)",
                    error=True,
                )
            return None
        socket_path = Path(settings.EMBEDDED_REDIS_SOCKET)
        env["REDIS_URL"] = f"unix://{socket_path}"
        return stack.valkey_child(socket_path)

    def _stop(self, apps: list[stack.Child], valkey: stack.Child | None) -> None:
        """The app processes first (they may still push), then Valkey."""
        self.say("stopping Daphne and the task clusters")
        stack.stop_all(apps, timeout=STOP_TIMEOUT_SECONDS)
        children = list(apps)
        if valkey is not None and valkey.proc is not None:
            self.say("stopping Valkey")
            valkey.stop(timeout=STOP_TIMEOUT_SECONDS)
            Path(settings.EMBEDDED_REDIS_SOCKET).unlink(missing_ok=True)
            children.append(valkey)
        left = [c.name for c in children if c.pid and stack.group_alive(c.pid)]
        if left:
            self.say(f"could not stop: {', '.join(left)}", error=True)
        else:
            self.say("stopped; no process left behind")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self.stopping:
            self.say(f"received {signal.Signals(signum).name}, shutting down")
        self.stopping = True

    def _supervise(
        self, children: list[stack.Child], valkey: stack.Child | None
    ) -> None:
        while not self.stopping:
            now = time.monotonic()
            for child in children:
                if child.running():
                    continue
                if child.restart_at is None:
                    healthy = now - child.started_at >= HEALTHY_RUN_SECONDS
                    child.failures = 0 if healthy else child.failures + 1
                    delay = min(MAX_BACKOFF_SECONDS, 2.0 ** (child.failures - 1))
                    if healthy:
                        delay = 0.0
                    child.restart_at = now + delay
                    self.say(
                        f"{child.name} (pid {child.pid}) exited with code "
                        f"{child.proc.returncode if child.proc else '?'}; "
                        f"restarting in {delay:.0f}s",
                        error=True,
                    )
                elif now >= child.restart_at:
                    child.stop(timeout=STOP_TIMEOUT_SECONDS)  # reap stray workers
                    try:
                        if child is valkey:
                            stack.start_valkey(child)
                        else:
                            child.start()
                    except stack.StackError as exc:
                        self.say(f"could not restart {child.name}: {exc}", error=True)
                        child.started_at, child.restart_at = time.monotonic(), None
                        continue
                    self.say(f"restarted {child.name} (pid {child.pid})")
            time.sleep(0.2)

    def say(self, text: str, *, error: bool = False) -> None:
        line = f"[runstack] {text}"
        if error:
            self.stderr.write(self.style.ERROR(line))
        else:
            self.stdout.write(self.style.SUCCESS(line))
        self.stdout.flush()
