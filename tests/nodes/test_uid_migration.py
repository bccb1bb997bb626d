"""An installation from before office nodes upgrades in place: every row kept as it was, and each ticket, event
and audit entry given a region-unique uid (on SQLite, the embedded office, and on PostgreSQL, the region)."""
from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from kezek import migrate
from kezek.audit import record
from kezek.models import Cabinet, Office, User, VisitKind, make_engine
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.seeding import create_demo_office, create_user, load_offices, load_services
from kezek.sessions import session_factory

BEFORE = "0006_console_outcome_note"  # the last revision before office nodes
SERVER = os.environ.get("KEZEK_TEST_DATABASE_URL", "")


@pytest.fixture
def database_url(tmp_path):
    """An empty database: a SQLite file, or a fresh PostgreSQL database on the PostgreSQL pass."""
    if not SERVER:
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    name = f"{make_url(SERVER).database or 'kezek'}_uid_{uuid.uuid4().hex[:8]}"
    admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _rows(engine) -> dict[str, list[dict]]:
    """Every row of every table but Alembic's own, each as a column -> value mapping."""
    found = {}
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            if table != "alembic_version":
                found[table] = [dict(row._mapping) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
    return found


def _serve(engine, clock) -> None:
    """An office's morning: tickets issued, called, served and finished, and an audited action."""
    with session_factory(engine)() as session:  # Kezek's sessions keep the wait records
        load_services(session)
        load_offices(session)
        create_demo_office(session)
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        user = create_user(session, "oldclerk", "pass-1234", "clerk", office)
        session.commit()
        for kind in list(session.scalars(select(VisitKind).order_by(VisitKind.id))) * 2:
            issue_ticket(session, office, kind, clock())
            session.commit()
            clock.moment += timedelta(minutes=1)
        cabinet = session.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "101"))
        clerk.set_cabinet_state(session, cabinet, user, "open")
        ticket = clerk.call_next(session, cabinet, user, clock()).ticket
        clerk.start(session, cabinet, user, ticket.id, clock())
        clerk.finish(session, cabinet, user, ticket.id, clock() + timedelta(minutes=4))
        clerk.call_next(session, cabinet, user, clock() + timedelta(minutes=5))
        record(session, session.get(User, user.id), "cabinet.open", {"cabinet": cabinet.id}, at=clock())
        session.commit()


def test_an_installation_from_before_nodes_keeps_every_row_and_gets_region_unique_ids(database_url, clock):
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    _serve(engine, clock)
    engine.dispose()
    command.downgrade(migrate.alembic_config(database_url), BEFORE)  # the database as the release left it
    engine = make_engine(database_url)
    before = _rows(engine)
    engine.dispose()
    for table in ("ticket", "ticket_event", "wait_record", "audit_entry"):
        assert before[table], f"no {table} row: the test would prove nothing"
    assert "uid" not in before["ticket"][0]

    migrate.upgrade(database_url)

    engine = make_engine(database_url)
    after = _rows(engine)
    engine.dispose()
    # Every table kept, the nodes' ones added (later migrations may add others: the live floor's alerts).
    assert set(before) <= set(after) and {"node", "centre_link", "outbox_entry"} <= set(after) - set(before)
    for table, rows in before.items():
        kept = [{column: row[column] for column in rows[0]} for row in after[table]] if rows else []
        key = sorted(rows[0]) if rows else []
        assert sorted(kept, key=lambda row: [str(row[c]) for c in key]) == \
            sorted(rows, key=lambda row: [str(row[c]) for c in key]), f"rows of {table} changed"
    for table in ("ticket", "ticket_event", "audit_entry"):
        uids = [row["uid"] for row in after[table]]
        assert all(re.fullmatch(r"[0-9a-f]{32}", uid) for uid in uids), table
        assert len(set(uids)) == len(uids), f"two {table} rows got the same uid"
