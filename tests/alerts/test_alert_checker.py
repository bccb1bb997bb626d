"""The server's own alert checker: alerts are raised, told to the consoles and floors, and e-mailed with no live
floor open; repeats are e-mailed once per repeat interval until acknowledged; one process checks at a time.
The app's clock is moved and the checker's step called directly (nothing waits for its thread)."""
from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select

from kezek.alerts.checker import AlertChecker, Leadership
from kezek.services import services
from kezek.writelock import WriteBusy
from kezek.alerts.engine import open_alerts
from kezek.extensions import db as kezek_db
from kezek.extensions import socketio
from kezek.models import User
from tests.alerts.conftest import text_of
from tests.alerts.helpers import busy_demo

pytest.importorskip("aiosmtpd", reason="the SMTP tests need aiosmtpd (the test extra)")


STILL = "Әлі қабылданбады"  # "Still not acknowledged", as the e-mail says it in Kazakh


@pytest.fixture
def office(app, auth, clock):
    auth.create("aigul", "clerk", "demo")
    auth.create("mira", "manager", "demo")
    return busy_demo(app, clock)


@pytest.fixture
def checker(app):
    made = services(app).alert_checker
    yield made
    made.stop()


def mail_to_mira(app):
    with app.app_context():
        kezek_db.session.scalar(select(User).where(User.username == "mira")).alert_email = "mira@example.kz"
        kezek_db.session.commit()


def test_with_no_floor_open_the_checker_raises_tells_the_consoles_and_e_mails(app, client, auth, clock, smtp, office,
                                                                             checker):
    office_id, cabinet_id = office
    inbox, port = smtp()
    app.config.update(SMTP_URL=f"smtp://127.0.0.1:{port}", PUBLIC_URL="https://kezek.example.kz")
    mail_to_mira(app)
    auth.login("aigul")
    console = socketio.test_client(app, namespace="/console", auth={"cabinet": cabinet_id}, flask_test_client=client)
    console.get_received("/console")
    assert checker.step() == 0  # B-002 has waited 0 of 10 minutes
    clock.moment += timedelta(minutes=8)
    assert checker.step() == 1
    assert [item["name"] for item in console.get_received("/console")] == ["alert"]
    assert "open a cabinet for B" in client.get(f"/console/{cabinet_id}/alerts?lang=en").get_data(as_text=True)
    ((to, message),) = inbox.messages
    assert to == ["mira@example.kz"] and f"https://kezek.example.kz/reports/live/{office_id}" in text_of(message)
    clock.moment += timedelta(minutes=1)
    assert checker.step() == 0 and console.get_received("/console") == []  # shown a minute ago: quiet
    console.disconnect(namespace="/console")


def test_a_repeat_is_e_mailed_once_per_interval_until_a_manager_acknowledges_it(app, client, auth, clock, smtp, office,
                                                                                checker):
    office_id, _cabinet_id = office
    inbox, port = smtp()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    mail_to_mira(app)
    start = clock.moment

    def step_at(minutes: float) -> list[str]:
        clock.moment = start + timedelta(minutes=minutes)
        before = len(inbox.messages)
        checker.step()
        return [text_of(message) for _to, message in inbox.messages[before:]]

    assert step_at(0) == []
    (raised,) = step_at(8)
    # E-mail is in the installation's language (Kazakh by default).
    assert "B-002 10 минуттың 8 минутын күтті" in raised and STILL not in raised
    (breach,) = step_at(11)  # past the limit: a new alert, e-mailed at once
    assert "B-002 11 минут күтті" in breach and STILL not in breach
    assert step_at(12) == [] and step_at(15.5) == []  # within the 5-minute interval: no second message
    (again,) = step_at(16)
    assert f"{STILL} (2" in again and "B-002 16 минут күтті" in again
    auth.login("mira")
    part = client.post(f"/reports/live/{office_id}/alerts?lang=en", headers={"X-CSRFToken": auth.token()})
    alert_id = re.search(r'data-alert="(\d+)" data-rule="breach"', part.get_data(as_text=True)).group(1)
    client.post(f"/reports/alerts/{alert_id}/acknowledge", data={"csrf_token": auth.token()})
    assert step_at(21) == [] and step_at(40) == []  # acknowledged: no more e-mail
    record = client.get("/reports/alerts?lang=en").get_data(as_text=True)
    assert record.count("e-mailed to mira@example.kz") == 3


def test_the_floor_sounds_for_an_alert_the_checker_raised_since_its_last_check(app, client, auth, clock, office,
                                                                              checker):
    office_id, _cabinet_id = office
    auth.create("erlan", "regional_manager", None)
    auth.login("mira")
    url = f"/reports/live/{office_id}/alerts?lang=en"
    first = client.post(url, headers={"X-CSRFToken": auth.token()}).get_data(as_text=True)
    since = re.search(r'data-checked="([^"]+)"', first).group(1)
    clock.moment += timedelta(minutes=8)
    checker.step()  # the server raised it between the page's checks
    part = client.post(url, data={"since": since}, headers={"X-CSRFToken": auth.token()}).get_data(as_text=True)
    assert 'data-due="1"' in part and "B-002 has waited 8 of 10 minutes" in part
    again = re.search(r'data-checked="([^"]+)"', part).group(1)
    part = client.post(url, data={"since": again}, headers={"X-CSRFToken": auth.token()}).get_data(as_text=True)
    assert 'data-due="0"' in part  # sounded once
    for junk in ("yesterday", "2026-12-06T10:00:00", ""):  # unreadable or without its offset: only this check counts
        assert client.post(url, data={"since": junk}, headers={"X-CSRFToken": auth.token()}).status_code == 200

    auth.login("erlan")
    tile = client.get(f"/reports/live/{office_id}/tile?lang=en").get_data(as_text=True)
    shown = int(re.search(r'data-alert-shown="(\d+)"', tile).group(1))
    clock.moment += timedelta(minutes=5)
    checker.step()  # past the limit: a breach, so the grid's tile moves on and the grid sounds
    tile = client.get(f"/reports/live/{office_id}/tile?lang=en").get_data(as_text=True)
    assert int(re.search(r'data-alert-shown="(\d+)"', tile).group(1)) > shown
    assert 'id="floor-sound"' in client.get("/reports/live?lang=en").get_data(as_text=True)  # the "sound on" button


def test_the_server_s_checker_thread_raises_the_alert_by_itself(app, clock, office):
    office_id, _cabinet_id = office
    clock.moment += timedelta(minutes=8)
    app.config["ALERT_CHECK_SECONDS"] = 0.05
    checker = services(app).alert_checker
    checker.start()  # as start_serving does where `kezek serve` and kezek/wsgi.py start
    try:
        for _ in range(400):  # waits for the outcome (at most 20 s), asserts no duration
            with app.app_context():
                alerts = open_alerts(kezek_db.session, office_id)
            if alerts:
                break
            time.sleep(0.05)
        assert [alert.rule for alert in alerts] == ["near_limit"]
    finally:
        checker.stop()
    assert not checker.thread.is_alive()


def test_a_check_interval_of_0_leaves_checking_to_open_floors(app):
    app.config["ALERT_CHECK_SECONDS"] = 0
    checker = services(app).alert_checker
    checker.start()
    assert checker.thread is None  # no thread: nothing checks on its own


POSTGRES = os.environ.get("KEZEK_TEST_POSTGRES_URL")


@pytest.mark.skipif(not POSTGRES, reason="needs KEZEK_TEST_POSTGRES_URL")
def test_on_postgresql_one_process_checks_at_a_time_and_another_takes_over_when_it_stops():
    engine = create_engine(POSTGRES)
    first, second = Leadership(engine), Leadership(engine)  # as in two gunicorn workers
    try:
        assert first.held() and not second.held()
        assert first.held() and not second.held()  # the first keeps checking, round after round
        first.release()  # its process stopped (or its connection died)
        assert second.held() and not first.held()
    finally:
        first.release()
        second.release()
        engine.dispose()


def test_on_sqlite_the_one_process_checks(app):
    engine = services(app).engine
    if engine.dialect.name != "sqlite":
        pytest.skip("the SQLite case")
    checker = AlertChecker(app, engine, lambda: 30)
    assert checker.leadership.held()
    assert checker.step() == 0


@pytest.mark.settings(WRITE_WAIT_SECONDS=0.5)  # a kiosk tap gives up after waiting half a second for the writer
def test_a_kiosk_tap_gets_its_ticket_while_the_checker_works_out_a_busy_office(app, kiosk, clock, office, checker,
                                                                            monkeypatch):
    """Working out a busy office's waits takes a while under load; the checker does it before it takes the
    database's writer, so kiosks and clerks are not held up (they were: 503 answers every 30 s)."""
    import threading

    from kezek.alerts import engine

    kiosk.enrol()
    looking, slow = threading.Event(), engine.conditions

    def slow_conditions(*args, **kwargs):
        if not looking.is_set():  # the first office looked at takes three times what a tap waits for the writer
            looking.set()
            time.sleep(1.5)
        return slow(*args, **kwargs)

    monkeypatch.setattr(engine, "conditions", slow_conditions)
    clock.moment += timedelta(minutes=8)
    round_done = []
    thread = threading.Thread(target=lambda: round_done.append(checker.step()))
    thread.start()
    try:
        assert looking.wait(10)
        answer = kiosk.take("A")  # while the checker looks at the demo office
        assert answer.status_code == 303, answer.status_code
    finally:
        thread.join(20)
    assert round_done and round_done[0] >= 1  # and the checker still raised the demo office's alert
    with app.app_context():
        assert [alert.rule for alert in open_alerts(kezek_db.session, office[0])] == ["near_limit"]


@pytest.mark.settings(WRITE_WAIT_SECONDS=0.5)
def test_a_round_that_changes_nothing_does_not_wait_for_the_database_s_writer(app, clock, office, checker,
                                                                              server_database):
    """Most rounds of most offices change nothing. Such a round does not queue for SQLite's one writer behind
    the kiosks and clerks: while a long write holds it (a busy hall, a backup), the round still ends at once,
    and only a round with something to raise waits for its turn."""
    import threading

    if server_database is not None:
        pytest.skip("PostgreSQL has no one writer: rows lock themselves")

    clock.moment += timedelta(minutes=8)
    assert checker.step() == 1  # the demo office's visitor near their limit: raised
    held, release = threading.Event(), threading.Event()

    def long_write():
        with services(app).write_lock:
            held.set()
            release.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        assert checker.step() == 0  # nothing new: no wait, no "writer busy" failure
        assert time.monotonic() - started < 0.5
        clock.moment += timedelta(minutes=5)  # now the alert is due to be shown again: that round must write
        with pytest.raises(WriteBusy):
            checker.step()
    finally:
        release.set()
        writer.join(10)
    assert checker.step() == 1  # the writer free again, the repeat is shown
