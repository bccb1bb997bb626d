"""Rows written with one plain statement, then handed to the session as if loaded.

The ORM's unit of work spends about a millisecond flushing one new object (change tracking,
dependency sorting, statement caching); the kiosk writes two per ticket, and a clerk's command changes
one. These write the row at once and keep the session's object reading like a loaded one: columns not
given are read on first access.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, inspect, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

Row = TypeVar("Row")


@lru_cache(maxsize=16)
def _insert(model: type):
    """The insert of `model`, returning the new id when the table is keyed by one the database makes."""
    table = model.__table__  # type: ignore[attr-defined]
    if [column.name for column in table.primary_key] == ["id"]:
        return insert(model).returning(model.id)  # type: ignore[attr-defined]
    return insert(model)


def insert_row(session: Session, model: type[Row], values: dict) -> Row:
    """Insert one row of `model` with `values` (column defaults fill the rest) in the session's transaction.

    Returns the persistent object, its id set. Flush-time listeners do not see it: use this only for
    rows nothing listens for (a new ticket, a print job, a feedback answer) or where the caller does what
    they would (a decision date marks its month changed: kezek.reports.decisions).
    """
    result = session.connection().execute(_insert(model), values)
    row = model(id=result.scalar_one(), **values) if result.returns_rows else model(**values)
    make_transient_to_detached(row)
    session.add(row)
    return row


def adopt_row(session: Session, model: type[Row], row: Mapping[str, Any]) -> Row:
    """The session's object for a row just written by a plain statement that returned every column: the one
    already loaded, its columns set to the row's (nothing left to flush for them), else a new one as if loaded."""
    found = session.identity_map.get(identity_key(model, row["id"]))
    if found is None:
        found = model(**row)
        make_transient_to_detached(found)
        session.add(found)
        return found
    for name, value in row.items():
        set_committed_value(found, name, value)
    session.expire(found, [relation.key for relation in inspect(model).relationships])  # read anew if asked
    return found


@lru_cache(maxsize=64)
def _update(model: type, names: tuple[str, ...]):
    table = model.__table__  # type: ignore[attr-defined]
    return update(table).where(table.c.id == bindparam("row_id")).values({n: bindparam(f"new_{n}") for n in names})


def write_columns(session: Session, row: Any, values: dict[str, Any]) -> None:
    """Set some columns of a loaded row with one plain UPDATE, the object kept in step as if loaded with them.

    Nothing is left for the unit of work to flush for these columns, and flush-time listeners do not see the
    change: use this only where what they would do is done by the caller (kezek.queue.clerk).
    """
    parameters = {f"new_{name}": value for name, value in values.items()}
    session.connection().execute(_update(type(row), tuple(values)), {"row_id": row.id, **parameters})
    for name, value in values.items():
        set_committed_value(row, name, value)
