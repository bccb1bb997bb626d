"""The database as a Flask extension: the app's engine and sessions (kezek.services), one session per app context."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kezek.services import services
from kezek.writelock import writer_turn


class Database:
    """Unbound database handle; `init_app` binds it, `session` is the request's session."""

    def init_app(self, app: Flask) -> None:
        """Close each app context's session at its end (the engine and the sessions are the app's services)."""
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return services(current_app).engine

    @property
    def write_lock(self):
        """Hold this around a write transaction (the kiosk's issue, a clerk's command) up to its commit. The
        session takes its database connection before the writer's turn (kezek.writelock.writer_turn)."""
        return writer_turn(self.session, services(current_app).write_lock)

    @property
    def session(self) -> Session:
        """The session of the current app context, made on first use."""
        if "kezek_session" not in g:
            g.kezek_session = services(current_app).sessions()
        return g.kezek_session

    @staticmethod
    def _close(exc: BaseException | None) -> None:
        session = g.pop("kezek_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()
