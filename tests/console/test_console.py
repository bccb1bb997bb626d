"""The clerk console over HTTP: access by office, commands that act once, the waiting list's levels."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.models import Cabinet, Ticket
from tests.conftest import office_by_slug


@pytest.fixture
def taraz_cabinet(app):
    from kezek.extensions import db

    with app.app_context():
        office = office_by_slug(db.session, "taraz")
        return db.session.scalar(select(Cabinet).where(Cabinet.office_id == office.id)).id


def command(client, auth, cabinet_id, action, **data):
    data.setdefault("csrf_token", auth.token())
    return client.post(f"/console/{cabinet_id}/{action}", data=data, headers={"X-Console": "panel"})


def tickets(app):
    from kezek.extensions import db

    with app.app_context():
        return {t.label: t.status for t in db.session.scalars(select(Ticket))}


def test_anonymous_visitors_reach_no_console_page(client, taraz_cabinet):
    for path in ("/console/", f"/console/{taraz_cabinet}", f"/console/{taraz_cabinet}/panel"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert client.post(f"/console/{taraz_cabinet}/call").status_code in (302, 400)


def test_a_clerk_opens_the_cabinet_calls_and_finishes(client, auth, kiosk, app, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("A")
    kiosk.take("C")
    auth.login("aigerim")
    choose = client.get("/console/").get_data(as_text=True)
    assert f"/console/{taraz_cabinet}" in choose and choose.count("/console/") >= 1
    assert command(client, auth, taraz_cabinet, "open").status_code == 200
    panel = command(client, auth, taraz_cabinet, "call", command_id="c-1").get_data(as_text=True)
    # The 10-minute C visitor is called before the 30-minute A visitor who has time to spare.
    assert re.search(r'class="current-number">C-001<', panel)
    ticket_id = re.search(r'name="ticket_id" value="(\d+)"', panel).group(1)
    command(client, auth, taraz_cabinet, "start", ticket_id=ticket_id)
    panel = command(client, auth, taraz_cabinet, "finish", ticket_id=ticket_id, documents_correct="y").get_data(as_text=True)
    assert "Nobody called." in panel or "Ешкім шақырылмады" in panel or "current-number" not in panel
    assert tickets(app) == {"A-001": "waiting", "C-001": "served"}


def test_a_replayed_call_does_not_call_twice(client, auth, kiosk, app, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("A")
    kiosk.take("A")
    auth.login("aigerim")
    command(client, auth, taraz_cabinet, "open")
    for _ in range(3):
        assert command(client, auth, taraz_cabinet, "call", command_id="same").status_code == 200
    assert tickets(app) == {"A-001": "called", "A-002": "waiting"}


def test_a_clerk_of_another_office_cannot_see_or_act(client, auth, kiosk, app, taraz_cabinet):
    auth.create("marat", "clerk", "merki")
    kiosk.take("A")
    auth.login("marat")
    assert client.get(f"/console/{taraz_cabinet}").status_code == 403
    assert client.get(f"/console/{taraz_cabinet}/panel").status_code == 403
    assert command(client, auth, taraz_cabinet, "open").status_code == 403
    assert command(client, auth, taraz_cabinet, "call").status_code == 403
    assert client.get("/console/?office=1").status_code in (200, 403)
    assert tickets(app) == {"A-001": "waiting"}


def test_commands_without_csrf_token_are_refused(client, auth, kiosk, app, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("A")
    auth.login("aigerim")
    command(client, auth, taraz_cabinet, "open")
    assert command(client, auth, taraz_cabinet, "call", csrf_token="").status_code == 400
    assert tickets(app) == {"A-001": "waiting"}


def test_no_show_before_a_recall_is_refused_and_changes_nothing(client, auth, kiosk, app, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("B")
    auth.login("aigerim")
    command(client, auth, taraz_cabinet, "open")
    panel = command(client, auth, taraz_cabinet, "call").get_data(as_text=True)
    ticket_id = re.search(r'name="ticket_id" value="(\d+)"', panel).group(1)
    assert command(client, auth, taraz_cabinet, "no-show", ticket_id=ticket_id).status_code == 409
    command(client, auth, taraz_cabinet, "recall", ticket_id=ticket_id)
    assert command(client, auth, taraz_cabinet, "no-show", ticket_id=ticket_id).status_code == 200
    assert tickets(app) == {"B-001": "no_show"}


def test_waits_turn_amber_near_the_limit_and_red_past_it(client, auth, kiosk, clock, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("C")  # 10-minute limit
    auth.login("aigerim")
    clock.moment += timedelta(minutes=5)
    assert 'class="level-ok"' in client.get(f"/console/{taraz_cabinet}/panel").get_data(as_text=True)
    clock.moment += timedelta(minutes=3)
    assert 'class="level-near"' in client.get(f"/console/{taraz_cabinet}/panel").get_data(as_text=True)
    clock.moment += timedelta(minutes=3)
    assert 'class="level-over"' in client.get(f"/console/{taraz_cabinet}/panel").get_data(as_text=True)


def test_unknown_cabinet_or_action_is_not_found(client, auth, taraz_cabinet):
    auth.create("aigerim", "clerk", "taraz")
    auth.login("aigerim")
    assert client.get("/console/999999").status_code == 404
    assert command(client, auth, taraz_cabinet, "dance", ticket_id=1).status_code == 404


def test_a_clerk_reprints_the_current_visitors_ticket(client, auth, kiosk, app, taraz_cabinet):
    from kezek.extensions import db
    from kezek.models import PrintJob

    auth.create("aigerim", "clerk", "taraz")
    kiosk.take("A")
    auth.login("aigerim")
    command(client, auth, taraz_cabinet, "open")
    panel = command(client, auth, taraz_cabinet, "call").get_data(as_text=True)
    ticket_id = re.search(r'name="ticket_id" value="(\d+)"', panel).group(1)
    assert command(client, auth, taraz_cabinet, "reprint", ticket_id=ticket_id).status_code == 200
    with app.app_context():
        jobs = db.session.scalars(select(PrintJob).where(PrintJob.ticket_id == int(ticket_id))).all()
    assert len(jobs) == 2
    auth.create("marat", "clerk", "merki")
    auth.login("marat")
    assert command(client, auth, taraz_cabinet, "reprint", ticket_id=ticket_id).status_code == 403
