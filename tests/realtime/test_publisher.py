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


def test_a_call_succeeds_for_the_clerk_even_if_the_boards_cannot_be_told(app, client, auth, kiosk, database_drops):
    auth.create("aigerim", "clerk", "demo")
    kiosk.take("A", office="demo")
    with app.app_context():
        office = office_by_slug(db.session, "demo")
        cabinet_id = db.session.scalar(
            select(Cabinet.id).where(Cabinet.office_id == office.id, Cabinet.number == "101"))
    auth.login("aigerim")
    assert client.post(f"/console/{cabinet_id}/open", data={"csrf_token": auth.token()}).status_code in (200, 303)
    database_drops(1)
    answer = client.post(f"/console/{cabinet_id}/call", data={"csrf_token": auth.token()},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 200
    assert answer.get_json()["current"]["label"] == "A-001"
    with app.app_context():
        assert db.session.scalar(select(Ticket.status).where(Ticket.office_id == office.id)) == "called"


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
