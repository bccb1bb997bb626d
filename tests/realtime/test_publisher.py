"""The publisher after the commit: a failure to tell the screens never fails the action or stops later updates."""
from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from kezek import realtime
from kezek.extensions import db
from kezek.models import Cabinet, Ticket
from tests.conftest import office_by_slug
from tests.realtime.helpers import Desk, board, events

BOARD = "/display"


@pytest.fixture
def database_drops(monkeypatch):
    """Make the screens' next `times` reads fail as if the database went away right after the commit."""
    failing = {"left": 0}
    real = realtime.read_session

    @contextmanager
    def flaky(app):
        if failing["left"] > 0:
            failing["left"] -= 1
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        with real(app) as session:
            yield session

    monkeypatch.setattr(realtime, "read_session", flaky)

    def drop(times: int = 1) -> None:
        failing["left"] = times

    return drop


def clerk_at_101_with_a_visitor_waiting(app, client, auth, kiosk) -> tuple[int, int]:
    """A clerk signed in with cabinet 101 of the demo office open and one ticket waiting: (office, cabinet) ids."""
    auth.create("aigerim", "clerk", "demo")
    kiosk.take("A", office="demo")
    with app.app_context():
        office_id = office_by_slug(db.session, "demo").id
        cabinet_id = db.session.scalar(
            select(Cabinet.id).where(Cabinet.office_id == office_id, Cabinet.number == "101"))
    auth.login("aigerim")
    assert client.post(f"/console/{cabinet_id}/open", data={"csrf_token": auth.token()}).status_code in (200, 303)
    return office_id, cabinet_id


def test_a_call_succeeds_for_the_clerk_even_if_the_boards_cannot_be_told(app, client, auth, kiosk, database_drops):
    office_id, cabinet_id = clerk_at_101_with_a_visitor_waiting(app, client, auth, kiosk)
    database_drops(1)
    answer = client.post(f"/console/{cabinet_id}/call", data={"csrf_token": auth.token()},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert answer.get_json()["current"]["label"] == "A-001"
    with app.app_context():
        assert db.session.scalar(select(Ticket.status).where(Ticket.office_id == office_id)) == "called"


def test_a_board_shows_the_call_even_if_the_database_failed_right_after_the_commit(app, kiosk, database_drops):
    app.config["REALTIME_SYNC"] = False  # the publisher thread sends, as in production
    desk = Desk(app)
    kiosk.take("A", office="demo")
    kiosk.take("A", office="demo")
    socket = board(app)
    events(socket, BOARD)
    database_drops(2)
    assert desk.act("call") == "A-001"  # the first tries to build the boards' state fail; nothing else happens
    seen: list[dict] = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(update["current"] for update in seen):
        seen += events(socket, BOARD, "update")
        time.sleep(0.05)
    assert [call["label"] for call in seen[-1]["current"]] == ["A-001"]
    assert seen[-1]["current"][0]["cabinet"] == "101"


def test_the_board_shows_a_call_even_if_the_clerks_answer_could_not_be_built(app, client, auth, kiosk, monkeypatch):
    # The call is committed before the console's answer is built; if building it fails (the database
    # went away just then), the boards must still be told, or they would miss the call.
    from kezek.console import routes as console_routes

    _office_id, cabinet_id = clerk_at_101_with_a_visitor_waiting(app, client, auth, kiosk)
    socket = board(app)
    events(socket, BOARD)

    def gone(_cabinet):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(console_routes, "state_of", gone)
    answer = client.post(f"/console/{cabinet_id}/call", data={"csrf_token": auth.token()},
                         headers={"Accept": "application/json"})
    assert answer.status_code >= 500 and "Traceback" not in answer.get_data(as_text=True)
    updates = events(socket, BOARD, "update")
    assert updates and [call["label"] for call in updates[-1]["current"]] == ["A-001"]


def test_the_board_is_told_of_a_call_before_the_clerks_answer_is_built(app, client, auth, kiosk, monkeypatch):
    # The hall watches the board: the number must not wait for the clerk's own screen to be drawn.
    from kezek.console import routes as console_routes

    _office_id, cabinet_id = clerk_at_101_with_a_visitor_waiting(app, client, auth, kiosk)
    socket = board(app)
    events(socket, BOARD)
    seen_while_answering: list[list[str]] = []
    real_state_of = console_routes.state_of

    def answering(cabinet):
        seen_while_answering.append([call["label"] for update in events(socket, BOARD, "update")
                                     for call in update["current"]])
        return real_state_of(cabinet)

    monkeypatch.setattr(console_routes, "state_of", answering)
    answer = client.post(f"/console/{cabinet_id}/call", data={"csrf_token": auth.token()},
                         headers={"Accept": "application/json"})
    assert answer.get_json()["current"]["label"] == "A-001"
    assert seen_while_answering == [["A-001"]]
