"""An office node beside the test's centre: its own SQLite database with the outbox, and an enrolled node row."""
from __future__ import annotations

import shutil
from urllib.parse import urlsplit
from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek import create_app
from kezek.extensions import db as kezek_db
from kezek.models import Cabinet, CentreLink, Office, OutboxEntry, Ticket, User, VisitKind
from kezek.nodes import outbox
from kezek.nodes.registry import add_node, enrol, new_enrolment
from kezek.nodes.rows import SPECS, Names, read_row
from kezek.nodes.sender import Answer, LinkDown, Sender
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.seeding import create_user
from kezek.services import services


@pytest.fixture
def node_app(tmp_path, seeded_database, clock):
    """A node installation of the demo office (SQLite), its outbox triggers in place."""
    shutil.copyfile(seeded_database, tmp_path / "node.sqlite3")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "node"), "DATABASE_URL": f"sqlite:///{tmp_path / 'node.sqlite3'}",
                      "SECRET_KEY": "node-secret", "TESTING": True, "CLOCK": clock,
                      "PRINTER_URL": f"dummy://{tmp_path / 'node-prints'}"})
    with app.app_context():
        session = kezek_db.session
        session.add(CentreLink(id=1, centre_url="http://centre", node_id=1, office_slug="demo", credential="x",
                               enrolled_at=clock(), acked_seq=0, last_error=""))
        outbox.install(session.connection())
        create_user(session, "nodeclerk", "pass-1234", "clerk", session.scalar(select(Office).where(Office.slug == "demo")))
        session.commit()
    yield app
    services(app).close()


@pytest.fixture
def centre_node(app, db, clock):
    """At the centre (the test's app): the demo office's node, enrolled; returns (node, credential)."""
    office = db.scalar(select(Office).where(Office.slug == "demo"))
    create_user(db, "nodeclerk", "pass-1234", "clerk", office)
    node = add_node(db, None, office, "demo-node", clock())
    code = new_enrolment(db, None, node, clock())
    node, credential = enrol(db, code, clock())
    db.commit()
    return node, credential


class Link:
    """The node's link to the test's centre, through its test client; `down` cuts it."""

    def __init__(self, client):
        self.client, self.down, self.posts = client, False, 0

    def __call__(self, url, payload, credential=None, ca_file=None):
        if self.down:
            raise LinkDown("connection refused")
        self.posts += 1
        answer = self.client.post(urlsplit(url).path, json=payload, headers={"Authorization": f"Bearer {credential}"})
        return Answer(answer.status_code, answer.get_json() or {})


@pytest.fixture
def sender(node_app, client, clock, centre_node):
    """The node's sender, enrolled with the test's centre, shipping 5 entries a batch."""
    node, credential = centre_node
    with node_app.app_context():
        link = kezek_db.session.get(CentreLink, 1)
        link.node_id, link.credential = node.id, credential
        kezek_db.session.commit()
    link = Link(client)
    return Sender(services(node_app).sessions, clock, post=link, batch=5), link


def serve_a_morning(node_app, clock, visitors: int = 4) -> None:
    """At the node: visitors take tickets; the clerk calls, serves and finishes some, and calls one more."""
    with node_app.app_context():
        session = kezek_db.session
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        kinds = list(session.scalars(select(VisitKind).order_by(VisitKind.id)))
        for n in range(visitors):
            issue_ticket(session, office, kinds[n % len(kinds)], clock())
            session.commit()
            clock.moment += timedelta(minutes=1)
        cabinet = session.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "101"))
        user = session.scalar(select(User).where(User.username == "nodeclerk"))
        clerk.set_cabinet_state(session, cabinet, user, "open")
        for _ in range(min(2, visitors)):
            ticket = clerk.call_next(session, cabinet, user, clock()).ticket
            clock.moment += timedelta(minutes=2)
            clerk.start(session, cabinet, user, ticket.id, clock())
            clock.moment += timedelta(minutes=5)
            clerk.finish(session, cabinet, user, ticket.id, clock())
            session.commit()
        clerk.call_next(session, cabinet, user, clock())
        session.commit()


def node_batch(node_app, after: int = 0, limit: int = 1000) -> dict:
    """The node's next batch, as its sender would post it."""
    with node_app.app_context():
        session = kezek_db.session
        office_id = session.scalar(select(Office.id).where(Office.slug == "demo"))
        return outbox.batch(session, office_id, after, limit)


def shipped_rows(session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict | None]:
    """Each (table, key)'s row in its shipped form, read from `session`'s database."""
    office_id = session.scalar(select(Office.id).where(Office.slug == "demo"))
    names = Names(session, office_id)
    return {(table, key): read_row(session, names, table, key) for table, key in keys}


def outbox_keys(node_app) -> list[tuple[str, str]]:
    """Every (table, key) the node's outbox names, once each."""
    with node_app.app_context():
        rows = kezek_db.session.execute(select(OutboxEntry.table_name, OutboxEntry.row_key).order_by(OutboxEntry.seq))
        return list(dict.fromkeys(tuple(row) for row in rows))


def count_rows(session, office_slug: str = "demo") -> dict[str, int]:
    """How many rows of each synced table but the audit log the demo office has in `session`'s database."""
    from sqlalchemy import func

    office_id = session.scalar(select(Office.id).where(Office.slug == office_slug))
    counts = {}
    for table, spec in SPECS.items():
        model = spec.model
        if table == "audit_entry":  # the centre audits its own actions on the office too
            continue
        if hasattr(model, "office_id"):
            query = select(func.count()).select_from(model).where(model.office_id == office_id)
        else:
            query = select(func.count()).select_from(model).join(
                Ticket, Ticket.id == model.ticket_id).where(Ticket.office_id == office_id)
        counts[table] = session.scalar(query)
    return counts
