"""The app's services in one typed object: the database, the write lock, the print worker, the alert checker,
the screens' publisher and relay, and what the screens keep between requests.

The factory makes it (kezek.wiring.make_services, called by kezek.create_app) and keeps it as
`app.extensions["kezek"]`; code reads it through `services(app)`, or `current_services()` inside an app
context. Nothing else in `app.extensions` is Kezek's.

Its threads (the print worker, the publishers, the alert checker) start only where serving starts
(`start_serving`: `kezek serve`, `kezek demo`, kezek/wsgi.py, the tests' app) and stop with `stop` (the
server's exit); never from a blueprint or a request. An app nobody serves (a command's) starts none: a
ticket it queues for printing waits in the journal for the server. Two threads follow connections
instead, each for a documented reason: the relay subscribes when this process first has a screen to
keep up to date (kezek.realtime_threads), the kiosk watcher runs while a kiosk page is connected
(kiosk.watcher). `close()` stops the threads and lets go of the database's connections.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kezek.clock import app_now
from kezek.printing.statuses import printer_policy
from kezek.queue.changes import Change

if TYPE_CHECKING:  # the classes' own modules import nothing of this one; the packages they sit in do
    from directory.finder import SearchCache
    from directory.live import LiveCache
    from kezek.known_devices import KnownDevices
    from kezek.phone.status import PhoneScreens
    from kezek.planning.cache import PlanCache
    from kezek.planning.plan import WeekPlan
    from kezek.printing.worker import PrintWorker
    from kezek.realtime_threads import Publisher, Relay
    from kezek.writelock import SQLiteWriteLock
    from kiosk.watcher import Watcher

KEY = "kezek"


class Background(Protocol):
    """A thread of the app's that serving starts and closing stops (the alert checker: kezek.alerts.checker,
    whose module reads the reports' views, so this one names only what it calls)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


# A screen built from a change in the process that publishes it (the board): screen(session, change, now).
Screen = Callable[[Session, Change, datetime], None]
# A screen every server process is told of each change, to serve its own sockets (the phone page).
LocalScreen = Callable[[Flask, Change], None]


@dataclass(eq=False)
class Services:
    """Everything one app holds beside its settings, made once by the factory."""

    engine: Engine
    sessions: sessionmaker[Session]  # the app's sessions, with the flush hooks (kezek.sessions)
    # Hold around a write transaction up to its commit; PostgreSQL needs none (the rows lock themselves).
    write_lock: SQLiteWriteLock | nullcontext[None]
    print_worker: PrintWorker
    relay: Relay  # changes to and from the other server processes
    publisher: Publisher  # this process's changes to its screens
    others_publisher: Publisher  # other processes' changes to this process's screens
    phone: PhoneScreens  # what the phones connected to this process were told
    kiosk_watcher: Watcher  # the kiosks' clock watcher
    directory_search: SearchCache  # the directory's search index
    directory_live: LiveCache  # the offices' live states, as last built
    known_devices: KnownDevices  # the device credentials this process verified (kezek.known_devices)
    plans: PlanCache[WeekPlan]  # the staffing plans last worked out (each takes seconds)
    alert_checker: Background  # every office's alerts checked with no live floor open (kezek.alerts.checker)
    screens: list[Screen] = field(default_factory=list)  # kezek.realtime.add_screen
    local_screens: list[LocalScreen] = field(default_factory=list)  # kezek.realtime.add_local_screen
    # The last board state built in this process per office: (version, when, state).
    board_states: dict[int, tuple[int, float, dict]] = field(default_factory=dict)
    node_sender: tuple[threading.Thread, threading.Event] | None = None  # kezek.nodes.service
    admin_set_up: bool = False  # the first administrator exists (accounts are never all deleted)
    public_address_warned: bool = False  # the log was told once that KEZEK_PUBLIC_URL is not set

    def start(self) -> None:
        """Start the print worker (it prints the journal's unsent jobs, those a stop left too), the publishers
        and the alert checker."""
        self.print_worker.start()
        self.publisher.start()
        self.others_publisher.start()
        self.alert_checker.start()

    def stop(self) -> None:
        """Stop the alert checker, the print worker (a ticket being sent is let finish) and the publishers
        (what they hold is sent first)."""
        self.alert_checker.stop()
        self.print_worker.shutdown()
        self.publisher.stop()
        self.others_publisher.stop()

    def close(self) -> None:
        """Stop the threads, then let go of the database's connections."""
        self.stop()
        self.engine.dispose()


def services(app: Flask) -> Services:
    """`app`'s services."""
    found: Services = app.extensions[KEY]
    return found


def current_services() -> Services:
    """The current app's services (inside an app context)."""
    return services(current_app)


def printing_settings(app: Flask) -> dict[str, Any]:
    """The print worker's settings from `app`'s, read when it starts (a test may change them before)."""
    config = app.config
    return {
        "clock": lambda: app_now(app),
        "timeout": float(config.get("PRINTER_TIMEOUT", 5.0)),
        "retry_seconds": config.get("PRINT_RETRY_SECONDS", (2.0, 60.0)),
        "write_lock": services(app).write_lock,
        "policy": printer_policy(config),
    }


def start_serving(app: Flask) -> None:
    """Start `app`'s threads (once): tickets left unprinted by a stop print now, before anyone comes.

    Called where serving starts: `kezek serve` and `kezek demo` once the server is up, kezek/wsgi.py
    for a gunicorn of one's own; `stop_serving` where it ends.
    """
    services(app).start()


def stop_serving(app: Flask) -> None:
    """Stop `app`'s threads: the server's exit (`kezek serve`, `kezek demo`, a gunicorn worker's)."""
    services(app).stop()
