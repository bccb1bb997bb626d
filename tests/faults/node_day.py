"""One office node working through a simulated day, as a process of its own (run by test_fault_nodes_link_cut).

    python tests/faults/node_day.py OFFICE CABINET CLERK PASSWORD DAY VISITORS

The node's app (its SQLite database from KEZEK_INSTANCE_PATH) reads a clock that walks through DAY
(local, Asia/Almaty) from 09:00 to 18:00 in two-minute steps: visitors take tickets at the office's
kiosk page at even intervals, and the clerk, through the console, calls, serves and finishes them (every
seventh visitor, called and called again, does not come). The sender ships on a thread of the same process, as under
`kezek serve`, trying again every few seconds while the centre cannot be reached.

The walk is driven by the database, so that a process SIGKILLed in the middle and started again goes
on from where the office was: the clock resumes after the last event, the number of tickets already
issued says who comes next, the cabinet's current ticket says what the clerk does next. When the day
is over it prints "day over" and keeps shipping until it is stopped.
"""
from __future__ import annotations

import sqlite3
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from kezek import create_app
from kezek.nodes.sender import Sender
from kezek.services import services

ALMATY = ZoneInfo("Asia/Almaty")
STEP = timedelta(minutes=2)
PACE = 0.01  # real seconds per simulated step, so that the test can kill the node in the middle of its day


class Clock:
    """The node's clock: a moment the walk moves on."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def main(office: str, cabinet_number: str, clerk_name: str, password: str, day: date, visitors: int) -> None:
    opens = datetime.combine(day, datetime.min.time(), ALMATY).replace(hour=9).astimezone(timezone.utc)
    closes, arrivals = opens + timedelta(hours=9), opens + timedelta(minutes=1)
    gap = timedelta(hours=8) / visitors
    clock = Clock(opens)
    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "CLOCK": clock})
    database = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    connection = sqlite3.connect(database, timeout=30)
    office_id = connection.execute("SELECT id FROM office WHERE slug = ?", (office,)).fetchone()[0]
    cabinet = connection.execute("SELECT id FROM cabinet WHERE office_id = ? AND number = ?",
                                 (office_id, cabinet_number)).fetchone()[0]
    kinds = [row[0] for row in connection.execute(
        "SELECT visit_kind_id FROM cabinet_visit_kind WHERE cabinet_id = ? ORDER BY visit_kind_id", (cabinet,))]
    last = connection.execute("SELECT max(e.at) FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id "
                              "WHERE t.office_id = ?", (office_id,)).fetchone()[0]
    if last is not None:  # started again after a kill: the office goes on after its last event
        clock.moment = max(opens, _utc(last) + STEP)

    stop = threading.Event()
    sender = Sender(services(app).sessions, clock, batch=25, max_delay=2,
                    write_lock=services(app).write_lock)
    threading.Thread(target=sender.run, args=(stop, 0.2), daemon=True).start()

    kiosk, console = app.test_client(), app.test_client()
    answer = console.post("/login", data={"username": clerk_name, "password": password})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:400]
    post = console.post(f"/console/{cabinet}/open", headers={"Accept": "application/json"})
    assert post.status_code in (200, 303), post.get_data(as_text=True)[:400]
    while clock.moment < closes:
        issued = connection.execute("SELECT count(*) FROM ticket WHERE office_id = ?", (office_id,)).fetchone()[0]
        if issued < visitors and clock.moment >= arrivals + gap * issued:
            answer = kiosk.post(f"/kiosk/{office}/tickets",
                                data={"visit_kind": kinds[issued % len(kinds)], "lang": "kk", "kiosk": ""})
            assert answer.status_code == 303, answer.get_data(as_text=True)[:400]
        _clerk_step(connection, console, cabinet)
        connection.commit()  # no read transaction kept open between steps
        clock.moment += STEP
        time.sleep(PACE)
    services(app).print_worker.shutdown()
    print("day over", flush=True)
    stop.wait()  # ship until stopped


def _clerk_step(connection: sqlite3.Connection, console, cabinet: int) -> None:
    """What the clerk does next: call when nobody is at the desk, start a called visitor, finish a served one."""
    current = connection.execute("SELECT id, status, number, recalls FROM ticket WHERE cabinet_id = ? AND status IN "
                                 "('called', 'serving') ORDER BY called_at DESC", (cabinet,)).fetchone()
    if current is None:
        action, data = "call", {}
    elif current[1] == "called" and current[2] % 7 == 0:  # called again once, then marked as not come
        action, data = ("no-show" if current[3] else "recall"), {"ticket_id": current[0]}
    elif current[1] == "called":
        action, data = "start", {"ticket_id": current[0]}
    else:
        action, data = "finish", {"ticket_id": current[0]}
    answer = console.post(f"/console/{cabinet}/{action}", data=data, headers={"Accept": "application/json"})
    assert answer.status_code in (200, 303, 409), (action, answer.status_code, answer.get_data(as_text=True)[:400])


if __name__ == "__main__":
    office_slug, number, user, secret, when, count = sys.argv[1:7]
    main(office_slug, number, user, secret, date.fromisoformat(when), int(count))
