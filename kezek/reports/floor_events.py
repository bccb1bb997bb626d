"""Live floor sockets (namespace /floor): a manager's live floor hears of every change of the offices it shows.

As with the console, the socket only says what changed (office, version); the page then fetches the
part it shows, rendered by the server in the manager's language.
"""
from __future__ import annotations

from flask import Flask, current_app
from flask_login import current_user
from flask_socketio import emit, join_room
from sqlalchemy import select

from kezek.extensions import db, socketio
from kezek.models import Office
from kezek.queue.changes import Change
from kezek.realtime import add_local_screen, has_listeners, relay
from kezek.realtime import emit as emit_to_room
from kezek.reports import bp
from kezek.reports.scope import MANAGERS

NAMESPACE = "/floor"


def office_room(office_id: int) -> str:
    """The room of every live floor showing one office."""
    return f"floor-office:{office_id}"


def _offices(auth) -> list[int]:
    """The offices a connecting floor asks for that the signed-in manager may see (every one: "all")."""
    asked = auth.get("office") if isinstance(auth, dict) else None
    if asked == "all":
        ids = db.session.scalars(select(Office.id).where(~Office.is_regional, Office.enabled))
        return [office_id for office_id in ids if current_user.may_see_office(office_id)]
    if isinstance(asked, int) and not isinstance(asked, bool) and asked > 0 and db.session.get(Office, asked):
        return [asked] if current_user.may_see_office(asked) else []
    return []


def connect(auth=None):
    """Join the rooms of the offices asked for; anyone not a manager of them is refused."""
    if not current_user.is_authenticated or current_user.role not in MANAGERS:
        raise ConnectionRefusedError("sign_in")
    offices = _offices(auth)
    if not offices:
        raise ConnectionRefusedError("unknown_office")
    relay(current_app._get_current_object()).listen()  # this process now has a floor to keep up to date
    for office_id in offices:
        join_room(office_room(office_id))
    # A floor (re)connecting may have missed changes: it fetches what it shows on this.
    emit("hello", {"offices": offices})


def on_change(app: Flask, change: Change) -> None:
    """Tell the floors connected to this process that show the office what changed."""
    room = office_room(change.office_id)
    if has_listeners(room, NAMESPACE):
        emit_to_room("changed", {"office": change.office_id, "kind": change.kind, "version": change.version},
                     room, NAMESPACE)


@bp.record_once
def _register(state) -> None:
    # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
    socketio.on_event("connect", connect, namespace=NAMESPACE)
    add_local_screen(state.app, on_change)
