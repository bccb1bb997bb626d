"""Socket rooms: a call reaches its office's boards and its ticket's phone, no one else; snapshots; versions."""
from __future__ import annotations

import time

from kezek.extensions import socketio
from tests.realtime.helpers import Desk, board, events, phone, ticket_code

BOARD, PHONE = "/display", "/phone"


def test_a_call_reaches_the_office_board_and_the_ticket_phone_and_no_other_office(app, kiosk):
    kiosk.take("A", office="demo")
    code = ticket_code(app, "A-001")
    demo, taraz, own = board(app, "demo"), board(app, "taraz"), phone(app, code)
    for socket, namespace in ((demo, BOARD), (taraz, BOARD), (own, PHONE)):
        events(socket, namespace)
    desk = Desk(app)
    events(demo, BOARD)
    label = desk.act("call")
    assert label == "A-001"
    (update,) = events(demo, BOARD, "update")
    assert update["kind"] == "called"
    assert [(call["label"], call["cabinet"]) for call in update["current"]] == [("A-001", "101")]
    assert events(taraz, BOARD) == []
    statuses = events(own, PHONE, "status")
    assert statuses[-1]["status"] == "called" and statuses[-1]["cabinet"] == "101"


def test_a_phone_hears_only_about_its_own_ticket(app, kiosk):
    app.config["PHONE_REFRESH_DELAY"] = 0.01
    desk = Desk(app)
    kiosk.take("A", office="demo")
    kiosk.take("A", office="demo")
    second = phone(app, ticket_code(app, "A-002"))
    assert events(second, PHONE, "status")[0]["ahead"] == 1
    desk.act("call")
    deadline = time.monotonic() + 5
    received = []
    while time.monotonic() < deadline and not (received and received[-1]["ahead"] == 0):
        received += events(second, PHONE, "status")
        time.sleep(0.02)
    assert received and {status["label"] for status in received} == {"A-002"}
    assert received[-1]["ahead"] == 0 and received[-1]["status"] == "waiting"
    assert set(received[-1]) == {"version", "label", "status", "cabinet", "recalls", "ahead", "wait"}


def test_unknown_offices_and_codes_are_refused(app, kiosk):
    kiosk.take("A", office="demo")
    for office in ("nowhere", "", "x" * 500, 5, None):
        assert not board(app, office).is_connected(BOARD)
    assert not socketio.test_client(app, namespace=BOARD).is_connected(BOARD)
    for code in ("not-a-code", "", "x" * 33, ticket_code(app, "A-001")[:-1]):
        assert not phone(app, code).is_connected(PHONE)
    assert phone(app, ticket_code(app, "A-001")).is_connected(PHONE)


def test_every_connect_and_reconnect_gets_a_full_snapshot(app, kiosk):
    kiosk.take("A", office="demo")
    socket = board(app)
    (first,) = events(socket, BOARD, "snapshot")
    assert first["current"] == [] and first["waiting"][0]["count"] == 1
    socket.disconnect(BOARD)
    label = Desk(app).act("call")
    socket.connect(BOARD, auth={"office": "demo"})
    (again,) = events(socket, BOARD, "snapshot")
    assert again["version"] > first["version"]
    assert [call["label"] for call in again["current"]] == [label]
    assert again["waiting"][0]["count"] == 0


def test_a_board_that_saw_a_gap_can_ask_for_a_snapshot(app):
    socket = board(app)
    events(socket, BOARD)
    socket.emit("snapshot", namespace=BOARD)
    (snapshot,) = events(socket, BOARD, "snapshot")
    assert snapshot["office"] == "demo"


def test_updates_carry_consecutive_versions_and_a_recall_announces_again(app, kiosk):
    desk = Desk(app)
    socket = board(app)
    start = events(socket, BOARD, "snapshot")[0]["version"]
    kiosk.take("A", office="demo")
    kiosk.take("B", office="demo")
    desk.act("call")
    desk.act("recall")
    desk.act("finish")
    desk.act("call")
    updates = events(socket, BOARD, "update")
    assert [u["kind"] for u in updates] == ["issued", "issued", "called", "recalled", "finished", "called"]
    assert [u["version"] for u in updates] == list(range(start + 1, start + 7))
    called, recalled = updates[2]["current"][0], updates[3]["current"][0]
    assert called["label"] == recalled["label"] and called["key"] != recalled["key"]
    assert recalled["sounds"][0] == ["/static/sounds/chime.ogg"]
    finished, next_call = updates[4], updates[5]
    assert finished["current"] == [] and finished["recent"][0]["label"] == called["label"]
    assert next_call["current"][0]["label"] != called["label"]


def test_boards_show_nothing_private(app, kiosk):
    kiosk.take("A", office="demo")
    Desk(app).act("call")
    socket = board(app)
    (snapshot,) = events(socket, BOARD, "snapshot")
    text = repr(snapshot)
    assert ticket_code(app, "A-001") not in text and "desk-clerk" not in text
