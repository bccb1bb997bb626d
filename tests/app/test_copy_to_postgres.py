"""Moving an embedded SQLite installation to PostgreSQL: every ticket and event arrives, numbering goes on."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from kezek import create_app, migrate
from kezek.models import Cabinet, Office, Ticket, TicketEvent, VisitKind, make_engine
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.seeding import create_user
from kezek.services import services

pytestmark = pytest.mark.postgres
SERVER = os.environ.get("KEZEK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture
def postgres_target():
    try:
        admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "kezek_copy_test" WITH (FORCE)'))
            connection.execute(text('CREATE DATABASE "kezek_copy_test"'))
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL is not reachable at {SERVER}: {error.__class__.__name__}")
    yield make_url(SERVER).set(database="kezek_copy_test").render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "kezek_copy_test" WITH (FORCE)'))
    admin.dispose()


def test_copy_keeps_every_ticket_and_event_and_numbering_continues(tmp_path, postgres_target, clock):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["setup-demo"]).exit_code == 0
    from kezek.extensions import db

    with app.app_context():
        session = db.session
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        kind = session.scalar(select(VisitKind).where(VisitKind.prefix == "A"))
        for _ in range(3):
            issue_ticket(session, office, kind, clock())
        cabinet = session.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "101"))
        user = create_user(session, "c", "p", "clerk", office)
        clerk.set_cabinet_state(session, cabinet, user, "open")
        called = clerk.call_next(session, cabinet, user, clock()).ticket.label
        session.commit()
    result = runner.invoke(args=["copy-to-postgres", postgres_target])
    assert result.exit_code == 0, result.output
    assert "All rows copied" in result.output
    target = make_engine(postgres_target)
    with target.connect() as connection:
        labels = connection.execute(text("select prefix, number, status from ticket order by id")).all()
        assert [(p, n) for p, n, _ in labels] == [("A", 1), ("A", 2), ("A", 3)]
        assert sum(1 for *_, status in labels if status == "called") == 1
        assert connection.scalar(text("select count(*) from ticket_event")) == 4
        assert connection.scalar(text("select count(*) from office where slug = 'demo'")) == 1
    from sqlalchemy.orm import Session

    with Session(target) as session:
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        kind = session.scalar(select(VisitKind).where(VisitKind.prefix == "A"))
        fourth = issue_ticket(session, office, kind, clock()).ticket
        session.commit()
        assert fourth.label == "A-004" and fourth.id == 4
        assert session.scalar(select(TicketEvent).order_by(TicketEvent.id.desc())).ticket_id == fourth.id
        assert session.scalar(select(Ticket).where(Ticket.status == "called")).label == called
    target.dispose()
    again = runner.invoke(args=["copy-to-postgres", postgres_target])
    assert again.exit_code != 0 and "already has tickets" in again.output
    services(app).engine.dispose()
