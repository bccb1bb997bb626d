"""A kiosk tap waits a bounded time for the database's writer, then says "please tap again" and issues nothing."""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time

import pytest

from kezek.extensions import db as kezek_db
from kezek.writelock import SQLiteWriteLock, WriteBusy
from kezek.services import services
from tests.conftest import KioskActions, all_tickets


def _hold(path: str, seconds: float, started) -> None:
    with SQLiteWriteLock(path, timeout=30):
        started.set()
        time.sleep(seconds)


@pytest.fixture
def held_by_another_process(app, kiosk, tmp_path):
    """Another server process holds the database's write lock (stuck, or a long backup); the kiosk was
    enrolled before."""
    kiosk.enrol()
    started = multiprocessing.get_context("fork").Event()
    other = multiprocessing.get_context("fork").Process(
        target=_hold, args=(str(tmp_path / "kezek.sqlite3"), 60, started), daemon=True)
    other.start()
    assert started.wait(10)
    yield other
    other.terminate()
    other.join(10)


def _tickets(app) -> int:
    with app.app_context():
        return len(all_tickets(kezek_db.session))


def test_a_writer_gives_up_after_its_timeout(tmp_path):
    path = str(tmp_path / "k.sqlite3")
    started = multiprocessing.get_context("fork").Event()
    other = multiprocessing.get_context("fork").Process(target=_hold, args=(path, 30, started), daemon=True)
    other.start()
    try:
        assert started.wait(10)
        with pytest.raises(WriteBusy):
            with SQLiteWriteLock(path, timeout=0.2):
                pass
    finally:
        other.terminate()
        other.join(10)
    with SQLiteWriteLock(path, timeout=5):  # free again: the lock is taken
        pass


def test_a_tap_while_another_process_holds_the_lock_asks_to_tap_again(app, kiosk, held_by_another_process):
    if os.environ.get("KEZEK_TEST_DATABASE_URL"):
        pytest.skip("the cross-process write lock is SQLite's; PostgreSQL locks rows instead")
    services(app).write_lock.timeout = 0.3  # as KEZEK_WRITE_WAIT_SECONDS=0.3 would make it
    before = _tickets(app)
    answer = kiosk.take("A", lang="en")
    assert answer.status_code == 503
    page = answer.get_data(as_text=True)
    assert "Please tap again" in page and "No ticket was issued" in page
    assert 'href="/kiosk/taraz?lang=en"' in page  # the button starts the choice again
    held_by_another_process.terminate()
    held_by_another_process.join(10)
    assert _tickets(app) == before  # the lock is free: still nothing issued for that tap
    assert kiosk.take("A", lang="en").status_code == 303
    assert _tickets(app) == before + 1


def test_a_tap_while_sqlite_itself_is_locked_asks_to_tap_again(quick_app, tmp_path):
    before = _tickets(quick_app)
    visitor = KioskActions(quick_app.test_client(), quick_app)
    visitor.token()  # the kiosk is enrolled (a write) before the database is locked
    holder = sqlite3.connect(tmp_path / "quick.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # e.g. an operator's sqlite3 shell in the middle of a change
        answer = visitor.take("A", lang="en")
        assert answer.status_code == 503
        assert "Please tap again" in answer.get_data(as_text=True)
    finally:
        holder.rollback()
        holder.close()
    assert _tickets(quick_app) == before


@pytest.fixture
def quick_app(tmp_path, clock):
    """The app with writers waiting 0.3 s at most (KEZEK_WRITE_WAIT_SECONDS)."""
    from kezek import create_app
    from kezek.models import Base
    from kezek.seeding import create_demo_office, load_offices, load_services

    app = create_app({"INSTANCE_PATH": str(tmp_path / "quick"),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
                      "SECRET_KEY": "test", "TESTING": True, "PRINTER_URL": "dummy://", "CLOCK": clock,
                      "WRITE_WAIT_SECONDS": 0.3})
    with app.app_context():
        Base.metadata.create_all(kezek_db.engine)
        load_services(kezek_db.session)
        load_offices(kezek_db.session)
        create_demo_office(kezek_db.session)
        kezek_db.session.commit()
    yield app
    services(app).close()
