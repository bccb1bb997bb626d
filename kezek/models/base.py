"""Declarative base, the UTC timestamp type and the engine factory (no Flask here)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every Kezek table."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def append_only(model: type, what: str, events: tuple[str, ...] = ("before_update", "before_delete")) -> None:
    """Refuse (PermissionError) any update or delete of `model`'s rows through the ORM: logs only grow."""

    def refuse(_mapper, _connection, _target) -> None:
        raise PermissionError(f"{what} is append-only")

    for name in events:
        event.listen(model, name, refuse)


def new_uid() -> str:
    """A region-unique row identity: a random UUID as 32 hex digits (no office node has to ask anyone for one)."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def make_engine(url: str, busy_seconds: float = 30.0) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout (`busy_seconds`) and foreign keys."""
    if url.startswith("sqlite"):
        # At most 40 threads work on the database at once; the others wait for a connection without taking
        # the interpreter from them (with a connection for each of 400 threads, under 300 screens the one
        # holding the writer's turn waited behind them all, and the server answered a third fewer taps).
        # A thread takes its connection before the writer's turn (kezek.writelock.writer_turn), never after:
        # the connections may all be held by threads waiting for that turn.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_seconds},
            pool_size=20,
            max_overflow=20,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
