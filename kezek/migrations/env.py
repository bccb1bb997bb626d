"""Alembic environment: migrates the database named by the Kezek settings (or -x url=...)."""
from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from kezek.models import Base, make_engine

config = context.config
url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")


def run_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _migrate(connection) -> None:
    """Run the migrations on `connection`.

    On SQLite, a batch migration rebuilds a table (copy, DROP, rename); with foreign keys enforced the
    DROP fails as soon as another table's rows refer to it, i.e. on every installation with tickets.
    SQLite ignores the pragma inside a transaction, so it is turned off before the migration's
    transaction and on again after it (Alembic's documented recipe for batch mode).
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # end SQLAlchemy's implicit transaction so the migration's own one begins
    try:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        _migrate(connection)
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
