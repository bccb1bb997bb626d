"""The app's alert checker: every office's alerts are checked every ALERT_CHECK_SECONDS whether or not a
manager has a live floor open, so clerks' consoles get their note and managers who asked get e-mail with
nobody watching. The Flask side of kezek.alerts (it renders the messages and links in a request context).

Made by the factory with the app's other services and started where serving starts (kezek.services.start_serving). Every server process runs
one, but only one process checks at a time: on PostgreSQL (the regional deployment, several gunicorn
workers or servers) the one holding a session-level advisory lock on its own connection, which it keeps
while it lives and which PostgreSQL frees when the process or its connection dies, so another process
takes over at its next step; on SQLite (an embedded office, one process) this thread alone. After the
check, each process tells the consoles and live floors connected to it of the alerts raised, repeated,
acknowledged or ended since its last step (every process serves its own sockets, as kezek.realtime says).
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine

from kezek.extensions import db
from kezek.models import Alert, AlertEvent, Office
from kezek.reports.alert_routes import check_office, tell_consoles

LOCK_KEY = 0x6B657A656B  # "kezek": the advisory lock of the process that checks
TOLD = ("raised", "repeated", "acknowledged", "ended")  # what consoles and floors show (not the mail records)


def check_all(tell: bool = True) -> int:
    """Check every enabled office's alerts once, in a request context; how many alerts were raised or shown again.

    `tell`: have each office's consoles told at once (the checker tells them afterwards from the record)."""
    due = 0
    offices = db.session.scalars(select(Office).where(Office.enabled, ~Office.is_regional).order_by(Office.id)).all()
    for office in offices:
        due += len(check_office(office, tell=tell).due)
    return due


class Leadership:
    """Whether this process is the one that checks: always on SQLite; on PostgreSQL while it holds the lock."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.connection: Connection | None = None
        self.holding = False

    def held(self) -> bool:
        """True when this process should check now (taking the lock if it is free); never raises."""
        if self.engine.dialect.name != "postgresql":
            return True
        try:
            if self.connection is None:
                self.connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if self.holding:
                self.connection.execute(text("SELECT 1"))  # the lock lives as long as this connection
            else:
                self.holding = bool(self.connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                                           {"key": LOCK_KEY}))
            return self.holding
        except Exception:  # the database went away: the lock went with the connection; try again next step
            current_app.logger.warning("alert checker: the database did not answer", exc_info=True)
            self.release()
            return False

    def release(self) -> None:
        """Give the lock up, so another process checks: unlocked, and the connection closed for real, not handed
        back to the pool (where it would keep the lock if the unlock did not get through)."""
        connection, holding, self.connection, self.holding = self.connection, self.holding, None, False
        if connection is not None:
            try:
                if holding:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            except Exception:
                pass
            try:
                connection.invalidate()
                connection.close()
            except Exception:
                pass


class AlertChecker:
    """Checks every office's alerts every `every` seconds on its own thread, and tells this process's screens."""

    def __init__(self, app: Flask, engine: Engine, every: Callable[[], float]):
        self.app, self.every = app, every  # seconds between rounds, read as it starts (0: no thread)
        self.leadership = Leadership(engine)
        self.seen: int | None = None  # the last alert event this process's screens were told of
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def step(self) -> int | None:
        """One round: check every office if this process is the one that checks (how many alerts were raised or
        shown again; None when another process checks), then tell this process's consoles and floors."""
        base = self.app.config.get("PUBLIC_URL") or "http://localhost"  # e-mail links: where staff reach us
        with self.app.test_request_context("/", base_url=base):
            if self.seen is None:
                self.seen = db.session.scalar(select(func.max(AlertEvent.id))) or 0
            due = check_all(tell=False) if self.leadership.held() else None
            self.tell_screens()
            db.session.rollback()
        return due

    def tell_screens(self) -> None:
        """Tell the consoles and floors connected to this process of the alert changes since the last step."""
        rows = db.session.execute(select(AlertEvent.id, Alert.office_id).join(Alert, Alert.id == AlertEvent.alert_id)
                                  .where(AlertEvent.id > (self.seen or 0), AlertEvent.kind.in_(TOLD))
                                  .order_by(AlertEvent.id)).all()
        if not rows:
            return
        self.seen = rows[-1][0]
        for office_id in sorted({office_id for _id, office_id in rows}):
            tell_consoles(office_id)

    def run(self) -> None:
        while not self.stopped.wait(self.every()):
            try:
                self.step()
            except Exception:  # a failed round is logged; the next one comes all the same
                self.app.logger.exception("alert check failed")

    def start(self) -> None:
        """Start the thread (once), unless KEZEK_ALERT_CHECK_SECONDS is 0: then only an open live floor or
        `kezek check-alerts` checks."""
        if self.thread is None and self.every() > 0:
            self.thread = threading.Thread(target=self.run, name="kezek-alerts", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        """Stop the thread and give the lock up."""
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(10)
        self.leadership.release()

