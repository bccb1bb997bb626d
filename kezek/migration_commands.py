"""`kezek db ...`: the developers' commands for the schema's migrations (docs/CONTRIBUTING.md)."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from kezek import migrate
from kezek.resources import migrations_folder

db_group = AppGroup("db", help="The database schema's migrations (for developers).")


def next_revision_id(message: str, versions: Path | None = None) -> str:
    """The next migration's id: the next four-digit number and the message's words, as 0006_add_kiosk_notes."""
    folder = versions or migrations_folder() / "versions"
    numbers = [int(match.group(1)) for path in folder.glob("*.py") if (match := re.match(r"(\d{4})_", path.name))]
    words = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40].rstrip("_") or "change"
    return f"{max(numbers, default=0) + 1:04d}_{words}"


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="what the migration changes, in a few words")
def revision_command(message: str) -> None:
    """Write a new migration with what the models have that the migrations do not (Alembic autogenerate).

    The models are compared with a scratch SQLite database built by the migrations, not with the
    configured database, so a developer's own data never shapes the migration. Read and edit the file
    it writes: autogenerate misses renames and data changes, and indexes on expressions on SQLite.
    """
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'scratch.sqlite3'}"
        migrate.upgrade(url)
        written = migrate.revision(url, message, rev_id=next_revision_id(message))
    for path in written:
        click.echo(f"Wrote {path}: read it, edit it, then run the migration tests.")


def init_app(app: Flask) -> None:
    """Register `kezek db` on `app.cli`."""
    app.cli.add_command(db_group)
