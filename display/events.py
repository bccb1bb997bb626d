"""Board sockets (namespace /display): a board joins its office's room on every (re)connect and gets a snapshot."""
from __future__ import annotations

import time
from datetime import datetime

from flask import current_app, request
from flask_socketio import emit, join_room, rooms
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.clock import app_now
from kezek.extensions import db, socketio
from kezek.models import Office
from kezek.queue.changes import Change
from kezek.realtime import add_screen, has_listeners, relay
from kezek.realtime import emit as emit_to_room
from kezek.services import current_services
from display import bp
from display.snapshot import board_state

NAMESPACE = "/display"
SLUG_MAX = 40
# How long a built board state may answer a snapshot request while its office's version stays the same.
STATE_REUSE_SECONDS = 10.0


def office_room(office_id: int) -> str:
    """The room every board of one office is in."""
    return f"office:{office_id}"


def sounds_url() -> str:
    """Where the announcement fragments are served."""
    return f"{current_app.static_url_path}/sounds"


def snapshot(session: Session, office: Office) -> dict:
    """The board's full state now, as sent on connect and on request.

    Boards ask again after every gap in versions, and under load most gaps are changes sent together;
    the state this process last built for the office serves while the office's version has not moved.
    """
    now = app_now()
    version = session.scalar(select(Office.version).where(Office.id == office.id))
    known = built_states().get(office.id)
    if known and known[0] == version and time.monotonic() - known[1] < STATE_REUSE_SECONDS:
        return dict(known[2], now=now.isoformat())
    return remember(office.id, board_state(session, office, now, sounds_url()))


def built_states() -> dict[int, tuple[int, float, dict]]:
    """The last board state built in this process per office: (version, when, state)."""
    return current_services().board_states


def remember(office_id: int, state: dict) -> dict:
    """Keep `state` as the office's last built one; returns it."""
    built_states()[office_id] = (state["version"], time.monotonic(), state)
    return state


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
    relay(current_app._get_current_object()).listen()  # this process now has a board to keep up to date
    join_room(office_room(office.id))
    reply_snapshot(office)


def resend_snapshot(_data=None):
    """A board that saw a gap in versions asks for the whole state again."""
    for room in rooms(sid=request.sid, namespace=NAMESPACE):
        if room.startswith("office:"):
            office = db.session.get(Office, int(room.removeprefix("office:")))
            if office is not None:
                reply_snapshot(office)


def reply_snapshot(office: Office) -> None:
    """Send the asking board the whole state (it is connected here: no need to go through the message queue)."""
    emit("snapshot", snapshot(db.session, office))


def on_change(session: Session, change: Change, now: datetime) -> None:
    """Push the office's new board state to its boards connected to this process (registered with
    kezek.realtime, which tells every process with boards of every change).

    An office nobody watches here costs nothing; a board that connects later gets its snapshot then.
    """
    room = office_room(change.office_id)
    if not has_listeners(room, NAMESPACE):
        return
    office = session.get(Office, change.office_id)
    if office is None:
        return
    state = remember(office.id, board_state(session, office, now, sounds_url()))
    # The oldest version this update stands for: several changes sent as one leave the board no gap.
    first = min(change.first_version or change.version, state["version"])
    emit_to_room("update", dict(state, kind=change.kind, first_version=first), room, NAMESPACE)


@bp.record_once
def _register(state) -> None:
    # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
    socketio.on_event("connect", connect, namespace=NAMESPACE)
    socketio.on_event("snapshot", resend_snapshot, namespace=NAMESPACE)
    add_screen(state.app, on_change)
