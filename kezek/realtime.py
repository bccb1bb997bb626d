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

import json
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy.orm import Session

from kezek.clock import app_now
from kezek.extensions import socketio
from kezek.queue.changes import Change

Screen = Callable[[Session, Change, datetime], None]
LocalScreen = Callable[[Flask, Change], None]
CHANNEL = "kezek-changes"
# Changes a board announces: sent the moment they are committed. Any other change (a ticket taken,
# a visit started or finished, a cabinet paused) may wait HOLD_SECONDS for the next one, and both go
# out as one update: a clerk's "finish" then "call" costs the boards one update, not two, and a
# burst of tickets at the kiosks a few.
ANNOUNCED = frozenset({"called", "recalled"})
HOLD_SECONDS = 0.2


def add_screen(app: Flask, screen: Screen) -> None:
    """Have `screen(session, change, now)` told of every change `app` publishes, in the publishing process."""
    screens = app.extensions.setdefault("kezek.screens", [])
    if screen not in screens:
        screens.append(screen)


def add_local_screen(app: Flask, screen: LocalScreen) -> None:
    """Have `screen(app, change)` told in every server process of every change, to serve its own sockets."""
    screens = app.extensions.setdefault("kezek.local_screens", [])
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
    if not (app.extensions.get("kezek.screens") or app.extensions.get("kezek.local_screens")):
        return
    try:
        if app.config.get("REALTIME_SYNC"):
            send(app, [change])
        else:
            publisher(app).put(change)
    except Exception:  # a committed change must not turn into an error page
        app.logger.exception("publishing %s failed", change)


def send(app: Flask, changes: list[Change], relaying: bool = True) -> bool:
    """Build and emit each office's newest screen state for this process's screens, then (`relaying`)
    tell every process of each change: their local screens, and their screens of other processes' changes.

    Never raises. False when the states could not be built (the database went away after the commit):
    try again later.
    """
    sent = True
    if app.extensions.get("kezek.screens"):
        try:
            _send_states(app, coalesce(changes))
        except Exception:
            app.logger.exception("publishing %s failed", changes)
            sent = False
    if relaying and (app.extensions.get("kezek.local_screens") or app.extensions.get("kezek.screens")):
        relay(app).send(changes)
    return sent


def _send_states(app: Flask, changes: list[Change]) -> None:
    now = app_now(app)
    with app.app_context(), read_session(app) as session:
        for change in changes:
            for screen in app.extensions.get("kezek.screens", []):
                try:
                    screen(session, change, now)
                except Exception:  # the change is committed; a failed push must not fail anything else
                    app.logger.exception("publishing %s to %s failed", change, getattr(screen, "__name__", screen))


def tell_local_screens(app: Flask, changes: Iterable[Change]) -> None:
    """Hand `changes` to this process's local screens; a failing one is logged."""
    for change in changes:
        for screen in app.extensions.get("kezek.local_screens", []):
            try:
                screen(app, change)
            except Exception:
                app.logger.exception("telling %s of %s failed", getattr(screen, "__name__", screen), change)


class Relay:
    """Carries changes to every server process: Redis pub/sub with a message queue, a call without.

    A process subscribes only once it has a socket to serve (`listen`), so a process without phones
    or boards receives nothing; a missed message costs a stale screen until its next change or
    reconnect. Each message names the process that sent it, whose boards are built already.
    """

    subscribe_wait_seconds = 2.0

    def __init__(self, app: Flask):
        self.app = app
        url = app.config.get("MESSAGE_QUEUE") or ""
        self.redis = None
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            self.redis = redis.Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)
        self.sender = uuid.uuid4().hex  # this process, on the channel
        self.thread: threading.Thread | None = None
        self.subscribed = threading.Event()
        self._lock = threading.Lock()

    def send(self, changes: list[Change]) -> None:
        """Tell every process of `changes` (this one's local screens directly when there is no message queue)."""
        if self.redis is None:
            tell_local_screens(self.app, changes)
            return
        try:
            self.redis.publish(CHANNEL, json.dumps({"from": self.sender,
                                                    "changes": [asdict(change) for change in changes]}))
        except Exception:  # Redis away: screens on other processes catch up on the next change or reconnect
            self.app.logger.exception("relaying %s failed", changes)

    def listen(self) -> None:
        """Start receiving every process's changes (once; nothing to do without a message queue). The
        first call waits a moment for the subscription, so a change right after it is not missed."""
        if self.redis is None:
            return
        if self.thread is None:
            with self._lock:
                if self.thread is None:
                    self.thread = threading.Thread(target=self.run, name="kezek-relay", daemon=True)
                    self.thread.start()
        self.subscribed.wait(self.subscribe_wait_seconds)

    def receive(self, data: str | bytes) -> None:
        """One message: this process's local screens are told, and its screens of another process's changes."""
        message = json.loads(data)
        if isinstance(message, list):  # from a process of the version before senders were named
            message = {"from": None, "changes": message}
        changes = [Change(**fields) for fields in message["changes"]]
        tell_local_screens(self.app, changes)
        if message["from"] != self.sender and self.app.extensions.get("kezek.screens"):
            others_publisher(self.app).put_all(changes)

    def run(self) -> None:
        """Receive forever, subscribing again after a Redis outage."""
        pause = 1.0
        while True:
            try:
                pubsub = self.redis.pubsub()
                pubsub.subscribe(CHANNEL)
                pause = 1.0
                for message in pubsub.listen():
                    if message.get("type") == "subscribe":
                        self.subscribed.set()
                    elif message.get("type") == "message":
                        self.receive(message["data"])
            except Exception:
                self.app.logger.warning("relay from Redis interrupted; subscribing again in %.0f s", pause,
                                        exc_info=True)
                time.sleep(pause)
                pause = min(pause * 2, 30.0)


def relay(app: Flask) -> Relay:
    """The app's relay to every server process, made on first use."""
    return _once_per_app(app, "kezek.relay", Relay)


class Publisher:
    """One background thread per app that sends queued changes in order, one state per office per batch.

    Changes whose states could not be built are tried again with the next batch, for a while, so the
    boards end in the true state even when the database blinked right after the commit.
    """

    retry_seconds = 1.0
    give_up_seconds = 60.0

    def __init__(self, app: Flask, relaying: bool = True, name: str = "kezek-publisher"):
        self.app = app
        self.relaying = relaying  # this process's own changes are relayed; other processes' already were
        self.queue: queue.SimpleQueue[Change] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self.run, name=name, daemon=True)
        self.thread.start()

    def put(self, change: Change) -> None:
        """Queue a change for sending."""
        self.queue.put(change)

    def put_all(self, changes: Iterable[Change]) -> None:
        """Queue changes for sending, in order."""
        for change in changes:
            self.queue.put(change)

    def next_batch(self) -> list[Change]:
        """Wait for a change and take whatever else queued up; without a call among them, wait a little
        (`HOLD_SECONDS`, or until a call comes) for more to send with them."""
        batch = [self.queue.get()]
        self._drain(batch)
        hold = self.app.config.get("REALTIME_HOLD_SECONDS", HOLD_SECONDS)
        until = time.monotonic() + hold
        while not any(change.kind in ANNOUNCED for change in batch):
            left = until - time.monotonic()
            if left <= 0:
                break
            try:
                batch.append(self.queue.get(timeout=left))
            except queue.Empty:
                break
            self._drain(batch)
        return batch

    def _drain(self, batch: list[Change]) -> None:
        while True:
            try:
                batch.append(self.queue.get_nowait())
            except queue.Empty:
                return

    def run(self) -> None:
        """Send forever: wait for a change, take whatever else queued up, keep the newest per office."""
        unsent: list[Change] = []
        failing_since = 0.0
        while True:
            if unsent:
                batch = unsent
                self._drain(batch)
            else:
                batch = self.next_batch()
            try:
                sent = send(self.app, batch, relaying=self.relaying)
            except Exception:  # send logs its own failures; this keeps the thread alive whatever happens
                self.app.logger.exception("publisher")
                sent = False
            if sent:
                unsent = []
                continue
            if not unsent:
                failing_since = time.monotonic()
            # what is kept is each office's newest change; past the limit the boards' periodic snapshot
            # (and every reconnect) takes over
            unsent = coalesce(batch) if time.monotonic() - failing_since < self.give_up_seconds else []
            time.sleep(self.retry_seconds)


def coalesce(changes: list[Change]) -> list[Change]:
    """The newest change of each office: its state is built after them all, so it shows every one of them.

    A board announces each call it has not shown yet, so calls need no update of their own. The
    change kept carries the oldest version it stands for (`first_version`).
    """
    newest: dict[int, Change] = {}
    oldest: dict[int, int] = {}
    for change in changes:
        if change.office_id not in newest or change.version > newest[change.office_id].version:
            newest[change.office_id] = change
        first = change.first_version or change.version
        oldest[change.office_id] = min(first, oldest.get(change.office_id, first))
    kept = [replace(change, first_version=oldest[office_id]) if oldest[office_id] < change.version else change
            for office_id, change in newest.items()]
    return sorted(kept, key=lambda change: (change.office_id, change.version))


def publisher(app: Flask) -> Publisher:
    """The app's publisher, started on first use."""
    return _once_per_app(app, "kezek.publisher", Publisher)


def others_publisher(app: Flask) -> Publisher:
    """The publisher of other processes' changes to this process's screens: batches from all of them are
    held and sent together as this process's own are, so each office's boards here cost one state per
    batch however many processes change it."""
    return _once_per_app(app, "kezek.others_publisher",
                         lambda app: Publisher(app, relaying=False, name="kezek-others-publisher"))


_making_lock = threading.Lock()


def _once_per_app(app: Flask, key: str, make):
    found = app.extensions.get(key)
    if found is None:
        with _making_lock:
            found = app.extensions.get(key)
            if found is None:
                found = app.extensions[key] = make(app)
    return found
