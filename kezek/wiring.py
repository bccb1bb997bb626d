"""How the factory makes the app's services (kezek.services): each made once, here, and wired to the
functions it calls, so that no blueprint, socket handler or request makes one."""

from __future__ import annotations

from contextlib import nullcontext

from flask import Flask
from sqlalchemy.orm import sessionmaker

from directory.finder import SearchCache
from directory.live import LiveCache
from kezek import realtime, sessions
from kezek.alerts.checker import AlertChecker
from kezek.known_devices import KnownDevices
from kezek.models.base import make_engine
from kezek.phone.status import PhoneScreens
from kezek.planning.cache import PlanCache
from kezek.printing.sender_lock import SenderLocks
from kezek.printing.worker import PrintWorker
from kezek.realtime_threads import HOLD_SECONDS, Publisher, Relay
from kezek.services import KEY, Services, printing_settings
from kezek.writelock import WAIT_SECONDS, SQLiteWriteLock
from kiosk import events as kiosk_events
from kiosk.watcher import Watcher


def make_services(app: Flask) -> Services:
    """Make `app`'s services from its settings and keep them as `app.extensions["kezek"]`; nothing starts yet."""
    config = app.config
    # A writer waits this long for its turn, then gives up with nothing written (kezek.writelock).
    wait = float(config.get("WRITE_WAIT_SECONDS", WAIT_SECONDS))
    engine = make_engine(config["DATABASE_URL"], busy_seconds=wait)
    # The app's sessions keep wait records and the office figures' cache in step as they flush.
    factory = sessions.keep_in_step(sessionmaker(engine, expire_on_commit=False))
    sqlite = engine.dialect.name == "sqlite"

    def hold_seconds() -> float:
        return float(config.get("REALTIME_HOLD_SECONDS", HOLD_SECONDS))

    def heard(changes, from_another_process: bool) -> None:
        realtime.tell_local_screens(app, changes)
        if from_another_process and found.screens:
            found.others_publisher.put_all(changes)

    found = Services(
        engine=engine,
        sessions=factory,
        # PostgreSQL needs no such lock: the rows a write touches lock themselves.
        write_lock=SQLiteWriteLock(engine.url.database, wait) if sqlite else nullcontext(),
        print_worker=PrintWorker(factory, config["PRINTER_URL"], settings=lambda: printing_settings(app),
                                 sender_locks=SenderLocks(engine.url.database if sqlite else None)),
        relay=Relay(config.get("MESSAGE_QUEUE") or "", heard, app.logger),
        publisher=Publisher(lambda batch: realtime.send(app, batch), hold_seconds, app.logger),
        # held and sent together as this process's own are, so each office's boards here cost one
        # state per batch however many processes change it
        others_publisher=Publisher(
            lambda batch: realtime.send(app, batch, relaying=False),
            hold_seconds,
            app.logger,
            name="kezek-others-publisher",
        ),
        phone=PhoneScreens(),
        kiosk_watcher=Watcher(
            kiosk_events.watched_offices,
            lambda office_ids: kiosk_events.check(app, office_ids),
            lambda: float(config.get("KIOSK_CHECK_SECONDS", 10)),
            app.logger,
        ),
        directory_search=SearchCache(),
        directory_live=LiveCache(),
        plans=PlanCache(),
        known_devices=KnownDevices(),
        alert_checker=AlertChecker(app, engine, lambda: float(config["ALERT_CHECK_SECONDS"])),
    )
    app.extensions[KEY] = found
    return found
