"""Mutation test of the authorization rules: remove each check, show the tests fail.

Hand-rolled AST mutation (no mutmut: mutmut mutates every operator of every module and
reruns the whole suite per mutant; here only the authorization checks of
`dispatch/permissions.py` are removed, and only the tests that guard them are run).

Each mutant removes one check:
  - `if <check>: return/raise …`   → the check never fires (`if False:`);
  - one operand of an `and`/`or` in such a check is dropped;
  - a predicate's `return <condition>` → `return True` (in `may_*`, `is_*`);
  - a scoping keyword of a `.filter(…)` or `Q(…)` (`commune_id=…`,
    `team__commune_id=…`) goes.

Every mutant is written over `dispatch/permissions.py` in a scratch copy of the tree,
and the guard tests run there (`-x`: the first failure kills it). Prints one line per
mutant and the kill count; exits 1 if any mutant survived.

    .venv/bin/python bench/mutate_permissions.py            # all mutants
    .venv/bin/python bench/mutate_permissions.py --list     # just list them
    .venv/bin/python bench/mutate_permissions.py --only 3,7 # some of them
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path("dispatch/permissions.py")
GUARD_TESTS = [  # fastest first: most mutants die in the first file
    "tests/dispatch/test_permission_rules.py",
    "tests/dispatch/test_staff_scope.py",
    "tests/dispatch/test_permission_matrix.py",
    "tests/dispatch/intake/test_unknown_hotline_triage.py",
    "tests/dispatch/scams/test_scam_permissions.py",
    "tests/dispatch/scams/test_village_warning.py",
    "tests/dispatch/guides/test_guide_pages.py",
    "tests/dispatch/outreach/test_campaign_progress.py",
    "tests/dispatch/outreach/test_field_visits.py",
    "tests/dispatch/live/test_board_actions.py",
    "tests/dispatch/views/test_operator_callbacks.py",
]


@dataclass
class Mutant:
    number: int
    line: int
    function: str
    what: str
    source: str


def _denies(body: list[ast.stmt]) -> bool:
    return any(isinstance(node, ast.Return | ast.Raise) for node in body)


def _existence(test: ast.expr) -> bool:
    """`x is None`: "not found", not an authorization check (and not mutated)."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )


def _scopes(call: ast.Call) -> bool:
    """`.filter(…)` or `Q(…)`: a query whose commune/team keywords are scoping."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr == "filter"
    return isinstance(call.func, ast.Name) and call.func.id == "Q"


class _Sites(ast.NodeVisitor):
    """Every mutation site, as (node id path, kind, extra) found in walk order."""

    def __init__(self) -> None:
        self.sites: list[
            tuple[int, str, int, str, int]
        ] = []  # (index, kind, k, fn, line)
        self.function = ""
        self.index = -1

    def generic_visit(self, node: ast.AST) -> None:
        self.index += 1
        here = self.index
        if isinstance(node, ast.FunctionDef):
            # `_int` and other private helpers parse input; they authorize nothing.
            previous = self.function
            self.function = "" if node.name.startswith("_") else node.name
            super().generic_visit(node)
            self.function = previous
            return
        line = getattr(node, "lineno", 0)
        if (
            isinstance(node, ast.If)
            and _denies(node.body)
            and self.function
            and not _existence(node.test)
        ):
            self.sites.append((here, "if-false", 0, self.function, line))
            if isinstance(node.test, ast.BoolOp):
                for k, value in enumerate(node.test.values):
                    if not _existence(value):
                        self.sites.append(
                            (here, "drop-operand", k, self.function, line)
                        )
        elif (
            isinstance(node, ast.Return)
            and self.function.startswith(("may_", "is_"))
            and isinstance(node.value, ast.BoolOp | ast.Compare | ast.UnaryOp)
        ):
            self.sites.append((here, "return-true", 0, self.function, line))
        elif isinstance(node, ast.Call) and self.function and _scopes(node):
            for k, keyword in enumerate(node.keywords):
                if keyword.arg and ("commune" in keyword.arg or "team" in keyword.arg):
                    self.sites.append((here, "drop-filter", k, self.function, line))
        super().generic_visit(node)


class _Apply(ast.NodeTransformer):
    def __init__(self, index: int, kind: str, k: int) -> None:
        self.target, self.kind, self.k = index, kind, k
        self.index = -1
        self.what = ""

    def generic_visit(self, node: ast.AST) -> ast.AST:
        self.index += 1
        if self.index != self.target:
            return super().generic_visit(node)
        if self.kind == "if-false":
            self.what = f"never fires: if {ast.unparse(node.test)}"
            node.test = ast.Constant(False)
        elif self.kind == "drop-operand":
            values = node.test.values
            self.what = f"drops `{ast.unparse(values[self.k])}` from the check"
            rest = values[: self.k] + values[self.k + 1 :]
            node.test = rest[0] if len(rest) == 1 else ast.BoolOp(node.test.op, rest)
        elif self.kind == "return-true":
            self.what = f"return True instead of {ast.unparse(node.value)}"
            node.value = ast.Constant(True)
        elif self.kind == "drop-filter":
            self.what = f"filter without {ast.unparse(node.keywords[self.k])}"
            del node.keywords[self.k]
        return super().generic_visit(node)


def mutants(source: str) -> list[Mutant]:
    sites = _Sites()
    sites.visit(ast.parse(source))
    found = []
    for number, (index, kind, k, function, line) in enumerate(sites.sites, start=1):
        apply = _Apply(index, kind, k)
        tree = ast.fix_missing_locations(apply.visit(ast.parse(source)))
        found.append(Mutant(number, line, function, apply.what, ast.unparse(tree)))
    return found


def _scratch() -> Path:
    where = Path(tempfile.mkdtemp(prefix="caunoi-mutants-"))
    ignore = shutil.ignore_patterns(
        ".git", "__pycache__", "var", "artifacts", "*.sqlite3"
    )
    shutil.copytree(ROOT, where / "tree", symlinks=True, ignore=ignore)
    return where / "tree"


def run(tree: Path, tests: list[str]) -> bool:
    """True when the guard tests pass (the mutant survived)."""
    python = ROOT / ".venv" / "bin" / "python"
    command = [str(python), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [*command, *tests], cwd=tree, env=env, capture_output=True, text=True
    )
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--only", default="", help="mutant numbers, e.g. 3,7")
    parser.add_argument("--tests", nargs="*", default=GUARD_TESTS)
    args = parser.parse_args()
    source = (ROOT / TARGET).read_text()
    found = mutants(source)
    if args.only:
        wanted = {int(n) for n in args.only.split(",")}
        found = [m for m in found if m.number in wanted]
    if args.list:
        for m in found:
            print(f"#{m.number:>2} L{m.line:<4} {m.function}: {m.what}")
        return 0
    tree = _scratch()
    killed, survived = [], []
    try:
        for m in found:
            started = time.monotonic()
            (tree / TARGET).write_text(m.source)
            alive = run(tree, args.tests)
            (survived if alive else killed).append(m)
            verdict = "SURVIVED" if alive else "killed"
            seconds = time.monotonic() - started
            print(
                f"#{m.number:>2} {verdict:<8} {seconds:5.0f}s L{m.line} "
                f"{m.function}: {m.what}",
                flush=True,
            )
    finally:
        shutil.rmtree(tree.parent, ignore_errors=True)
    print(f"\n{len(killed)} of {len(found)} mutants killed, {len(survived)} survived.")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
