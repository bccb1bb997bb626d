"""Clients for fault tests: kiosks tapping over HTTP, a board socket that behaves like display.js, journal checks."""
from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KIND = re.compile(r'name="visit_kind" value="(\d+)"')
# Any kiosk may issue as fast as the test drives it (all test kiosks share 127.0.0.1, and one device credential).
UNLIMITED = {"KEZEK_KIOSK_TICKET_LIMIT": "1000000 per minute", "KEZEK_KIOSK_ADDRESS_LIMIT": "1000000 per minute",
             "KEZEK_OPEN_KIOSK_LIMIT": "1000000 per minute"}  # the demo office is an open web kiosk


@dataclass
class Answer:
    """One kiosk post: HTTP status (0 when no answer), seconds taken, the ticket code or the page text."""

    status: int
    seconds: float
    code: str = ""
    body: str = ""


class Kiosk:
    """One kiosk session (own cookie and CSRF token) at the demo office, over plain http.client.

    `device` is the enrolled kiosk's cookie (`LiveServer.enrol()`), sent with every request.
    """

    def __init__(self, port: int, office: str = "demo", service: str = "social_assistance", timeout: float = 15,
                 kiosk: str = "", device: str = ""):
        self.port, self.office, self.service, self.timeout, self.kiosk = port, office, service, timeout, kiosk
        self.device = device
        self.token = self.cookie = ""
        self.kinds: list[str] = []
        self.n = 0

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def open(self) -> "Kiosk":
        """Load the service page: the session cookie, the CSRF token and the visit kinds."""
        connection = self._connection()
        try:
            connection.request("GET", f"/kiosk/{self.office}/service/{self.service}",
                               headers={"Cookie": self.device} if self.device else {})
            answer = connection.getresponse()
            page = answer.read().decode()
            self.cookie = "; ".join(filter(None, [answer.getheader("Set-Cookie").split(";", 1)[0], self.device]))
            self.token, self.kinds = TOKEN.search(page).group(1), KIND.findall(page)
        finally:
            connection.close()
        return self

    def take(self) -> Answer:
        """Post the take-ticket form once (a new connection each time, as a kiosk browser after an error)."""
        body = urllib.parse.urlencode({"csrf_token": self.token, "visit_kind": self.kinds[self.n % len(self.kinds)],
                                       "lang": "kk", "kiosk": self.kiosk})
        self.n += 1
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        connection = self._connection()
        started = time.perf_counter()
        try:
            connection.request("POST", f"/kiosk/{self.office}/tickets", body=body, headers=headers)
            answer = connection.getresponse()
            page = answer.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            return Answer(0, time.perf_counter() - started)
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        location = answer.getheader("Location") or ""
        code = location.split("/tickets/")[1].split("?")[0] if answer.status == 303 and "/tickets/" in location else ""
        return Answer(answer.status, seconds, code, "" if code else page)


def tap_until(kiosks: list[Kiosk], stop: threading.Event, answers: list[Answer], most: int = 400,
              seconds: float = 60, pause: float = 0.0) -> list[threading.Thread]:
    """Start one thread per kiosk posting until `stop` is set (at most `most` posts each, `seconds` long)."""
    deadline = time.monotonic() + seconds

    def run(kiosk: Kiosk) -> None:
        for _ in range(most):
            if stop.is_set() or time.monotonic() > deadline:
                return
            answer = kiosk.take()
            answers.append(answer)
            if answer.status != 303 or pause:
                time.sleep(max(pause, 0.05 if answer.status != 303 else 0))

    threads = [threading.Thread(target=run, args=(kiosk,), daemon=True) for kiosk in kiosks]
    for thread in threads:
        thread.start()
    return threads


def tap_together(kiosks: list[Kiosk], times: int, timeout: float = 60) -> list[Answer]:
    """Every kiosk posts `times` times, all kiosks at once (a thread each); their answers."""
    answers: list[Answer] = []

    def tap(kiosk: Kiosk) -> None:
        for _ in range(times):
            answers.append(kiosk.take())

    threads = [threading.Thread(target=tap, args=(kiosk,)) for kiosk in kiosks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return answers


def statuses(answers: list[Answer]) -> Counter:
    """How many answers had each status."""
    return Counter(answer.status for answer in answers)


@dataclass
class Board:
    """A board socket that does what static/js/display.js does: render snapshots, ask again on a version gap."""

    url: str
    office: str = "demo"
    version: int = -1
    state: dict = field(default_factory=dict)
    snapshots: int = 0
    updates: list = field(default_factory=list)
    gaps: int = 0

    def __post_init__(self) -> None:
        import socketio

        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.socket = socketio.Client(reconnection=False)
        self.socket.on("snapshot", self._snapshot, namespace="/display")
        self.socket.on("update", self._update, namespace="/display")

    def _snapshot(self, state: dict) -> None:
        with self.changed:
            self.snapshots += 1
            self.version, self.state = state["version"], state
            self.changed.notify_all()

    def _update(self, state: dict) -> None:
        gap = False
        with self.changed:
            self.updates.append(state)
            if state["version"] > self.version:
                gap = (state.get("first_version") or state["version"]) > self.version + 1
                self.gaps += gap
                self.version, self.state = state["version"], state
            self.changed.notify_all()
        if gap:
            self.socket.emit("snapshot", namespace="/display")

    def connect(self) -> "Board":
        """Connect and wait for the first snapshot."""
        seen = self.snapshots
        self.socket.connect(self.url, namespaces=["/display"], auth={"office": self.office},
                            transports=["websocket"], wait_timeout=10)
        assert self.wait(lambda: self.snapshots > seen, 15), "no snapshot on connect"
        return self

    def disconnect(self) -> None:
        """Close the socket (the board goes offline)."""
        self.socket.disconnect()

    def wait(self, condition, seconds: float) -> bool:
        """Wait until `condition()` holds (checked on every event), at most `seconds`."""
        deadline = time.monotonic() + seconds
        with self.changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(min(left, 0.5))
            return True

    def labels(self) -> list[str]:
        """The numbers the board shows as called now."""
        return [call["label"] for call in self.state.get("current", [])]


def office_version(database_url: str, office: str = "demo") -> int:
    """The office's version in the database (what a true snapshot carries)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version FROM office WHERE slug = :s"), {"s": office}).scalar_one()
    finally:
        engine.dispose()


def journal_problems(database_url: str) -> dict[str, object]:
    """Everything wrong with the tickets in the database: half-made tickets, orphans, duplicate or skipped numbers."""
    engine = create_engine(database_url)
    checks = {
        "tickets without their issued event": "SELECT count(*) FROM ticket t WHERE NOT EXISTS "
        "(SELECT 1 FROM ticket_event e WHERE e.ticket_id = t.id AND e.kind = 'issued')",
        "tickets with several issued events": "SELECT count(*) FROM (SELECT ticket_id FROM ticket_event "
        "WHERE kind = 'issued' GROUP BY ticket_id HAVING count(*) > 1) x",
        "tickets without a print job": "SELECT count(*) FROM ticket t WHERE NOT EXISTS "
        "(SELECT 1 FROM print_job j WHERE j.ticket_id = t.id)",
        "events of no ticket": "SELECT count(*) FROM ticket_event e WHERE NOT EXISTS "
        "(SELECT 1 FROM ticket t WHERE t.id = e.ticket_id)",
        "print jobs of no ticket": "SELECT count(*) FROM print_job j WHERE NOT EXISTS "
        "(SELECT 1 FROM ticket t WHERE t.id = j.ticket_id)",
        "duplicate numbers": "SELECT count(*) FROM (SELECT office_id, service_day, prefix, number FROM ticket "
        "GROUP BY office_id, service_day, prefix, number HAVING count(*) > 1) x",
        # The counter is taken in the ticket's own transaction: a lost transaction gives its number back.
        "numbers skipped or counter ahead": "SELECT count(*) FROM daily_counter c WHERE c.last_number <> "
        "(SELECT count(*) FROM ticket t WHERE t.office_id = c.office_id AND t.service_day = c.service_day "
        "AND t.prefix = c.prefix) OR c.last_number <> (SELECT coalesce(max(number), 0) FROM ticket t "
        "WHERE t.office_id = c.office_id AND t.service_day = c.service_day AND t.prefix = c.prefix)",
    }
    try:
        with engine.connect() as connection:
            found = {name: connection.execute(text(sql)).scalar_one() for name, sql in checks.items()}
    finally:
        engine.dispose()
    return {name: count for name, count in found.items() if count}


def ticket_codes(database_url: str) -> set[str]:
    """The codes of every ticket in the database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return set(connection.execute(text("SELECT code FROM ticket")).scalars())
    finally:
        engine.dispose()


def print_states(database_url: str) -> Counter:
    """How many print jobs are in each state."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return Counter(dict(connection.execute(text("SELECT state, count(*) FROM print_job GROUP BY state")).all()))
    finally:
        engine.dispose()
