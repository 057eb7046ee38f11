"""No phone number reaches an access log: Daphne's is off, the documented deployment
starts Daphne the same way, and the operator's caller look-up is a POST."""

from __future__ import annotations

import re
from pathlib import Path

from dispatch.management.stack import app_children

README = Path(__file__).resolve().parents[3] / "README.md"


def daphne_argv() -> list[str]:
    children = app_children(host="127.0.0.1", port=8000, env={}, base_dir=Path("."))
    return list(next(c for c in children if c.name == "daphne").argv)


def test_it_starts_daphne_without_an_access_log_or_proxy_headers():
    argv = daphne_argv()

    assert argv[argv.index("-v") + 1] == "0"
    assert "--access-log" not in argv
    assert not [a for a in argv if a.startswith("--proxy-headers")]


def test_the_documented_daphne_service_keeps_no_access_log_and_trusts_no_header():
    exec_lines = re.findall(r"^ExecStart=.*daphne.*$", README.read_text(), re.M)

    assert exec_lines
    for line in exec_lines:
        assert " -v 0 " in line
        assert "--proxy-headers" not in line
        assert "--access-log" not in line
