"""The status of one ticket by its unguessable code: position, estimate, the cabinet when called."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import force_locale

from kezek.clock import app_now
from kezek.extensions import db
from kezek.phone import bp
from kezek.phone.events import find_ticket
from kezek.phone.status import ticket_status


@bp.get("/t/<code>")
def status(code: str):
    """Where this ticket stands, kept live by the page's script; shows nothing about anyone else."""
    ticket = find_ticket(db.session, code)
    if ticket is None:
        abort(404)
    state = ticket_status(db.session, ticket, app_now())
    if request.args.get("lang") in ("kk", "ru", "en"):
        return render_template("phone/status.html", ticket=ticket, state=state, code=code)
    # Opened from the ticket's QR code: in the language the visitor chose at the kiosk (the switch stays).
    with force_locale(ticket.lang if ticket.lang in ("kk", "ru", "en") else "kk"):
        return render_template("phone/status.html", ticket=ticket, state=state, code=code)
