"""The two threads that carry committed changes to the screens: the publisher and the relay.

Neither knows the app: the factory (kezek.wiring) gives each what it calls, so both can live on the
app's services (kezek.services) and kezek.realtime, which reads those services, stays the only
module that knows where the screens are. Why the relay is Kezek's own and not Socket.IO's message
queue: kezek/realtime.py.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace

from kezek.queue.changes import Change

CHANNEL = "kezek-changes"
# Changes a board announces: sent the moment they are committed. Any other change (a ticket taken,
# a visit started or finished, a cabinet paused) may wait HOLD_SECONDS for the next one, and both go
# out as one update: a clerk's "finish" then "call" costs the boards one update, not two, and a
# burst of tickets at the kiosks a few.
ANNOUNCED = frozenset({"called", "recalled"})
HOLD_SECONDS = 0.2
# A batch goes out no sooner than this after the one before began, a call's too: under a rush of calls
# and tickets the boards get at most five updates a second, each with one state per office for all the
# changes since the last, instead of one state for nearly every change (each state is built from the
# database and sent to every board of the office). A call in a quiet office goes out at once; in a
# rush it waits at most this long.
SPACING_SECONDS = 0.2

# heard(changes, from_another_process): what the relay does with the changes it carries.
Heard = Callable[[list[Change], bool], None]


class Relay:
    """Carries changes to every server process: Redis pub/sub with a message queue, a call without.

    A process subscribes only once it has a socket to serve (`listen`), so a process without phones
    or boards receives nothing; a missed message costs a stale screen until its next change or
    reconnect. Each message names the process that sent it, whose boards are built already.
    """

    subscribe_wait_seconds = 2.0

    def __init__(self, url: str, heard: Heard, logger: logging.Logger):
        self.heard = heard
        self.logger = logger
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
            self.heard(changes, False)
            return
        try:
            self.redis.publish(
                CHANNEL, json.dumps({"from": self.sender, "changes": [asdict(change) for change in changes]})
            )
        except Exception:  # Redis away: screens on other processes catch up on the next change or reconnect
            self.logger.exception("relaying %s failed", changes)

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
        self.heard(changes, message["from"] != self.sender)

    def run(self) -> None:
        """Receive forever, subscribing again after a Redis outage."""
        assert self.redis is not None
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
                self.logger.warning("relay from Redis interrupted; subscribing again in %.0f s", pause, exc_info=True)
                time.sleep(pause)
                pause = min(pause * 2, 30.0)


class Publisher:
    """One background thread per app that sends queued changes in order, one state per office per batch.

    `send(batch)` builds and sends the batch's states and says whether they could be built; changes
    whose states could not be are tried again with the next batch, for a while, so the boards end in
    the true state even when the database blinked right after the commit. The thread runs from
    `start` (where serving starts: kezek.services) to `stop`; changes queued before it starts wait
    for it.
    """

    retry_seconds = 1.0
    give_up_seconds = 60.0
    spacing_seconds = SPACING_SECONDS

    def __init__(
        self,
        send: Callable[[list[Change]], bool],
        hold_seconds: Callable[[], float],
        logger: logging.Logger,
        name: str = "kezek-publisher",
    ):
        self.send = send
        self.hold_seconds = hold_seconds
        self.logger = logger
        self.queue: queue.SimpleQueue[Change | None] = queue.SimpleQueue()  # None: stop
        self.thread = threading.Thread(target=self.run, name=name, daemon=True)
        self.started = False
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._spaced_until = 0.0  # monotonic time before which no batch goes out (SPACING_SECONDS)

    def start(self) -> None:
        """Start the sending thread (once)."""
        if not self.started:
            with self._lock:
                if not self.started:
                    self.started = True
                    self.thread.start()

    def stop(self, wait_seconds: float = 2.0) -> None:
        """Send what is queued, then end the thread (waiting at most `wait_seconds`)."""
        self.stopping.set()
        self.queue.put(None)
        if self.started:
            self.thread.join(wait_seconds)

    def put(self, change: Change) -> None:
        """Queue a change for sending."""
        self.queue.put(change)

    def put_all(self, changes: Iterable[Change]) -> None:
        """Queue changes for sending, in order."""
        for change in changes:
            self.queue.put(change)

    def next_batch(self) -> list[Change]:
        """Wait for a change and take whatever else queued up; without a call among them, wait a little
        (`hold_seconds()`, or until a call comes) for more to send with them; with one, only until
        `spacing_seconds` have passed since the last batch went out. Empty when woken by `stop` with
        nothing queued."""
        first = self.queue.get()
        batch = [] if first is None else [first]
        self._drain(batch)
        held_until = time.monotonic() + self.hold_seconds()
        while batch and not self.stopping.is_set():
            called = any(change.kind in ANNOUNCED for change in batch)
            left = (self._spaced_until if called else max(held_until, self._spaced_until)) - time.monotonic()
            if left <= 0:
                break
            try:
                change = self.queue.get(timeout=left)
            except queue.Empty:
                break
            if change is not None:
                batch.append(change)
            self._drain(batch)
        self._spaced_until = time.monotonic() + self.spacing_seconds
        return batch

    def _drain(self, batch: list[Change]) -> None:
        while True:
            try:
                change = self.queue.get_nowait()
            except queue.Empty:
                return
            if change is not None:
                batch.append(change)

    def run(self) -> None:
        """Send until stopped: wait for a change, take whatever else queued up, keep the newest per office.
        Once stopped, what was queued before is sent once more and the thread ends."""
        unsent: list[Change] = []
        failing_since = 0.0
        while True:
            if unsent:
                batch = unsent
                self._drain(batch)
            else:
                batch = self.next_batch()
            if batch:
                try:
                    sent = self.send(batch)
                except Exception:  # send logs its own failures; this keeps the thread alive whatever happens
                    self.logger.exception("publisher")
                    sent = False
            else:
                sent = True
            if self.stopping.is_set():  # a screen left unsent catches up when it reconnects to the next server
                return
            if sent:
                unsent = []
                continue
            if not unsent:
                failing_since = time.monotonic()
            # what is kept is each office's newest change; past the limit the boards' periodic snapshot
            # (and every reconnect) takes over
            unsent = coalesce(batch) if time.monotonic() - failing_since < self.give_up_seconds else []
            self.stopping.wait(self.retry_seconds)


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
    kept = [
        replace(change, first_version=oldest[office_id]) if oldest[office_id] < change.version else change
        for office_id, change in newest.items()
    ]
    return sorted(kept, key=lambda change: (change.office_id, change.version))
