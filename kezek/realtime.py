"""Publishing queue changes to the screens after the commit, through one publisher.

Each screen registers with one of two hooks. `add_screen(app, screen)`: a screen whose state is built
from the change by every process that has such a screen connected, once per batch of changes (the
board: one state per office for all of its boards in the process). The process that made the change
builds for its own boards at once; the others hear of the change through the relay (Redis, when
MESSAGE_QUEUE is set) and build for theirs on their own publisher. A process with no board connected,
such as a kiosk instance, builds none. `add_local_screen(app, screen)`: every server process is told
of each change and serves only its own sockets (the phone page: each process refreshes the phones
connected to it, nobody else's).

One path between processes: this relay. Flask-SocketIO can carry emits between processes itself (its
`message_queue`), but Kezek sends no emit another process should deliver: a board's state is built by
each process for the boards connected to it (a kiosk instance, with none, builds nothing), and a phone's
status only by the process its socket is on. What crosses processes is the change (office, version,
kind), which is what this relay carries; so Socket.IO is given no message queue, and every emit reaches
the sockets of the process that makes it.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flask import Flask, current_app
from sqlalchemy.orm import Session

from kezek.clock import app_now
from kezek.extensions import socketio
from kezek.queue.changes import Change
from kezek.realtime_threads import Relay, coalesce
from kezek.services import LocalScreen, Screen, services


def add_screen(app: Flask, screen: Screen) -> None:
    """Have `screen(session, change, now)` told of every change `app` publishes, in the publishing process."""
    screens = services(app).screens
    if screen not in screens:
        screens.append(screen)


def add_local_screen(app: Flask, screen: LocalScreen) -> None:
    """Have `screen(app, change)` told in every server process of every change, to serve its own sockets."""
    screens = services(app).local_screens
    if screen not in screens:
        screens.append(screen)


@contextmanager
def read_session(app: Flask) -> Iterator[Session]:
    """A fresh session that sees the latest commits and one consistent state (rolled back after)."""
    session = services(app).sessions()
    try:
        if session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session
    finally:
        session.close()


def local_rooms(namespace: str) -> list[str]:
    """The rooms of `namespace` with a socket connected to this process (the only ones it can see)."""
    server = socketio.server
    found = server.manager.rooms.get(namespace, {}) if server else {}
    return [room for room, members in list(found.items()) if room and members]


def has_listeners(room: str, namespace: str) -> bool:
    """Whether a socket connected to this process is in `room`."""
    server = socketio.server
    return bool(server and server.manager.rooms.get(namespace, {}).get(room))


def emit(event: str, payload: dict, room: str, namespace: str) -> None:
    """Send `payload` to every socket in `room` connected to this process (each process serves its own)."""
    socketio.emit(event, payload, to=room, namespace=namespace)


def publish(change: Change | None) -> None:
    """Tell the office's screens (and the ticket's phone) what changed; call only after the commit.

    The screens' states are built and sent on the app's publisher thread, so a clerk's or a kiosk's
    answer never waits for them; several changes of one office that queue up meanwhile are sent as
    one state (the newest: every update carries the whole board). With REALTIME_SYNC set (tests),
    they are sent before this returns. Never raises: the change is committed whatever the screens do.
    """
    if change is None:
        return
    app = current_app._get_current_object()
    found = services(app)
    if not (found.screens or found.local_screens):
        return
    try:
        if app.config.get("REALTIME_SYNC"):
            send(app, [change])
        else:
            found.publisher.put(change)
    except Exception:  # a committed change must not turn into an error page
        app.logger.exception("publishing %s failed", change)


def send(app: Flask, changes: list[Change], relaying: bool = True) -> bool:
    """Build and emit each office's newest screen state for this process's screens, then (`relaying`)
    tell every process of each change: their local screens, and their screens of other processes' changes.

    Never raises. False when the states could not be built (the database went away after the commit):
    try again later.
    """
    sent = True
    found = services(app)
    if found.screens:
        try:
            _send_states(app, coalesce(changes))
        except Exception:
            app.logger.exception("publishing %s failed", changes)
            sent = False
    if relaying and (found.local_screens or found.screens):
        found.relay.send(changes)
    return sent


def _send_states(app: Flask, changes: list[Change]) -> None:
    now = app_now(app)
    with app.app_context(), read_session(app) as session:
        for change in changes:
            for screen in services(app).screens:
                try:
                    screen(session, change, now)
                except Exception:  # the change is committed; a failed push must not fail anything else
                    app.logger.exception("publishing %s to %s failed", change, getattr(screen, "__name__", screen))


def tell_local_screens(app: Flask, changes: Iterable[Change]) -> None:
    """Hand `changes` to this process's local screens; a failing one is logged."""
    for change in changes:
        for screen in services(app).local_screens:
            try:
                screen(app, change)
            except Exception:
                app.logger.exception("telling %s of %s failed", getattr(screen, "__name__", screen), change)


def relay(app: Flask) -> Relay:
    """The app's relay to every server process."""
    return services(app).relay

