"""Backups that restore: a backup taken while requests keep arriving opens in a fresh
database with every request, event and message of its moment intact."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from dispatch.backups import database as backups
from dispatch.intake import store as intake_store
from dispatch.management import schedules
from dispatch.models import HelpRequest, InboundMessage, OutboundMessage, RequestEvent
from tests.dispatch.conftest import submit_for_lan

pytestmark = pytest.mark.django_db(transaction=True)

QUERIES = {
    "requests": "SELECT code, resident_phone, description FROM {r}",
    "events": "SELECT e.id, r.code, e.kind FROM {e} e JOIN {r} r ON r.id = e.request_id",
    "inbound": "SELECT provider_id, from_number, body FROM {i}",
    "outbound": "SELECT to_number, body, purpose FROM {o}",
}
TABLES = {
    "r": HelpRequest._meta.db_table,
    "e": RequestEvent._meta.db_table,
    "i": InboundMessage._meta.db_table,
    "o": OutboundMessage._meta.db_table,
}


class Writer(threading.Thread):
    """Residents keep asking: one SMS and one request after another, each committed."""

    def __init__(self, duc_an: Any) -> None:
        super().__init__(daemon=True)
        self.duc_an = duc_an
        self.stop = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set() and self.written < 400:
                n = self.written
                intake_store.receive_sms(
                    provider=InboundMessage.Provider.SMSGATE,
                    provider_id=f"backup-{n}",
                    from_number=f"+849130{n:05d}",
                    to_number="+842633999000",
                    body=f"can giup vneid {n}",
                    payload={},
                )
                submit_for_lan(self.duc_an, resident_phone=f"09140{n:05d}")
                self.written += 1
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error
        finally:
            connection.close()


def snapshot(db: dict[str, Any]) -> dict[str, set[tuple]]:
    """Every request, event and message in the database `db`, read with plain SQL."""
    if "sqlite" in db["ENGINE"]:
        opened = sqlite3.connect(db["NAME"])
    else:
        import psycopg

        opened = psycopg.connect(
            dbname=db["NAME"],
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
        )
    with closing(opened) as conn:
        return {
            name: {tuple(row) for row in conn.execute(sql.format(**TABLES)).fetchall()}
            for name, sql in QUERIES.items()
        }


def as_of(rows: dict[str, set[tuple]], codes: set[str], last_event: int) -> dict:
    """The requests with `codes`, and the timeline as it stood at event `last_event`
    (the event log is append-only, so a consistent snapshot holds a prefix of it)."""
    return {
        "requests": {r for r in rows["requests"] if r[0] in codes},
        "events": {e for e in rows["events"] if e[0] <= last_event},
    }


@pytest.fixture
def fresh_db(tmp_path):
    """A database that holds nothing yet: an SQLite file, or a new PostgreSQL one."""
    live = connections["default"].settings_dict
    fresh = {**live, "NAME": str(tmp_path / "restored.sqlite3")}
    if "sqlite" in live["ENGINE"]:
        yield fresh
        return
    fresh["NAME"] = f"{live['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{fresh["NAME"]}"')
    yield fresh
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh["NAME"]}" WITH (FORCE)')


def test_a_backup_under_writes_restores_every_request_event_and_message(
    duc_an, tmp_path, fresh_db
):
    if "sqlite" not in fresh_db["ENGINE"]:
        try:
            backups.pg_binary("pg_dump")
        except backups.BackupError:
            pytest.skip("no pg_dump on this machine")
    writer = Writer(duc_an)
    writer.start()
    while writer.written < 5 and writer.is_alive():
        time.sleep(0.01)
    before = writer.written

    made = backups.backup_database(folder=tmp_path / "backups")

    still_writing = writer.is_alive()
    time.sleep(0.2)
    writer.stop.set()
    writer.join(timeout=60)
    assert writer.error is None, writer.error
    assert still_writing and writer.written > before
    backups.restore_into(backup=made, db=fresh_db)
    restored = snapshot(fresh_db)
    live = snapshot(connections["default"].settings_dict)
    codes = {r[0] for r in restored["requests"]}
    assert before + 1 <= len(codes) <= writer.written + 1  # +1: K'Dung's, from setup
    last_event = max(e[0] for e in restored["events"])
    assert as_of(restored, codes, last_event) == as_of(live, codes, last_event)
    assert {e[1] for e in restored["events"]} == codes  # no event without its request
    assert restored["events"] and restored["inbound"] and restored["outbound"]
    assert restored["inbound"] <= live["inbound"]
    assert len(restored["inbound"]) >= before
    assert restored["outbound"] <= live["outbound"]


def test_it_keeps_the_newest_backups_and_a_copy_on_the_second_disk(
    duc_an, tmp_path, settings
):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_COPY_DIR = str(tmp_path / "usb")
    settings.BACKUP_KEEP = 2
    for hour in (1, 2, 3):
        backups.backup_database(now=datetime(2026, 12, 6, hour, tzinfo=UTC))

    kept = [p.name for p in backups.backups(settings.BACKUP_DIR)]
    copied = [p.name for p in backups.backups(tmp_path / "usb")]
    assert len(kept) == 2 and kept == copied
    assert kept[0].startswith("caunoi-20261206-030000")
    assert not list(Path(settings.BACKUP_DIR).glob("*.partial"))


def test_restore_puts_the_database_back_as_it_was_and_keeps_the_current_state(
    duc_an, tmp_path, settings
):
    if connection.vendor != "sqlite":
        pytest.skip("restoring over the live test database: SQLite leg only")
    settings.BACKUP_DIR = tmp_path / "backups"
    kept = submit_for_lan(duc_an)
    call_command("backup", verbosity=0)
    made = backups.backups(settings.BACKUP_DIR)[0]
    later = submit_for_lan(duc_an, resident_phone="0914999999")

    call_command("restore", str(made), "--noinput", verbosity=0)

    codes = set(HelpRequest.objects.values_list("code", flat=True))
    assert kept.code in codes and later.code not in codes
    assert len(backups.backups(settings.BACKUP_DIR)) == 2  # the pre-restore state too


def test_restore_refuses_a_missing_file_with_a_clear_error(db, tmp_path):
    with pytest.raises(Exception, match="no backup file"):
        call_command("restore", str(tmp_path / "nope.sqlite3"), "--noinput")


def test_the_backup_is_scheduled_nightly_at_two_and_before_every_migrate():
    declared = {s.func: s for s in schedules.SCHEDULES}
    nightly = declared["dispatch.tasks.backup_database"]
    first = schedules._first_run(nightly, timezone.now())
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()

    assert nightly.minutes == 1440
    assert timezone.localtime(first).hour == 2
    run = makefile[makefile.index("\nrun:") :]
    assert run.index("manage.py backup") < run.index("manage.py migrate")
