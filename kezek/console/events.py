"""Console sockets (namespace /console): a signed-in clerk's console hears of every change of its office's queue.

The console is told what changed (kind, cabinet, version) the moment a change is published, in every
server process (kezek.realtime's local screens); it then fetches the part it shows, rendered by the server
in the clerk's language: the waiting list after any change, the whole panel after a change at its own
cabinet made elsewhere. Commands still go over HTTP.
"""
from __future__ import annotations

from kezek.extensions import db
from kezek.models import ADMIN, CLERK, MANAGER, REGIONAL_MANAGER, Cabinet, Office
from kezek.office_rooms import OfficeRooms
from kezek.console import bp

STAFF = (CLERK, MANAGER, REGIONAL_MANAGER, ADMIN)
ROOMS = OfficeRooms("/console", "console-office:", STAFF,
                    lambda change: {"kind": change.kind, "cabinet": change.cabinet_id, "version": change.version})
NAMESPACE = ROOMS.namespace
office_room = ROOMS.room  # the room of every console open in one office


def connect(auth=None):
    """Join the cabinet's office room if the signed-in user may work there; anyone else is refused."""
    cabinet_id = auth.get("cabinet") if isinstance(auth, dict) else None

    def office() -> list[int]:
        cabinet = db.session.get(Cabinet, cabinet_id) if isinstance(cabinet_id, int) and cabinet_id > 0 else None
        return [cabinet.office_id] if cabinet is not None and cabinet.active else []

    # A console (re)connecting may have missed changes: it fetches the panel on this.
    ROOMS.join(office, "unknown_cabinet", lambda offices: {"version": db.session.get(Office, offices[0]).version})


@bp.record_once
def _register(state) -> None:
    ROOMS.register(state.app, connect)
