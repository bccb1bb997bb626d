"""Phone sockets (namespace /phone): a phone joins only its own ticket's room, by the ticket's code.

Each server process keeps the phones connected to it up to date (kezek.realtime's local screens): the
changed ticket's phone at once, the office's other waiting phones in one pass shortly after (only those
whose status changed).
"""
from __future__ import annotations

import re
import time

from flask import Flask, current_app, request
from flask_socketio import emit, join_room, rooms
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.clock import app_now
from kezek.extensions import db, socketio
from kezek.models import WAITING, Office, Ticket
from kezek.queue.changes import Change
from kezek.queue.codes import typed_code
from kezek.queue.counts import places
from kezek.realtime import add_local_screen, has_listeners, local_rooms, read_session, relay
from kezek.realtime import emit as emit_to_room
from kezek.services import services
from kezek.phone import bp
from kezek.phone.status import EstimateCache, PhoneScreens, ticket_status

NAMESPACE = "/phone"
ROOM_PREFIX = "ticket:"
CODE_MAX = 32
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]+")
# Changes that cannot move anyone else's place or estimate.
OWN_ONLY = {"issued", "recalled", "started"}
# Tickets read per query when refreshing (SQLite allows a limited number of bound values).
BATCH = 500


def phone_screens(app: Flask) -> PhoneScreens:
    """The app's PhoneScreens (one of its services)."""
    return services(app).phone


def ticket_room(ticket_id: int) -> str:
    """The room of one ticket's phone pages."""
    return f"{ROOM_PREFIX}{ticket_id}"


def estimates() -> EstimateCache:
    """The app's cache of recent wait estimates."""
    return phone_screens(current_app).estimates


def find_ticket(session: Session, code) -> Ticket | None:
    """The ticket with this code, if the code is a plausible one."""
    # Codes are URL-safe base64 (secrets.token_urlsafe): anything else cannot be one, NUL bytes included.
    if not isinstance(code, str) or not code or len(code) > CODE_MAX or not CODE_SHAPE.fullmatch(code):
        return None
    return session.scalar(select(Ticket).where(Ticket.code == typed_code(code)))


def connect(auth=None):
    """Join the ticket's room and send its status; an unknown code is refused."""
    ticket = find_ticket(db.session, auth.get("code") if isinstance(auth, dict) else None)
    if ticket is None:
        raise ConnectionRefusedError("unknown_ticket")
    relay(current_app._get_current_object()).listen()  # this process now has a phone to keep up to date
    join_room(ticket_room(ticket.id))
    reply_status(ticket)


def resend_status(_data=None):
    """A phone that saw a gap asks for its status again."""
    for room in rooms(sid=request.sid, namespace=NAMESPACE):
        if room.startswith(ROOM_PREFIX):
            ticket = db.session.get(Ticket, int(room.removeprefix(ROOM_PREFIX)))
            if ticket is not None:
                reply_status(ticket)


def reply_status(ticket: Ticket) -> None:
    """Send the asking phone its ticket's status (it is connected here: no need to go through the message queue)."""
    status = ticket_status(db.session, ticket, app_now(), estimates())
    is_news(current_app, ticket.id, status)
    emit("status", status)


def is_news(app: Flask, ticket_id: int, status: dict) -> bool:
    """Whether `status` tells the ticket's phones here anything new, the office's version aside; remembers it."""
    shown = phone_screens(app).shown
    told = {key: value for key, value in status.items() if key != "version"}
    if shown.get(ticket_id) == told:
        return False
    if len(shown) > 20000:  # tickets of past days: start afresh rather than grow
        shown.clear()
    shown[ticket_id] = told
    return True


def on_change(app: Flask, change: Change) -> None:
    """Tell the changed ticket's phone here at once; refresh the office's other waiting phones here shortly after."""
    if change.ticket_id is not None and has_listeners(ticket_room(change.ticket_id), NAMESPACE):
        with app.app_context(), read_session(app) as session:
            ticket = session.get(Ticket, change.ticket_id)
            if ticket is not None:
                status = ticket_status(session, ticket, app_now(app), estimates())
                is_news(app, ticket.id, status)
                emit_to_room("status", status, ticket_room(ticket.id), NAMESPACE)
    if change.kind not in OWN_ONLY:
        _schedule(app, change.office_id)


def _schedule(app: Flask, office_id: int) -> None:
    screens = phone_screens(app)
    with screens.lock:
        if office_id in screens.pending:
            return
        screens.pending.add(office_id)
    socketio.start_background_task(_refresh_office, app, office_id)


def followed_tickets() -> list[int]:
    """The tickets with a phone connected to this process."""
    return [int(room.removeprefix(ROOM_PREFIX)) for room in local_rooms(NAMESPACE)
            if room.startswith(ROOM_PREFIX) and room.removeprefix(ROOM_PREFIX).isdigit()]


def _refresh_office(app: Flask, office_id: int) -> None:
    # Coalesced: a burst of changes costs one pass, over the office's waiting tickets followed here only.
    time.sleep(app.config.get("PHONE_REFRESH_DELAY", 1.0))
    screens = phone_screens(app)
    with screens.lock:
        screens.pending.discard(office_id)
    try:
        followed = followed_tickets()
        if not followed:
            return
        with app.app_context(), read_session(app) as session:
            now = app_now(app)
            version = session.scalar(select(Office.version).where(Office.id == office_id))
            place = places(session, office_id)
            for start in range(0, len(followed), BATCH):
                tickets = session.scalars(select(Ticket).where(
                    Ticket.id.in_(followed[start:start + BATCH]), Ticket.office_id == office_id,
                    Ticket.status == WAITING))
                for ticket in tickets:
                    status = ticket_status(session, ticket, now, estimates(), fresh=False, version=version,
                                           ahead=place.get(ticket.id))
                    if is_news(app, ticket.id, status):  # a call of another visit kind moves nobody here
                        emit_to_room("status", status, ticket_room(ticket.id), NAMESPACE)
    except Exception:  # a phone refresh is best effort; the next change or reconnect corrects it
        app.logger.exception("refreshing phones of office %s failed", office_id)


@bp.record_once
def _register(state) -> None:
    # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
    socketio.on_event("connect", connect, namespace=NAMESPACE)
    socketio.on_event("status", resend_status, namespace=NAMESPACE)
    add_local_screen(state.app, on_change)
