"""The database as a Flask extension: one engine per app, one session per app context."""
from __future__ import annotations

from contextlib import nullcontext

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kezek.models.base import make_engine
from kezek.writelock import WAIT_SECONDS, SQLiteWriteLock


class Database:
    """Unbound database handle; `init_app` binds it, `session` is the request's session."""

    def init_app(self, app: Flask) -> None:
        """Create the app's engine and session factory."""
        # A writer waits this long for its turn, then gives up with nothing written (kezek.writelock).
        wait = float(app.config.get("WRITE_WAIT_SECONDS", WAIT_SECONDS))
        engine = make_engine(app.config["DATABASE_URL"], busy_seconds=wait)
        # PostgreSQL needs no such lock: the rows a write touches lock themselves.
        sqlite = engine.dialect.name == "sqlite"
        app.extensions["kezek.write_lock"] = SQLiteWriteLock(engine.url.database, wait) if sqlite else nullcontext()
        app.extensions["kezek.db"] = sessionmaker(engine, expire_on_commit=False)
        app.extensions["kezek.engine"] = engine
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return current_app.extensions["kezek.engine"]

    @property
    def write_lock(self):
        """Hold this around a write transaction (the kiosk's issue, a clerk's command) up to its commit."""
        return current_app.extensions["kezek.write_lock"]

    @property
    def session(self) -> Session:
        """The session of the current app context, made on first use."""
        if "kezek_session" not in g:
            g.kezek_session = current_app.extensions["kezek.db"]()
        return g.kezek_session

    @staticmethod
    def _close(exc: BaseException | None) -> None:
        session = g.pop("kezek_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()

