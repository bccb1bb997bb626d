"""The app's services are one object made with the app; nothing of Kezek's hides under another key of
app.extensions, and the threads start where serving starts, not when the app is made."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from kezek import create_app
from kezek.extensions import db
from kezek.services import Services, services, start_serving, stop_serving
from tests.conftest import KioskActions

ROOT = Path(__file__).resolve().parents[2]
FLASK_EXTENSIONS = {"babel", "csrf", "limiter", "socketio"}  # the extensions' own keys, not Kezek's


def test_a_made_app_holds_its_services_in_one_object_and_runs_no_thread_until_served(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
                      "SECRET_KEY": "test-secret", "TESTING": True, "PRINTER_URL": f"dummy://{tmp_path / 'prints'}"})
    found = services(app)
    assert isinstance(found, Services) and set(app.extensions) == FLASK_EXTENSIONS | {"kezek"}
    assert found.sessions.kw["bind"] is found.engine
    threads = [found.print_worker.dispatcher, found.publisher.thread, found.others_publisher.thread]
    assert not any(thread is not None and thread.is_alive() for thread in threads)
    try:
        start_serving(app)  # what `kezek serve` does once it listens
        start_serving(app)  # once, however often asked
        running = [found.print_worker.dispatcher, found.publisher.thread, found.others_publisher.thread]
        assert all(thread is not None and thread.is_alive() for thread in running)
    finally:
        stop_serving(app)  # what the server's exit does
    assert not any(thread.is_alive() for thread in running)
    found.engine.dispose()


def test_nothing_a_request_does_starts_a_thread_of_the_app_s(tmp_path, seeded_database, clock):
    """A kiosk ticket in an app nobody serves (a command's) stays in the print journal for the server."""
    import shutil

    from sqlalchemy import select

    from kezek.models import PrintJob
    from kezek.printing.journal import pending_jobs

    shutil.copyfile(seeded_database, tmp_path / "k.db")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
                      "SECRET_KEY": "test-secret", "TESTING": True, "PRINTER_URL": f"dummy://{tmp_path / 'prints'}",
                      "CLOCK": clock})
    found = services(app)
    KioskActions(app.test_client(), app).take("A")  # enrolled at the kiosk, a visitor takes a ticket
    assert found.print_worker.dispatcher is None and not found.publisher.thread.is_alive()
    with found.sessions() as session:
        assert len(pending_jobs(session, clock())) == 1 and session.scalar(select(PrintJob.state)) == "queued"
    assert not (tmp_path / "prints").exists() or not list((tmp_path / "prints").iterdir())
    try:
        start_serving(app)  # the server starts: the journal's ticket prints now
        for _ in range(200):
            if (tmp_path / "prints").exists() and list((tmp_path / "prints").glob("*.bin")):
                break
            time.sleep(0.05)
        assert len(list((tmp_path / "prints").glob("*.bin"))) == 1
    finally:
        found.close()


def test_no_module_keeps_state_under_a_key_of_its_own_in_app_extensions():
    # any key but the services' own "kezek" (kezek.services.KEY)
    own_keys = re.compile(r"""extensions(\[|\.get\(|\.setdefault\(|\.pop\()\s*["'](?!kezek["'])""")
    found = []
    for package in ("kezek", "kiosk", "display", "directory", "printer"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts and own_keys.search(path.read_text(encoding="utf-8")):
                found.append(str(path.relative_to(ROOT)))
    assert found == []


def test_kezek_serve_starts_the_app_s_threads_when_it_serves_and_stops_them_when_it_stops(tmp_path, monkeypatch):
    from kezek import commands

    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
                      "SECRET_KEY": "test-secret", "TESTING": True, "PRINTER_URL": f"dummy://{tmp_path / 'prints'}"})
    found = services(app)
    seen = {}

    def server(app, host, port, on_start, chosen, on_stop, **tls):  # the server's life, without its sockets
        on_start()
        seen["serving"] = [found.print_worker.dispatcher.is_alive(), found.publisher.thread.is_alive(),
                           found.others_publisher.thread.is_alive()]
        on_stop()

    monkeypatch.setattr(commands.webserver, "run", server)
    monkeypatch.setattr(commands, "settle_for_serving", lambda: None)
    try:
        result = app.test_cli_runner().invoke(args=["serve", "--host", "127.0.0.1", "--port", "5999"])
        assert result.exit_code == 0, result.output
        assert seen["serving"] == [True, True, True]
        assert not found.print_worker.dispatcher.is_alive() and not found.publisher.thread.is_alive()
        assert not found.others_publisher.thread.is_alive()
    finally:
        found.close()


def test_a_tap_and_an_alert_check_each_need_only_one_database_connection(app, kiosk, server_database):
    """Under a rush the threads waiting for the writer's turn hold the pool's connections. A write that needs a
    second connection once it has the turn (or takes its first only then) waits for one of theirs, and nothing
    moves until their waits run out: kiosks and clerks get "try again" (the embedded benchmark's 50 kiosks
    and 30 clerks, while alerts were checked). With one connection left, each completes."""
    import threading

    from kezek.models import Office
    from kezek.reports.alert_routes import check_office

    if server_database is not None:
        pytest.skip("PostgreSQL has no one writer to wait for")
    kiosk.enrol()
    engine = services(app).engine
    held = [engine.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow - 1)]
    try:
        for connection in held:
            connection.exec_driver_sql("SELECT 1")
        answers: list = []

        def check():
            with app.app_context():
                office = db.session.scalar(select(Office).where(Office.slug == "taraz"))
                answers.append(check_office(office, tell=False))

        for work in (lambda: answers.append(kiosk.take("A").status_code), check):
            done = threading.Thread(target=work, daemon=True)
            done.start()
            done.join(20)
        assert answers[0] == 303 and len(answers) == 2
    finally:
        for connection in held:
            connection.close()
