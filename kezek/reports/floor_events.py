"""Live floor sockets (namespace /floor): a manager's live floor hears of every change of the offices it shows.

As with the console, the socket only says what changed (office, version); the page then fetches the
part it shows, rendered by the server in the manager's language.
"""
from __future__ import annotations

from sqlalchemy import select

from kezek.extensions import db
from kezek.models import Office
from kezek.office_rooms import OfficeRooms
from kezek.reports import bp
from kezek.reports.scope import MANAGERS

ROOMS = OfficeRooms("/floor", "floor-office:", MANAGERS,
                    lambda change: {"office": change.office_id, "kind": change.kind, "version": change.version})
NAMESPACE = ROOMS.namespace
office_room = ROOMS.room  # the room of every live floor showing one office


def _offices(auth) -> list[int]:
    """The offices a connecting floor asks for (every one: "all"); those the manager may not see are left out."""
    asked = auth.get("office") if isinstance(auth, dict) else None
    if asked == "all":
        return list(db.session.scalars(select(Office.id).where(~Office.is_regional, Office.enabled)))
    if isinstance(asked, int) and not isinstance(asked, bool) and asked > 0 and db.session.get(Office, asked):
        return [asked]
    return []


def connect(auth=None):
    """Join the rooms of the offices asked for; anyone not a manager of them is refused."""
    # A floor (re)connecting may have missed changes: it fetches what it shows on this.
    ROOMS.join(lambda: _offices(auth), "unknown_office", lambda offices: {"offices": offices})


@bp.record_once
def _register(state) -> None:
    ROOMS.register(state.app, connect)
