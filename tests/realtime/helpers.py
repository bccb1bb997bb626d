"""Helpers for realtime tests: a clerk at a cabinet who commits then publishes, and socket clients."""
from __future__ import annotations

from sqlalchemy import select

from kezek.extensions import db, socketio
from kezek.models import Cabinet, Ticket, User
from kezek.queue import clerk as rules
from kezek.realtime import publish
from kezek.seeding import create_user
from tests.conftest import office_by_slug


class Desk:
    """A clerk at one cabinet of an office, acting through the clerk rules: commit, then publish."""

    def __init__(self, app, office: str = "demo", cabinet: str | None = None, username: str = "desk-clerk"):
        self.app = app
        with app.app_context():
            found = office_by_slug(db.session, office)
            query = select(Cabinet).where(Cabinet.office_id == found.id).order_by(Cabinet.number)
            if cabinet:
                query = query.where(Cabinet.number == cabinet)
            self.cabinet_id = db.session.scalar(query).id
            self.user_id = create_user(db.session, f"{username}-{office}", "pass-1234", "clerk", found).id
            db.session.commit()
        self.act("open")

    def act(self, action: str):
        """Do one action (open, call, recall, finish), commit and publish; returns the ticket's label."""
        with self.app.app_context():
            session = db.session
            cabinet = session.get(Cabinet, self.cabinet_id)
            user = session.get(User, self.user_id)
            now = self.app.config["CLOCK"]()
            current = rules.current_ticket(session, cabinet)
            if action == "open":
                outcome = rules.set_cabinet_state(session, cabinet, user, "open")
            elif action == "call":
                outcome = rules.call_next(session, cabinet, user, now)
            elif action == "recall":
                outcome = rules.recall(session, cabinet, user, current.id, now)
            else:
                outcome = rules.finish(session, cabinet, user, current.id, now)
            label = outcome.ticket.label if outcome.ticket else None
            session.commit()
            publish(outcome.change)
            return label


def board(app, office: str = "demo", client=None):
    """A board's socket, connected to /display for `office`."""
    return socketio.test_client(app, namespace="/display", auth={"office": office}, flask_test_client=client)


def phone(app, code: str):
    """A phone's socket, connected to /phone with a ticket's code."""
    return socketio.test_client(app, namespace="/phone", auth={"code": code})


def events(socket, namespace: str, name: str | None = None) -> list[dict]:
    """The payloads received since the last look (only of event `name` if given)."""
    return [item["args"][0] for item in socket.get_received(namespace) if name is None or item["name"] == name]


def ticket_code(app, label: str, office: str = "demo") -> str:
    """The unguessable code of the ticket labelled `label` today."""
    with app.app_context():
        found = office_by_slug(db.session, office)
        prefix, number = label.split("-")
        return db.session.scalar(select(Ticket.code).where(
            Ticket.office_id == found.id, Ticket.prefix == prefix, Ticket.number == int(number)))
