"""What the call policy gives the console: why a visitor was called, and a pause with the length the clerk picks."""
from __future__ import annotations

import re

from sqlalchemy import select

from kezek.models import Cabinet, TicketEvent
from tests.console.test_console import command, taraz_cabinet  # noqa: F401 (fixture)


def called_after_a_then_c(client, auth, kiosk, cabinet, between=None) -> dict:
    """An A ticket, then (after `between`, a callable that moves the clock) a C ticket; the clerk opens and
    calls: the console's current visitor."""
    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("A")
    if between is not None:
        between()
    kiosk.take("C")
    auth.login("aigerim")
    command(client, auth, cabinet, "open")
    command(client, auth, cabinet, "call", command_id="c-1")
    return client.get(f"/console/{cabinet}/state?lang=en").get_json()["current"]


def test_the_console_state_says_why_the_current_visitor_was_called(client, auth, kiosk, app, taraz_cabinet):
    state = {"current": called_after_a_then_c(client, auth, kiosk, taraz_cabinet)}
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


def test_an_office_on_the_balanced_rule_names_the_pace_cap_when_it_calls_the_first_in_line(client, auth, kiosk, app,
                                                                                           clock, taraz_cabinet):
    from kezek.extensions import db
    from kezek.models import Office

    with app.app_context():
        db.session.scalar(select(Office).where(Office.slug == "taraz")).call_policy = "balanced"
        db.session.commit()
    clock.set_local(2026, 11, 25, 10, 0)
    current = called_after_a_then_c(client, auth, kiosk, taraz_cabinet, lambda: clock.set_local(2026, 11, 25, 10, 17))
    # The A visitor has waited 17 minutes (limit 30), the C visitor just came (limit 10, due first). Two visitors
    # only: the queue's pace is short, so the first in line is not passed by the C visitor.
    assert current["label"] == "A-001" and current["reason"] == "pace_cap"
    assert "not passed over any more" in current["reason_text"]
