"""Publishing queue changes to the screens after the commit, through one publisher.

Each screen (the board, the phone page) registers a function with `add_screen`; `publish(change)`
opens one read session and hands the change to each. They emit with Flask-SocketIO, which goes
through Redis to every server process when MESSAGE_QUEUE is set, and stays in-process otherwise.
"""
from __future__ import annotations

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
    """Tell the office's screens (and the ticket's phone) what changed; call only after the commit."""
    if change is None:
        return
    app = current_app._get_current_object()
    screens = app.extensions.get("kezek.screens", [])
    if not screens:
        return
    now = app.config["CLOCK"]()
    with read_session(app) as session:
        for screen in screens:
            try:
                screen(session, change, now)
            except Exception:  # the change is committed; a failed push must not fail the clerk's command
                app.logger.exception("publishing %s to %s failed", change, getattr(screen, "__name__", screen))
