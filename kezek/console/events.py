"""Console sockets (namespace /console): a signed-in clerk's console hears of every change of its office's queue.

The console is told what changed (kind, cabinet, version) the moment a change is published, in every
server process (kezek.realtime's local screens); it then fetches the part it shows, rendered by the server
in the clerk's language: the waiting list after any change, the whole panel after a change at its own
cabinet made elsewhere. Commands still go over HTTP.
"""
from __future__ import annotations

from flask import Flask, current_app
from flask_login import current_user
from flask_socketio import emit, join_room

from kezek.extensions import db, socketio
from kezek.models import ADMIN, CLERK, MANAGER, REGIONAL_MANAGER, Cabinet, Office
from kezek.queue.changes import Change
from kezek.realtime import add_local_screen, has_listeners, relay
from kezek.realtime import emit as emit_to_room
from kezek.console import bp

NAMESPACE = "/console"
STAFF = (CLERK, MANAGER, REGIONAL_MANAGER, ADMIN)


def office_room(office_id: int) -> str:
    """The room of every console open in one office."""
    return f"console-office:{office_id}"


def connect(auth=None):
    """Join the cabinet's office room if the signed-in user may work there; anyone else is refused."""
    cabinet_id = auth.get("cabinet") if isinstance(auth, dict) else None
    if not current_user.is_authenticated or current_user.role not in STAFF:
        raise ConnectionRefusedError("sign_in")
    cabinet = db.session.get(Cabinet, cabinet_id) if isinstance(cabinet_id, int) and cabinet_id > 0 else None
    if cabinet is None or not cabinet.active or not current_user.may_see_office(cabinet.office_id):
        raise ConnectionRefusedError("unknown_cabinet")
    relay(current_app._get_current_object()).listen()  # this process now has a console to keep up to date
    join_room(office_room(cabinet.office_id))
    version = db.session.get(Office, cabinet.office_id).version
    # A console (re)connecting may have missed changes: it fetches the panel on this.
    emit("hello", {"version": version})


def on_change(app: Flask, change: Change) -> None:
    """Tell the office's consoles connected to this process what changed."""
    room = office_room(change.office_id)
    if has_listeners(room, NAMESPACE):
        emit_to_room("changed", {"kind": change.kind, "cabinet": change.cabinet_id, "version": change.version},
                     room, NAMESPACE)


@bp.record_once
def _register(state) -> None:
    # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
    socketio.on_event("connect", connect, namespace=NAMESPACE)
    add_local_screen(state.app, on_change)
