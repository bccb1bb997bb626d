"""Board sockets (namespace /display): a board joins its office's room on every (re)connect and gets a snapshot."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from flask_socketio import emit, join_room, rooms
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.extensions import db, socketio
from kezek.models import Office
from kezek.queue.changes import Change
from kezek.realtime import add_screen
from kezek.realtime import emit as emit_to_room
from display import bp
from display.snapshot import board_state

NAMESPACE = "/display"
SLUG_MAX = 40


def office_room(office_id: int) -> str:
    """The room every board of one office is in."""
    return f"office:{office_id}"


def sounds_url() -> str:
    """Where the announcement fragments are served."""
    return f"{current_app.static_url_path}/sounds"


def snapshot(session: Session, office: Office) -> dict:
    """The board's full state now, as sent on connect and on request."""
    return board_state(session, office, current_app.config["CLOCK"](), sounds_url())


def _office(auth) -> Office | None:
    slug = auth.get("office") if isinstance(auth, dict) else None
    if not isinstance(slug, str) or not slug or len(slug) > SLUG_MAX:
        return None
    return db.session.scalar(select(Office).where(Office.slug == slug, Office.enabled))


def connect(auth=None):
    """Join the office's room and send the snapshot; an unknown office is refused."""
    office = _office(auth)
    if office is None:
        raise ConnectionRefusedError("unknown_office")
    join_room(office_room(office.id))
    emit("snapshot", snapshot(db.session, office))


def resend_snapshot(_data=None):
    """A board that saw a gap in versions asks for the whole state again."""
    for room in rooms(sid=request.sid, namespace=NAMESPACE):
        if room.startswith("office:"):
            office = db.session.get(Office, int(room.removeprefix("office:")))
            if office is not None:
                emit("snapshot", snapshot(db.session, office))


def on_change(session: Session, change: Change, now: datetime) -> None:
    """Push the office's new board state to its boards (registered with kezek.realtime)."""
    office = session.get(Office, change.office_id)
    if office is None:
        return
    state = board_state(session, office, now, sounds_url())
    emit_to_room("update", dict(state, kind=change.kind), office_room(office.id), NAMESPACE)


@bp.record_once
def _register(state) -> None:
    # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
    socketio.on_event("connect", connect, namespace=NAMESPACE)
    socketio.on_event("snapshot", resend_snapshot, namespace=NAMESPACE)
    add_screen(state.app, on_change)
