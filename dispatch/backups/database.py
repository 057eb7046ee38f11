"""Backups that restore: SQLite's online backup API, or pg_dump/pg_restore.

No backup package: on the embedded default (one SQLite file on an office machine) the
sqlite3 module's `Connection.backup` copies the live database page by page into a
consistent snapshot while Daphne and the task cluster keep writing (WAL), and the copy
is itself a SQLite file that opens and restores with the same call. On PostgreSQL,
`pg_dump --format=custom` takes a consistent snapshot without blocking writers and
`pg_restore` reads it back; these are the tools a PostgreSQL administrator already
trusts. (django-dbbackup would add a dependency whose SQLite connector rewrites the
database as SQL text and replays it: slower, and one more thing to get wrong.)

Files are named `caunoi-<UTC time>.sqlite3` or `.pgdump` in BACKUP_DIR, copied to
BACKUP_COPY_DIR (a second disk) when it is set, and only the newest BACKUP_KEEP of each
folder are kept.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

PREFIX = "caunoi-"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(RuntimeError):
    """A backup or restore could not be made; the message says why."""


def _vendor(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    for vendor in SUFFIXES:
        if vendor in engine:
            return vendor
    raise BackupError(f"no backup method for the database engine {engine}")


def backup_database(
    *, alias: str = "default", folder: Path | None = None, now: datetime | None = None
) -> Path | None:
    """Write one consistent backup of the database `alias`; its path, or None when
    there is nothing to back up yet (an SQLite file that does not exist: first run).

    No lock is held beyond what the engine takes for a snapshot: writers go on.
    Side effects: a new file in BACKUP_DIR (and BACKUP_COPY_DIR), older ones pruned.
    """
    folder = Path(folder or settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    db = connections[alias].settings_dict
    vendor = _vendor(db)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{PREFIX}{stamp}{SUFFIXES[vendor]}"
    partial = target.with_name(target.name + ".partial")
    if vendor == "sqlite":
        source = Path(db["NAME"])
        if not source.exists():
            return None
        _sqlite_copy(source=source, target=partial)
    else:
        _pg_run(
            "pg_dump",
            ["--format=custom", "--no-owner", f"--file={partial}"],
            db=db,
        )
    partial.rename(target)  # a half-written file never looks like a backup
    copies = [target]
    if settings.BACKUP_COPY_DIR:
        second = Path(settings.BACKUP_COPY_DIR)
        second.mkdir(parents=True, exist_ok=True)
        copies.append(Path(shutil.copy2(target, second / target.name)))
    for made in copies:
        prune(folder=made.parent, keep=settings.BACKUP_KEEP)
    return target


def restore_database(*, backup: Path, alias: str = "default") -> None:
    """Replace the database `alias` with the contents of `backup`.

    Precondition: nothing else writes to the database (stop Daphne and the task
    cluster first); the caller makes a backup of the current state before.
    """
    connections[alias].close()
    restore_into(backup=backup, db=connections[alias].settings_dict)


def restore_into(*, backup: Path, db: dict[str, Any]) -> None:
    """Write `backup` into the database described by `db` (Django's settings form):
    an SQLite file (created if missing) or an existing PostgreSQL database."""
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    vendor = _vendor(db)
    if backup.suffix != SUFFIXES[vendor]:
        raise BackupError(f"{backup.name} is not a {vendor} backup")
    if vendor == "sqlite":
        _sqlite_copy(source=backup, target=Path(db["NAME"]))
    else:
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _pg_run("pg_restore", [*options, str(backup)], db=db)


def backups(folder: Path) -> list[Path]:
    """The backups in `folder`, newest first (the names sort by time)."""
    found = [
        p
        for p in Path(folder).glob(f"{PREFIX}*")
        if p.suffix in SUFFIXES.values() and p.is_file()
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def prune(*, folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `folder`; the deleted paths."""
    old = backups(folder)[keep:]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _sqlite_copy(*, source: Path, target: Path) -> None:
    # Page by page, 1,024 pages a step: writers wait at most one step for the lock,
    # and a write between steps restarts the copy of what changed (sqlite3 docs).
    with closing(sqlite3.connect(source, timeout=20)) as src:
        with closing(sqlite3.connect(target, timeout=20)) as dst:
            src.backup(dst, pages=1024)
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise BackupError(f"the copy {target.name} fails its integrity check: {check}")


def _pg_run(program: str, options: list[str], *, db: dict[str, Any]) -> None:
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    argv = [pg_binary(program), *options, *_pg_target(db)]
    result = subprocess.run(  # noqa: S603 - our argv, no shell
        argv, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[:2000]}")


def _pg_target(db: dict[str, Any]) -> list[str]:
    target = []
    if db.get("HOST"):
        target.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        target.append(f"--port={db['PORT']}")
    if db.get("USER"):
        target.append(f"--username={db['USER']}")
    return [*target, f"--dbname={db['NAME']}"]


def pg_binary(program: str) -> str:
    """`program` from PATH, else the newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(program)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{program}"),
        key=lambda p: int("".join(c for c in p.parent.parent.name if c.isdigit()) or 0),
    )
    if not versions:
        raise BackupError(f"{program} not found: install the PostgreSQL client tools")
    return str(versions[-1])
