"""The publisher sends a call at once and lets other changes wait a moment to go out with the next one."""
from __future__ import annotations

import logging
import time

from kezek.queue.changes import Change
from kezek.realtime_threads import Publisher, coalesce
from tests.realtime.helpers import Desk, board, events

BOARD = "/display"


def updates_within(socket, seconds: float, until=lambda seen: bool(seen)) -> list[dict]:
    """The board's updates received within `seconds` (stops early once `until(updates)` holds)."""
    seen: list[dict] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until(seen):
        seen += events(socket, BOARD, "update")
        time.sleep(0.02)
    return seen + events(socket, BOARD, "update")


def test_a_finish_followed_by_a_call_reaches_the_boards_as_one_update_with_no_gap(app, kiosk):
    app.config["REALTIME_SYNC"] = False  # the publisher thread sends, as in production
    app.config["REALTIME_HOLD_SECONDS"] = 3.0  # long enough that the call surely comes within it
    desk = Desk(app)
    kiosk.take("A", office="demo")
    kiosk.take("A", office="demo")
    socket = board(app)
    assert desk.act("call") == "A-001"
    assert [call["label"] for call in updates_within(socket, 10)[-1]["current"]] == ["A-001"]

    desk.act("finish")
    assert desk.act("call") == "A-002"
    (update,) = updates_within(socket, 10, until=lambda seen: any(u["current"] for u in seen))
    assert [call["label"] for call in update["current"]] == ["A-002"]
    assert [call["label"] for call in update["recent"]][:1] == ["A-001"]
    assert update["first_version"] == update["version"] - 1  # it stands for the finish too: no gap


def test_a_call_is_not_held_back(app, kiosk):
    app.config["REALTIME_SYNC"] = False
    app.config["REALTIME_HOLD_SECONDS"] = 30.0  # other changes would wait this long; a call must not
    desk = Desk(app)
    kiosk.take("A", office="demo")
    socket = board(app)
    events(socket, BOARD)
    started = time.monotonic()
    assert desk.act("call") == "A-001"
    seen = updates_within(socket, 10, until=lambda seen: any(u["current"] for u in seen))
    assert any(u["current"] and u["current"][0]["label"] == "A-001" for u in seen)
    assert time.monotonic() - started < 10


def test_a_change_with_nothing_after_it_still_reaches_the_boards(app, kiosk):
    app.config["REALTIME_SYNC"] = False
    app.config["REALTIME_HOLD_SECONDS"] = 0.2
    socket = board(app)
    events(socket, BOARD)
    kiosk.take("A", office="demo")  # a ticket taken: the waiting count changes, nobody is called
    (update,) = updates_within(socket, 10)
    counts = {kind["prefix"]: kind["count"] for service in update["waiting"] for kind in service["kinds"]}
    assert counts["A"] == 1


def test_changes_sent_as_one_carry_the_oldest_version_they_stand_for():
    sent = coalesce([Change(1, 7, "finished"), Change(2, 3, "issued"), Change(1, 8, "called", ticket_id=5),
                     Change(2, 4, "issued", first_version=2)])
    assert [(c.office_id, c.version, c.kind, c.first_version) for c in sent] == [
        (1, 8, "called", 7), (2, 4, "issued", 2)]
    (alone,) = coalesce([Change(1, 9, "called")])
    assert alone.first_version is None  # a change sent alone stands for itself


def _publisher_sending_to(sent: list, hold: float = 0.2) -> Publisher:
    def send(batch):
        sent.append((time.monotonic(), [change.version for change in batch]))
        return True

    return Publisher(send, lambda: hold, logging.getLogger("test"))


def test_a_rush_of_calls_reaches_the_boards_in_a_few_updates_and_loses_none():
    # Thirty clerks calling within half a second: each board update is built from the database and sent to
    # every board, so they go out a fifth of a second apart, each carrying the calls since the one before.
    sent: list = []
    publisher = _publisher_sending_to(sent)
    publisher.start()
    began = time.monotonic()
    for version in range(1, 31):
        publisher.put(Change(1, version, "called", ticket_id=version))
        time.sleep(0.015)
    took = time.monotonic() - began
    time.sleep(0.5)
    publisher.stop()
    versions = [version for _when, batch in sent for version in batch]
    assert versions == list(range(1, 31))  # every call, in order
    assert len(sent) <= took / 0.2 + 2  # not one update per call: at most five a second
    gaps = [later - earlier for (earlier, _), (later, _) in zip(sent, sent[1:])]
    assert min(gaps) >= Publisher.spacing_seconds * 0.9


def test_a_call_in_a_quiet_office_goes_out_at_once():
    sent: list = []
    publisher = _publisher_sending_to(sent, hold=1.0)
    publisher.start()
    publisher.put(Change(1, 1, "issued"))  # held a second for company
    while not sent:
        time.sleep(0.05)
    time.sleep(0.3)  # the spacing after that update is over
    put = time.monotonic()
    publisher.put(Change(1, 2, "called", ticket_id=1))
    while len(sent) < 2 and time.monotonic() - put < 10:
        time.sleep(0.01)
    publisher.stop()
    assert [batch for _when, batch in sent] == [[1], [2]]
    assert sent[1][0] - put < 0.5  # not held for company (a second) as the ticket was
