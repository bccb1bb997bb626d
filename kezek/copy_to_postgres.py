"""Moving an embedded SQLite installation to PostgreSQL without losing a ticket or an event."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, Integer, func, insert, select, text

from kezek.models import Base

BATCH = 5000


@dataclass(frozen=True)
class TableCopy:
    """How many rows one table had in the source and has in the target after the copy."""

    table: str
    source_rows: int
    target_rows: int


def _count(engine: Engine, table) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


def copy_database(source: Engine, target: Engine) -> list[TableCopy]:
    """Copy every table from `source` into the migrated, empty `target`, in one transaction.

    Tables go parent before child; primary keys are kept, so tickets keep their numbers and events
    their order, and PostgreSQL's id sequences are moved past the copied ids afterwards.
    Raises ValueError if the target already holds tickets (refusing to mix two installations).
    """
    tables = Base.metadata.sorted_tables
    ticket = Base.metadata.tables["ticket"]
    if _count(target, ticket):
        raise ValueError("the target database already has tickets")
    with source.connect() as reader, target.begin() as writer:
        for table in reversed(tables):
            writer.execute(table.delete())  # seed rows the target may hold (e.g. from load-seed)
        for table in tables:
            order = list(table.primary_key.columns) or list(table.columns)
            result = reader.execution_options(stream_results=True).execute(select(table).order_by(*order))
            while rows := result.fetchmany(BATCH):
                writer.execute(insert(table), [dict(row._mapping) for row in rows])
        if target.dialect.name == "postgresql":
            for table in tables:
                if "id" in table.c and isinstance(table.c.id.type, Integer):
                    writer.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"
                    ))
    return [TableCopy(table.name, _count(source, table), _count(target, table)) for table in tables]
