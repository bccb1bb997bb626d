"""/readyz says ready only when a write to the database commits."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from kezek import create_app, migrate
from kezek.services import services


def _refuse_writes(engine) -> None:
    """Every new connection of `engine` may read but not write (as a read-only file or replica would)."""

    @event.listens_for(engine, "connect")
    def _query_only(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    engine.dispose()


def test_readiness_fails_while_the_database_refuses_every_write(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url})
    client = app.test_client()
    try:
        assert client.get("/readyz").status_code == 200
        _refuse_writes(services(app).engine)
        assert client.get("/healthz").status_code == 200  # reads still work
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.get_json() == {"ready": False, "checks": {"database": False, "migrations": True}}
    finally:
        services(app).engine.dispose()


SERVER = os.environ.get("KEZEK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.mark.postgres
def test_readiness_fails_on_a_read_only_postgresql_database(tmp_path):
    name = f"kezek_ready_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(SERVER, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # pragma: no cover - depends on the machine
        pytest.skip(f"PostgreSQL is not reachable at {SERVER}: {error.__class__.__name__}")
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    app = None
    try:
        migrate.upgrade(url)
        app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url})
        client = app.test_client()
        assert client.get("/readyz").status_code == 200
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
        services(app).engine.dispose()
        answer = client.get("/readyz")
        assert answer.status_code == 503 and answer.get_json()["checks"]["database"] is False
    finally:
        if app is not None:
            services(app).engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
