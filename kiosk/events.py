"""Kiosk sockets (namespace /kiosk): a kiosk page joins its office's room and is told the office's state.

The state goes out on every (re)connect, after every change of the office's queue (kezek.realtime), and
whenever the clock changes it (opening, lunch, closing), which the watcher (kiosk.watcher) notices while
kiosks are connected.
"""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app
from flask_socketio import emit, join_room
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.clock import app_now
from kezek.extensions import db, socketio
from kezek.models import Office
from kezek.queue.changes import Change
from kezek.realtime import add_screen, has_listeners, local_rooms, read_session, relay
from kezek.realtime import emit as emit_to_room
from kezek.services import services
from kiosk import bp
from kiosk.state import kiosk_state
from kiosk.watcher import Watcher

NAMESPACE = "/kiosk"
SLUG_MAX = 40
ROOM_PREFIX = "office:"


def office_room(office_id: int) -> str:
    """The room every kiosk page of one office is in."""
    return f"{ROOM_PREFIX}{office_id}"


def connect(auth=None):
    """Join the office's room and send its state; an unknown office is refused."""
    slug = auth.get("office") if isinstance(auth, dict) else None
    if not isinstance(slug, str) or not slug or len(slug) > SLUG_MAX:
        raise ConnectionRefusedError("unknown_office")
    office = db.session.scalar(select(Office).where(Office.slug == slug, Office.enabled))
    if office is None:
        raise ConnectionRefusedError("unknown_office")
    app = current_app._get_current_object()
    relay(app).listen()  # changes made by other server processes reach this one
    join_room(office_room(office.id))
    state = kiosk_state(db.session, office, app_now(app))
    watcher(app).sent(office.id, state)
    emit("state", state)
    watcher(app).start()


def on_change(session: Session, change: Change, now: datetime) -> None:
    """Send the office's new state to its kiosk pages connected to this process (none: nothing to do)."""
    room = office_room(change.office_id)
    if not has_listeners(room, NAMESPACE):
        return
    office = session.get(Office, change.office_id)
    if office is not None:
        state = kiosk_state(session, office, now)
        watcher(current_app._get_current_object()).sent(office.id, state)
        emit_to_room("state", state, room, NAMESPACE)


def watched_offices() -> list[int]:
    """The offices with a kiosk page connected to this process."""
    return [int(room.removeprefix(ROOM_PREFIX)) for room in local_rooms(NAMESPACE)
            if room.startswith(ROOM_PREFIX) and room.removeprefix(ROOM_PREFIX).isdigit()]


def check(app: Flask, office_ids: list[int]) -> None:
    """Send each office whose keys changed since they were last sent its new state (the watcher's round)."""
    watching = watcher(app)
    with app.app_context(), read_session(app) as session:
        now = app_now(app)
        for office in session.scalars(select(Office).where(Office.id.in_(office_ids))):
            state = kiosk_state(session, office, now)
            if watching.last.get(office.id) != state["keys"]:
                watching.sent(office.id, state)
                emit_to_room("state", state, office_room(office.id), NAMESPACE)


def watcher(app: Flask) -> Watcher:
    """The app's watcher of kiosk states (one of its services)."""
    return services(app).kiosk_watcher


@bp.record_once
def _register(state) -> None:
    # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
    socketio.on_event("connect", connect, namespace=NAMESPACE)
    add_screen(state.app, on_change)
