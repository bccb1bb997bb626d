"""What the call policy gives the console: why a visitor was called, and a pause with the length the clerk picks."""
from __future__ import annotations

import re

from sqlalchemy import select

from kezek.models import Cabinet, TicketEvent
from tests.console.test_console import command, taraz_cabinet  # noqa: F401 (fixture)


def test_the_console_state_says_why_the_current_visitor_was_called(client, auth, kiosk, app, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("A")
    kiosk.take("C")
    auth.login("aigerim")
    command(client, auth, taraz_cabinet, "open")
    command(client, auth, taraz_cabinet, "call", command_id="c-1")
    state = client.get(f"/console/{taraz_cabinet}/state").get_json()
    # C's 10 minutes run out before A's 30: the rule that chose is "about to pass their limit".
    assert state["current"]["label"] == "C-001" and state["current"]["reason"] == "limit_soon"
    from kezek.extensions import db

    with app.app_context():
        called = db.session.scalar(select(TicketEvent).where(TicketEvent.kind == "called"))
        assert called.detail["reason"] == "limit_soon"


def test_the_pause_form_offers_break_lunch_and_other_and_sets_the_length(client, auth, app, clock, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    auth.login("aigerim")
    panel = command(client, auth, taraz_cabinet, "open").get_data(as_text=True)
    assert re.findall(r'<option value="(\w+)">', panel.split('name="pause"')[1])[:3] == ["break", "lunch", "other"]
    command(client, auth, taraz_cabinet, "pause", pause="lunch")
    from kezek.extensions import db

    with app.app_context():
        cabinet = db.session.get(Cabinet, taraz_cabinet)
        assert (cabinet.state, cabinet.pause_kind) == ("paused", "lunch")
        assert (cabinet.paused_until - clock()).total_seconds() == 60 * 60
    command(client, auth, taraz_cabinet, "open")
    assert command(client, auth, taraz_cabinet, "pause", pause="nap").status_code == 400
    with app.app_context():
        assert db.session.get(Cabinet, taraz_cabinet).state == "open"
