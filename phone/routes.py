"""The status of one ticket by its unguessable code: position, estimate, the cabinet when called."""
from __future__ import annotations

from flask import abort, current_app, render_template
from sqlalchemy import select

from kezek.extensions import db
from kezek.models import Ticket
from kezek.queue.estimate import ahead_of, estimate_wait
from phone import bp

CODE_MAX = 32


@bp.get("/t/<code>")
def status(code: str):
    """Where this ticket stands; shows nothing about anyone else."""
    if len(code) > CODE_MAX:
        abort(404)
    ticket = db.session.scalar(select(Ticket).where(Ticket.code == code))
    if ticket is None:
        abort(404)
    ahead = ahead_of(db.session, ticket)
    estimate = estimate_wait(db.session, ticket.office_id, ticket.visit_kind, current_app.config["CLOCK"](), ahead=ahead)
    return render_template("phone/status.html", ticket=ticket, ahead=ahead, estimate=estimate)
