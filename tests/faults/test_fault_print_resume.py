"""A server restarted with tickets still to print prints them as soon as a board reconnects, before any visitor."""
from __future__ import annotations

import time

from sqlalchemy import select

from kezek import create_app
from kezek.extensions import db, socketio
from kezek.models import PrintJob, VisitKind
from kezek.printing import queue_print
from kezek.queue.issuing import issue_ticket
from tests.conftest import office_by_slug


def job_states(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(PrintJob.state).order_by(PrintJob.id)))


def test_unsent_tickets_print_when_the_boards_reconnect_after_a_restart(app, tmp_path, clock):
    with app.app_context():  # the server committed a ticket and died before handing it to the printer
        office = office_by_slug(db.session, "demo")
        kind = db.session.scalar(select(VisitKind).where(VisitKind.prefix == "A"))
        ticket = issue_ticket(db.session, office, kind, clock()).ticket
        queue_print(db.session, ticket, None, "http://queue.local/t/x", clock())
        db.session.commit()
    prints = tmp_path / "after-restart"
    again = create_app({
        "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test-secret", "TESTING": True, "PRINTER_URL": f"dummy://{prints}", "CLOCK": clock,
    })
    try:
        board = socketio.test_client(again, namespace="/display", auth={"office": "demo"})
        assert board.is_connected("/display")  # no page was asked for: only the board is back
        deadline = time.monotonic() + 20
        while job_states(again) != ["sent"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert job_states(again) == ["sent"]
        assert len(list(prints.glob("*.bin"))) == 1
        board.disconnect("/display")
    finally:
        again.extensions["kezek.print_worker"].shutdown()
        again.extensions["kezek.engine"].dispose()
