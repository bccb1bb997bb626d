"""Staff sockets with one room per office (the clerk's console, the manager's live floor): a signed-in member
of staff joins the rooms of the offices asked for that they may see and is greeted, anyone else is refused;
after each change, the sockets of the office's room in this process are told what changed.

The socket only says what changed; the page then fetches the part it shows, rendered by the server in
the user's language. Changes reach every server process (kezek.realtime's local screens).
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from flask import Flask, current_app
from flask_login import current_user
from flask_socketio import emit, join_room

from kezek.extensions import socketio
from kezek.queue.changes import Change
from kezek.realtime import add_local_screen, has_listeners, relay
from kezek.realtime import emit as emit_to_room


class OfficeRooms:
    """The office rooms of one namespace, for the staff in `roles`; `changed(change)` is what a change tells them."""

    def __init__(self, namespace: str, room_prefix: str, roles: Collection[str], changed: Callable[[Change], dict]):
        self.namespace = namespace
        self.room_prefix = room_prefix
        self.roles = roles
        self.changed = changed

    def room(self, office_id: int) -> str:
        """The room of every such page showing one office."""
        return f"{self.room_prefix}{office_id}"

    def join(self, asked: Callable[[], Iterable[int]], refusal: str, hello: Callable[[list[int]], dict]) -> None:
        """Join the rooms of the offices `asked()` names that the signed-in user may see, and send
        `hello(offices)` (a page (re)connecting may have missed changes: it fetches what it shows on this).

        Refused with "sign_in" for anyone not signed in with one of the roles (before `asked` is read),
        with `refusal` when no office asked for may be seen.
        """
        if not current_user.is_authenticated or current_user.role not in self.roles:
            raise ConnectionRefusedError("sign_in")
        offices = [office_id for office_id in asked() if current_user.may_see_office(office_id)]
        if not offices:
            raise ConnectionRefusedError(refusal)
        relay(current_app._get_current_object()).listen()  # this process now has a page to keep up to date
        for office_id in offices:
            join_room(self.room(office_id))
        emit("hello", hello(offices))

    def on_change(self, app: Flask, change: Change) -> None:
        """Tell the office's pages connected to this process what changed."""
        room = self.room(change.office_id)
        if has_listeners(room, self.namespace):
            emit_to_room("changed", self.changed(change), room, self.namespace)

    def register(self, app: Flask, connect: Callable) -> None:
        """Answer the namespace's connections with `connect` and hear of every change (once per app)."""
        # Bound to this app's Socket.IO server (made by socketio.init_app just before blueprints register).
        socketio.on_event("connect", connect, namespace=self.namespace)
        add_local_screen(app, self.on_change)
