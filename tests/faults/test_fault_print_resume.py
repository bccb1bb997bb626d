"""A server restarted with tickets still to print prints them as soon as it starts serving, before any visitor.

The print worker is started where serving starts (`kezek serve`, kezek/wsgi.py), not by a board's
reconnection or a request, so a board coming back needs no test of its own here.
"""
from __future__ import annotations

import time

from sqlalchemy import select

from kezek import create_app
from kezek.extensions import db
from kezek.models import PrintJob, VisitKind
from kezek.printing import queue_print
from kezek.services import services, start_serving
from kezek.queue.issuing import issue_ticket
from tests.conftest import office_by_slug


def job_states(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(PrintJob.state).order_by(PrintJob.id)))


def restarted_with_a_ticket_unprinted(app, clock, folder):
    """The server committed a ticket and stopped before handing it to the printer; a new app on that database."""
    with app.app_context():
        office = office_by_slug(db.session, "demo")
        kind = db.session.scalar(select(VisitKind).where(VisitKind.prefix == "A"))
        ticket = issue_ticket(db.session, office, kind, clock()).ticket
        queue_print(db.session, ticket, None, "http://queue.local/t/x", clock())
        db.session.commit()
    return create_app({
        "INSTANCE_PATH": str(folder / "instance"), "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test-secret", "TESTING": True, "PRINTER_URL": f"dummy://{folder / 'prints'}", "CLOCK": clock,
    })


def printed_once(again, folder) -> bool:
    """Whether the job was sent, and exactly one ticket reached the (dummy) printer, within 20 s."""
    deadline = time.monotonic() + 20
    while job_states(again) != ["sent"] and time.monotonic() < deadline:
        time.sleep(0.05)
    return job_states(again) == ["sent"] and len(list((folder / "prints").glob("*.bin"))) == 1


def test_unsent_tickets_print_as_soon_as_the_server_starts_serving(app, tmp_path, clock):
    # The embedded server (`kezek serve`) starts printing before anyone opens a page or a board.
    again = restarted_with_a_ticket_unprinted(app, clock, tmp_path)
    try:
        assert job_states(again) == ["queued"]
        start_serving(again)  # what `kezek serve` does before it starts answering
        assert printed_once(again, tmp_path)
    finally:
        services(again).close()
