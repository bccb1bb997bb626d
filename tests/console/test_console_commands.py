"""The console's commands as a clerk meets them: a reason for every refusal, finish and call next, a chosen
number, cancel with a reason and undo, the service on every row, why the visitor was called, the live socket."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.extensions import socketio
from kezek.models import Ticket, TicketEvent
from tests.console.test_console import command, taraz_cabinet, tickets  # noqa: F401  (the shared fixture)

NAMESPACE = "/console"


def refusal(panel: str) -> str | None:
    found = re.search(r'<p class="refusal" role="alert">([^<]*)</p>', panel)
    return found.group(1) if found else None


def current_id(panel: str) -> str:
    return re.search(r'name="ticket_id" value="(\d+)"', panel).group(1)


@pytest.fixture
def clerk_in(client, auth, taraz_cabinet):
    """A Taraz clerk signed in with English pages, the cabinet open."""
    auth.create("aigerim", "clerk", "taraz")
    auth.login("aigerim")
    client.get("/console/?lang=en")
    command(client, auth, taraz_cabinet, "open")
    return taraz_cabinet


def test_a_transfer_with_no_target_is_refused_with_a_reason_and_changes_nothing(client, auth, kiosk, app, clerk_in):
    kiosk.take("A")
    ticket_id = current_id(command(client, auth, clerk_in, "call").get_data(as_text=True))
    answer = command(client, auth, clerk_in, "transfer", ticket_id=ticket_id)
    assert answer.status_code == 409 and answer.headers["X-Console-Panel"] == "1"
    assert refusal(answer.get_data(as_text=True)) == "Choose a visit kind or a cabinet to transfer the visitor to."
    assert tickets(app) == {"A-001": "called"}


@pytest.mark.parametrize("action, data, says", [
    ("no-show", {}, "Recall the number once before marking a no-show. Recalled 0 times so far."),
    ("finish", {"ticket_id": "abc"}, "The command could not be read. Reload the page and try again."),
    ("start", {"ticket_id": "999999"}, "That ticket is not in this office&#39;s queue."),
    ("recall", {"ticket_id": ""}, "Choose a ticket first."),
    ("call-number", {"number": "A-1"}, "Finish, transfer or cancel B-001 first."),
    ("cancel", {"reason": "bored"}, "Choose why the ticket is cancelled."),
])
def test_every_refused_command_says_why(client, auth, kiosk, app, clerk_in, action, data, says):
    kiosk.take("B")
    ticket_id = current_id(command(client, auth, clerk_in, "call").get_data(as_text=True))
    data = {"ticket_id": ticket_id, **data}
    answer = command(client, auth, clerk_in, action, **data)
    assert answer.status_code in (400, 404, 409)
    assert refusal(answer.get_data(as_text=True)) == says
    assert tickets(app) == {"B-001": "called"}


def test_a_paused_cabinet_says_so_when_asked_to_call(client, auth, kiosk, clerk_in):
    kiosk.take("A")
    command(client, auth, clerk_in, "pause")
    panel = command(client, auth, clerk_in, "call").get_data(as_text=True)
    assert refusal(panel) == "The cabinet is paused. Resume it first (key P)."


def test_finish_and_call_next_is_one_command(client, auth, kiosk, app, clerk_in):
    kiosk.take("A")
    kiosk.take("A")
    first = current_id(command(client, auth, clerk_in, "call").get_data(as_text=True))
    panel = command(client, auth, clerk_in, "finish", ticket_id=first, then="next", documents_correct="y",
                    note="all papers in order", command_id="fn-1").get_data(as_text=True)
    assert re.search(r'class="current-number">A-002<', panel)
    assert tickets(app) == {"A-001": "served", "A-002": "called"}
    from kezek.extensions import db

    with app.app_context():
        done = db.session.get(Ticket, int(first))
        assert done.documents_correct is True and done.outcome_note == "all papers in order"


def test_a_clerk_calls_a_chosen_number_and_the_console_says_why(client, auth, kiosk, app, clerk_in):
    kiosk.take("A")
    kiosk.take("B")
    panel = command(client, auth, clerk_in, "call-number", number="b-1").get_data(as_text=True)
    assert re.search(r'class="current-number">B-001<', panel)
    assert '<p class="call-reason">Called by number: the visitor came up with the ticket.</p>' in panel
    assert tickets(app) == {"A-001": "waiting", "B-001": "called"}
    command(client, auth, clerk_in, "finish", ticket_id=current_id(panel))
    panel = command(client, auth, clerk_in, "call-number", number="Z-123").get_data(as_text=True)
    assert refusal(panel) == "No such number is waiting for this cabinet. Check the number on the visitor&#39;s ticket."


def test_the_line_under_the_called_number_says_why_they_were_called(client, auth, kiosk, clock, clerk_in):
    kiosk.take("A")
    clock.moment += timedelta(minutes=1)
    kiosk.take("C")
    clock.moment += timedelta(minutes=6)
    panel = command(client, auth, clerk_in, "call").get_data(as_text=True)
    assert re.search(r'class="current-number">C-001<', panel)
    assert '<p class="call-reason">Called ahead of older tickets: about to pass the 10-minute limit.</p>' in panel
    ticket_id = current_id(panel)
    panel = command(client, auth, clerk_in, "finish", ticket_id=ticket_id, then="next").get_data(as_text=True)
    assert '<p class="call-reason">Earliest ticket in the queue.</p>' in panel


def test_cancel_asks_for_a_reason_and_can_be_undone_for_a_minute(client, auth, kiosk, app, clock, clerk_in):
    kiosk.take("A")
    ticket_id = current_id(command(client, auth, clerk_in, "call").get_data(as_text=True))
    panel = command(client, auth, clerk_in, "cancel", ticket_id=ticket_id, reason="left").get_data(as_text=True)
    assert tickets(app) == {"A-001": "cancelled"}
    assert "A-001 cancelled. The visitor left." in panel and 'data-key="u"' in panel
    clock.moment += timedelta(seconds=40)
    panel = command(client, auth, clerk_in, "uncancel", ticket_id=ticket_id).get_data(as_text=True)
    assert tickets(app) == {"A-001": "called"} and re.search(r'class="current-number">A-001<', panel)
    command(client, auth, clerk_in, "cancel", ticket_id=ticket_id, reason="mistake")
    clock.moment += timedelta(seconds=61)
    panel = client.get(f"/console/{clerk_in}/panel").get_data(as_text=True)
    assert 'data-key="u"' not in panel  # the offer is gone after the minute
    answer = command(client, auth, clerk_in, "uncancel", ticket_id=ticket_id)
    assert answer.status_code == 409
    assert refusal(answer.get_data(as_text=True)).startswith("Too late to undo")
    from kezek.extensions import db

    with app.app_context():
        kinds = db.session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == int(ticket_id))
                                   .order_by(TicketEvent.id)).all()
    assert kinds == ["issued", "called", "cancelled", "uncancelled", "cancelled"]


def test_waiting_rows_name_the_service_and_count_per_service(client, auth, kiosk, clerk_in):
    kiosk.take("A")
    kiosk.take("B")
    queue = client.get(f"/console/{clerk_in}/queue").get_data(as_text=True)
    rows = re.findall(r'<tr class="level-\w+" data-ticket="([A-Z]-\d+)">\s*<td>.*?</td>\s*<td>([^<]*)</td>', queue, re.S)
    assert [label for label, _ in rows] == ["A-001", "B-001"]
    assert all(service.strip() for _, service in rows)
    assert "2 visitors waiting" in queue


def console_socket(app, client, cabinet_id):
    return socketio.test_client(app, namespace=NAMESPACE, auth={"cabinet": cabinet_id}, flask_test_client=client)


def test_the_console_hears_of_a_new_visitor_at_once(app, client, auth, kiosk, clerk_in):
    socket = console_socket(app, client, clerk_in)
    assert socket.is_connected(NAMESPACE)
    assert [item["name"] for item in socket.get_received(NAMESPACE)] == ["hello"]
    kiosk.take("A")
    changes = [item["args"][0] for item in socket.get_received(NAMESPACE) if item["name"] == "changed"]
    assert [change["kind"] for change in changes] == ["issued"]


def test_only_staff_of_the_office_may_listen_to_its_console_channel(app, client, auth, taraz_cabinet):
    assert not console_socket(app, client, taraz_cabinet).is_connected(NAMESPACE)  # not signed in
    auth.create("marat", "clerk", "merki")
    auth.login("marat")
    assert not console_socket(app, client, taraz_cabinet).is_connected(NAMESPACE)  # another office
    for cabinet in (999999, "1", None, -1):
        assert not console_socket(app, client, cabinet).is_connected(NAMESPACE)


def test_the_outcome_note_shows_in_the_wait_time_log(client, auth, kiosk, clerk_in):
    kiosk.take("A")
    ticket_id = current_id(command(client, auth, clerk_in, "call").get_data(as_text=True))
    command(client, auth, clerk_in, "finish", ticket_id=ticket_id, note="Sent for a family income statement")
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    page = client.get("/reports/log?lang=en").get_data(as_text=True)
    assert "Clerk&#39;s note" in page
    assert '<td class="note">Sent for a family income statement</td>' in page
