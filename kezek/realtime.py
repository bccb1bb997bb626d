"""Publishing queue changes to the screens after the commit, through one publisher.

Each screen (the board, the phone page) registers a function with `add_screen`; `publish(change)`
opens one read session and hands the change to each. They emit with Flask-SocketIO, which goes
through Redis to every server process when MESSAGE_QUEUE is set, and stays in-process otherwise.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy.orm import Session

from kezek.extensions import socketio
from kezek.queue.changes import Change

Screen = Callable[[Session, Change, datetime], None]


def add_screen(app: Flask, screen: Screen) -> None:
    """Have `screen(session, change, now)` told of every change `app` publishes."""
    screens = app.extensions.setdefault("kezek.screens", [])
    if screen not in screens:
        screens.append(screen)


@contextmanager
def read_session(app: Flask) -> Iterator[Session]:
    """A fresh session that sees the latest commits and one consistent state (rolled back after)."""
    session: Session = app.extensions["kezek.db"]()
    try:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session
    finally:
        session.close()


def has_listeners(room: str, namespace: str) -> bool:
    """Whether a socket may be in `room`: known in this process, unknowable with a message queue."""
    if current_app.config.get("MESSAGE_QUEUE"):
        return True
    server = socketio.server
    return bool(server and server.manager.rooms.get(namespace, {}).get(room))


def emit(event: str, payload: dict, room: str, namespace: str) -> None:
    """Send `payload` to every socket in `room`, in whichever server process it is connected to."""
    socketio.emit(event, payload, to=room, namespace=namespace)


def publish(change: Change | None) -> None:
    """Tell the office's screens (and the ticket's phone) what changed; call only after the commit.

    The screens' states are built and sent on the app's publisher thread, so a clerk's or a kiosk's
    answer never waits for them; several changes of one office that queue up meanwhile are sent as
    one state (the newest: every update carries the whole board). With REALTIME_SYNC set (tests),
    they are sent before this returns.
    """
    if change is None:
        return
    app = current_app._get_current_object()
    if not app.extensions.get("kezek.screens"):
        return
    if app.config.get("REALTIME_SYNC"):
        send(app, [change])
    else:
        publisher(app).put(change)


def send(app: Flask, changes: list[Change]) -> None:
    """Build and emit each screen's state for `changes` (one read session for all)."""
    now = app.config["CLOCK"]()
    with app.app_context(), read_session(app) as session:
        for change in changes:
            for screen in app.extensions.get("kezek.screens", []):
                try:
                    screen(session, change, now)
                except Exception:  # the change is committed; a failed push must not fail anything else
                    app.logger.exception("publishing %s to %s failed", change, getattr(screen, "__name__", screen))


class Publisher:
    """One background thread per app that sends queued changes in order, newest per office."""

    def __init__(self, app: Flask):
        self.app = app
        self.queue: queue.SimpleQueue[Change] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self.run, name="kezek-publisher", daemon=True)
        self.thread.start()

    def put(self, change: Change) -> None:
        """Queue a change for sending."""
        self.queue.put(change)

    def run(self) -> None:
        """Send forever: wait for a change, take whatever else queued up, keep the newest per office."""
        while True:
            batch = [self.queue.get()]
            while True:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            send(self.app, coalesce(batch))


def coalesce(changes: list[Change]) -> list[Change]:
    """The newest change of each office, plus every call and recall (each is announced on its own)."""
    newest: dict[int, Change] = {}
    kept: list[Change] = []
    for change in changes:
        if change.kind in ("called", "recalled"):
            kept.append(change)
        elif change.office_id not in newest or change.version > newest[change.office_id].version:
            newest[change.office_id] = change
    kept.extend(newest.values())
    return sorted(kept, key=lambda change: (change.office_id, change.version))


_publishers_lock = threading.Lock()


def publisher(app: Flask) -> Publisher:
    """The app's publisher, started on first use."""
    found = app.extensions.get("kezek.publisher")
    if found is None:
        with _publishers_lock:
            found = app.extensions.get("kezek.publisher")
            if found is None:
                found = app.extensions["kezek.publisher"] = Publisher(app)
    return found
