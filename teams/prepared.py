"""Read queries the ORM compiles once per process, then runs again with other ids.

For a small query, compiling the queryset to SQL costs the ORM far more than the
database takes to answer it: on the 2-core machine 0.5–2.5 ms against 0.1 ms for the
ones a volunteer socket makes on every connect. A `Prepared` query is still written
with the ORM (the SQL follows the models and the database vendor); it is compiled the
first time it runs on a database alias, with stand-in ids, and every later call runs
the same SQL with its own ids in their place.

Only integer arguments (ids) vary. Anything else the queryset holds — a status, a
flag, *a time* — is frozen at the first compile, so a `build` must not read the clock
or anything else that changes between calls. Rows come back as the database driver
gives them (SQLite answers a boolean with 0 or 1): the caller converts.

In teams, the bottom app, so that every layer (dispatch.permissions too) may use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

# Ids are positive: no real argument equals a stand-in.
STAND_IN = -7_919_000


class Prepared:
    """One read query, compiled per database alias on first use."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self.build = build
        # (alias, argument names) → (sql, params, [(param index, argument name)])
        self.compiled: dict[tuple[str, tuple[str, ...]], Any] = {}

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **ids: int) -> list[tuple]:
        names = tuple(sorted(ids))
        compiled = self.compiled.get((using, names))
        if compiled is None:
            compiled = self.compiled[(using, names)] = self._compile(using, names)
        sql, params, slots = compiled
        values = list(params)
        for index, name in slots:
            values[index] = int(ids[name])
        with connections[using].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()

    def _compile(self, using: str, names: tuple[str, ...]) -> Any:
        stand_ins = {name: STAND_IN - n for n, name in enumerate(names)}
        sql, params = self.build(**stand_ins).query.get_compiler(using).as_sql()
        argument_of = {value: name for name, value in stand_ins.items()}
        slots = [
            (index, argument_of[param])
            for index, param in enumerate(params)
            if type(param) is int and param in argument_of
        ]
        unused = set(names) - {name for _, name in slots}
        if unused:
            raise ValueError(f"the query does not use {sorted(unused)}")
        return sql, tuple(params), tuple(slots)


def partial_instance(model: type[Model], using: str, **values: Any) -> Any:
    """An instance of `model` as the ORM loads one with `.only(...)`: the given
    fields (by attribute name) set, every other one deferred (read on first use)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    if len(names) != len(values):
        raise ValueError(f"not fields of {model.__name__}: {sorted(values)}")
    return model.from_db(using, names, [values[name] for name in names])
