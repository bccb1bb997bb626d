"""Phone sockets (namespace /phone): a phone joins only its own ticket's room, by the ticket's code."""
from __future__ import annotations

import re
import threading
import time
from datetime import datetime

from flask import Flask, current_app, request
from flask_socketio import emit, join_room, rooms
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.extensions import db, socketio
from kezek.models import Ticket
from kezek.queue.changes import Change
from kezek.realtime import add_screen, has_listeners, read_session
from kezek.realtime import emit as emit_to_room
from phone import bp
from phone.status import EstimateCache, ticket_status, waiting_tickets

NAMESPACE = "/phone"
CODE_MAX = 32
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]+")
# Changes that cannot move anyone else's place or estimate.
OWN_ONLY = {"issued", "recalled", "started"}
_pending: set[tuple[int, int]] = set()
_pending_lock = threading.Lock()


def ticket_room(ticket_id: int) -> str:
    """The room of one ticket's phone pages."""
    return f"ticket:{ticket_id}"


def estimates() -> EstimateCache:
    """The app's cache of recent wait estimates."""
    return current_app.extensions["kezek.phone_estimates"]


def find_ticket(session: Session, code) -> Ticket | None:
    """The ticket with this code, if the code is a plausible one."""
    # Codes are URL-safe base64 (secrets.token_urlsafe): anything else cannot be one, NUL bytes included.
    if not isinstance(code, str) or not code or len(code) > CODE_MAX or not CODE_SHAPE.fullmatch(code):
        return None
    return session.scalar(select(Ticket).where(Ticket.code == code))


def connect(auth=None):
    """Join the ticket's room and send its status; an unknown code is refused."""
    ticket = find_ticket(db.session, auth.get("code") if isinstance(auth, dict) else None)
    if ticket is None:
        raise ConnectionRefusedError("unknown_ticket")
    join_room(ticket_room(ticket.id))
    emit("status", ticket_status(db.session, ticket, current_app.config["CLOCK"](), estimates()))


def resend_status(_data=None):
    """A phone that saw a gap asks for its status again."""
    for room in rooms(sid=request.sid, namespace=NAMESPACE):
        if room.startswith("ticket:"):
            ticket = db.session.get(Ticket, int(room.removeprefix("ticket:")))
            if ticket is not None:
                emit("status", ticket_status(db.session, ticket, current_app.config["CLOCK"](), estimates()))


def on_change(session: Session, change: Change, now: datetime) -> None:
    """Tell the changed ticket's phone at once; refresh the office's other waiting phones shortly after."""
    if change.ticket_id is not None:
        ticket = session.get(Ticket, change.ticket_id)
        if ticket is not None:
            emit_to_room("status", ticket_status(session, ticket, now, estimates()), ticket_room(ticket.id), NAMESPACE)
    if change.kind not in OWN_ONLY:
        _schedule(current_app._get_current_object(), change.office_id)


def _schedule(app: Flask, office_id: int) -> None:
    key = (id(app), office_id)
    with _pending_lock:
        if key in _pending:
            return
        _pending.add(key)
    socketio.start_background_task(_refresh_office, app, office_id, key)


def _refresh_office(app: Flask, office_id: int, key: tuple[int, int]) -> None:
    # Coalesced: a burst of calls costs one pass over the office's waiting tickets.
    time.sleep(app.config.get("PHONE_REFRESH_DELAY", 1.0))
    with _pending_lock:
        _pending.discard(key)
    try:
        with app.app_context(), read_session(app) as session:
            now = app.config["CLOCK"]()
            for ticket in waiting_tickets(session, office_id):
                room = ticket_room(ticket.id)
                if has_listeners(room, NAMESPACE):
                    status = ticket_status(session, ticket, now, estimates(), fresh=False)
                    emit_to_room("status", status, room, NAMESPACE)
    except Exception:  # a phone refresh is best effort; the next change or reconnect corrects it
        app.logger.exception("refreshing phones of office %s failed", office_id)


@bp.record_once
def _register(state) -> None:
    # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
    socketio.on_event("connect", connect, namespace=NAMESPACE)
    socketio.on_event("status", resend_status, namespace=NAMESPACE)
    state.app.extensions.setdefault("kezek.phone_estimates", EstimateCache())
    add_screen(state.app, on_change)
