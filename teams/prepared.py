"""Read queries the ORM compiles once per process, then runs again with other values.

For a small query, compiling the queryset to SQL costs the ORM far more than the
database takes to answer it: on the 2-core machine 0.5–2.5 ms against 0.1 ms for the
ones a volunteer socket makes on every connect. A `Prepared` query is still written
with the ORM (the SQL follows the models and the database vendor); it is compiled the
first time it runs on a database alias, with stand-in values for its arguments, and
every later call runs the same SQL with its own values in their place. Rows come back
as the ORM would give them (the same converters: booleans, dates).

Only the arguments vary: ids (int) and keys (str) compared as they are, aware times
(datetime) compared with a DateTimeField and UUIDs compared with a UUIDField. Anything
else the queryset holds — a status, a flag, *the clock* — is frozen at the first
compile, so a `build` must not read the clock or anything else that changes between
calls: a time is passed in. An int compared with a positive-integer field must stay a
constant too (one query per value, as `queue_position` keeps its priority): the ORM
drops a comparison it can tell always holds for the negative stand-in id (an argument
the SQL no longer carries at all is an error at the first compile).

In teams, the bottom app, so that every layer (dispatch.permissions too) may use it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

# Ids are positive, keys printable and times recent: no real argument equals a
# stand-in.
STAND_IN_ID = -7_919_000
STAND_IN_KEY = "\x00prepared:"
STAND_IN_TIME = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
STAND_IN_UUID = 0x7919_0000_0000_0000_0000_0000_0000_0000


class Prepared:
    """One read query, compiled per database alias on first use."""

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self.build = build
        self.compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **arguments: Any) -> list[tuple]:
        names = tuple(sorted(arguments))
        compiled = self.compiled.get((using, names))
        if compiled is None:
            compiled = _Compiled(self.build, using, arguments)
            self.compiled[(using, names)] = compiled
        return compiled.run(arguments)


class _Compiled:
    def __init__(
        self, build: Callable[..., QuerySet[Any]], using: str, arguments: dict
    ) -> None:
        operations = connections[using].ops
        stand_ins: dict[str, Any] = {}
        # How each argument goes into the SQL's parameters, by its stand-in's form
        # there: a time as the database adapts a DateTimeField's value.
        self.adapt: dict[str, Callable[[Any], Any]] = {}
        forms: dict[tuple[type, Any], str] = {}
        for n, (name, value) in enumerate(sorted(arguments.items())):
            if isinstance(value, dt.datetime):
                if value.tzinfo is None:
                    raise TypeError(f"{name}: a time must be aware")
                stand_ins[name] = STAND_IN_TIME + dt.timedelta(seconds=n)
                self.adapt[name] = operations.adapt_datetimefield_value
            elif isinstance(value, uuid.UUID):
                stand_ins[name] = uuid.UUID(int=STAND_IN_UUID + n)
                # As UUIDField.get_db_prep_value: 32 hex digits without a native type.
                native = connections[using].features.has_native_uuid_field
                self.adapt[name] = _same if native else _hex
            elif isinstance(value, bool) or not isinstance(value, int | str):
                raise TypeError(
                    f"{name}: only ids (int), keys (str), times (datetime) and UUIDs "
                    "may vary"
                )
            elif isinstance(value, int):
                stand_ins[name] = STAND_IN_ID - n
                self.adapt[name] = int
            else:
                stand_ins[name] = f"{STAND_IN_KEY}{name}"
                self.adapt[name] = str
            form = self.adapt[name](stand_ins[name])
            forms[(type(form), form)] = name
        queryset = build(**stand_ins)
        query = queryset.query
        compiler = query.get_compiler(using)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.slots = tuple(
            (index, forms[(type(param), param)])
            for index, param in enumerate(params)
            if (type(param), param) in forms
        )
        unused = set(stand_ins) - {name for _, name in self.slots}
        if unused:
            raise ValueError(f"the query does not use {sorted(unused)}")
        self.using = using
        # What the ORM applies to each column of the rows (as `results_iter` does).
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(columns).items())
        # A `values_list` naming annotations in another order than the SQL selects
        # them is put back in its order (as `ValuesListIterable` does).
        self.order: list[int] | None = None
        if queryset._fields:
            selected = [
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ]
            wanted = [
                *queryset._fields,
                *(f for f in query.annotation_select if f not in queryset._fields),
            ]
            if wanted != selected:
                self.order = [selected.index(name) for name in wanted]

    def run(self, arguments: dict[str, Any]) -> list[tuple]:
        values = list(self.params)
        for index, name in self.slots:
            values[index] = self.adapt[name](arguments[name])
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, values)
            rows = cursor.fetchall()
        if self.converters:
            rows = [self._convert(list(row), connection) for row in rows]
        if self.order is not None:
            rows = [tuple(row[i] for i in self.order) for row in rows]
        return rows

    def _convert(self, row: list[Any], connection: Any) -> tuple:
        for position, (functions, expression) in self.converters:
            for function in functions:
                row[position] = function(row[position], expression, connection)
        return tuple(row)


M = TypeVar("M", bound=Model)


class PreparedInstances(Generic[M]):
    """A `Prepared` query whose rows come back as whole `model` instances, every
    concrete field loaded, as the model's own queryset gives them. `build` returns a
    queryset of `model`; the columns it selects are added here."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]]) -> None:
        self.model = model
        self.fields = tuple(field.attname for field in model._meta.concrete_fields)
        self.query = Prepared(
            lambda **arguments: build(**arguments).values_list(*self.fields)
        )

    def instances(self, *, using: str = DEFAULT_DB_ALIAS, **arguments: Any) -> list[M]:
        return [
            self.model.from_db(using, self.fields, row)
            for row in self.query.rows(using=using, **arguments)
        ]


def _same(value: Any) -> Any:
    return value


def _hex(value: uuid.UUID) -> str:
    return value.hex


def partial_instance(model: type[M], using: str, **values: Any) -> M:
    """An instance of `model` as the ORM loads one with `.only(...)`: the given
    fields (by attribute name) set, every other one deferred (read on first use)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    if len(names) != len(values):
        raise ValueError(f"not fields of {model.__name__}: {sorted(values)}")
    return model.from_db(using, names, [values[name] for name in names])
