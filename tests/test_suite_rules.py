"""Rules of the test suite itself: no module under tests/ imports a test module.

A test module that imports another runs (or shadows) the other's tests and ties two
files together by accident; shared people live in tests/personas.py, shared helpers in
plain modules beside the tests (tests/dispatch/providers.py, live_fixtures.py, …).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every module and name `path` imports, relative ones
    resolved; `from a import b` yields both `a` and `a.b` (b may be a module)."""
    package = list(path.relative_to(root).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def imports_of_test_modules(root: Path) -> list[str]:
    """`file:line imports module` for every import of a test_*.py module in `root`/tests."""
    offences = []
    for path in sorted((root / "tests").rglob("*.py")):
        for line, name in _imported_modules(path, root):
            if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith(
                "test_"
            ):
                where = path.relative_to(root).as_posix()
                offences.append(f"{where}:{line} imports {name}")
    return offences


def test_no_module_of_the_suite_imports_a_test_module() -> None:
    assert imports_of_test_modules(ROOT) == []


def test_the_rule_catches_absolute_and_relative_imports_of_a_test_module(
    tmp_path: Path,
) -> None:
    views = tmp_path / "tests" / "dispatch" / "views"
    views.mkdir(parents=True)
    (views / "test_probe.py").write_text(
        "from tests.dispatch.views.test_help_forms import filled\n"
        "from .test_tracking import PHONE_FORMS\n"
        "from . import test_posters\n"
        "from tests.dispatch.web_forms import thon_5\n"
        "def later():\n"
        "    import tests.teams.test_admin\n",
        encoding="utf-8",
    )

    found = imports_of_test_modules(tmp_path)

    probe = "tests/dispatch/views/test_probe.py"
    assert found == [
        f"{probe}:1 imports tests.dispatch.views.test_help_forms",
        f"{probe}:2 imports tests.dispatch.views.test_tracking",
        f"{probe}:3 imports tests.dispatch.views.test_posters",
        f"{probe}:6 imports tests.teams.test_admin",
    ]
