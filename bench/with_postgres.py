"""Run one command against a private, throwaway PostgreSQL (as the test suite's second leg).

    .venv/bin/python bench/with_postgres.py bench/load.py --sms 1000 --hot-clusters 2

Starts a cluster from the newest /usr/lib/postgresql/<version>/bin (or PG_BIN) in a
temporary folder, creates the database `caunoi`, runs the command with DATABASE_URL
pointing at it and stops the server afterwards. Not part of the tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(BASE))
    from tests.legs import postgres_bin_dir, private_postgres

    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        print("no PostgreSQL binaries (set PG_BIN)", file=sys.stderr)
        return 1
    with private_postgres(bin_dir) as url:
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("CREATE DATABASE caunoi")
        command = sys.argv[1:]
        if command[0].endswith(".py"):
            command = [sys.executable, *command]
        return subprocess.call(
            command, cwd=BASE, env={**os.environ, "DATABASE_URL": url}
        )


if __name__ == "__main__":
    sys.exit(main())
