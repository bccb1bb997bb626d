"""An installation made by the release before the house-keeping change (main at 2b03f32) upgrades in
place with `kezek init-db`, losing nothing: tickets, events, wait records, audit, settings, every row."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kezek.seeding import zone_at_hour

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "2b03f32"  # the last main before the wheel, the production server and the module moves

# Run inside the old release's code: a visitor takes tickets at the demo kiosk, the clerk calls,
# serves and finishes two (recalling one), calls a third and pauses, through the old release's own pages.
ACT = """
import sqlite3, sys
from kezek import create_app
app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
database = app.config["DATABASE_URL"].removeprefix("sqlite:///")
with sqlite3.connect(database) as connection:
    kinds = [row[0] for row in connection.execute(
        "SELECT visit_kind.id FROM visit_kind ORDER BY visit_kind.id")]
    cabinet = connection.execute("SELECT cabinet.id FROM cabinet JOIN office ON office.id = cabinet.office_id "
                                 "WHERE office.slug = 'demo' ORDER BY cabinet.id").fetchone()[0]
kiosk = app.test_client()
for kind in kinds * 2:
    answer = kiosk.post("/kiosk/demo/tickets", data={"visit_kind": kind, "lang": "kk", "kiosk": ""})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:400]
clerk = app.test_client()
assert clerk.post("/login", data={"username": "clerk", "password": "clerk"}).status_code == 302
for action in ("open", "call", "start", "finish", "call", "recall", "start", "finish", "call", "pause"):
    with sqlite3.connect(database) as connection:
        current = connection.execute("SELECT id FROM ticket WHERE cabinet_id = ? ORDER BY called_at DESC",
                                     (cabinet,)).fetchone()
    data = {} if action in ("open", "call", "pause") else {"ticket_id": current[0]}
    answer = clerk.post(f"/console/{cabinet}/{action}", data=data, headers={"Accept": "application/json"})
    assert answer.status_code in (200, 303), (action, answer.status_code, answer.get_data(as_text=True)[:400])
app.extensions["kezek.print_worker"].shutdown()
print("acted")
"""


def _old_kezek(tree: Path, env: dict, *args: str, code: str | None = None) -> str:
    """Run the old release's code (its own tree first on the path) with this interpreter's packages."""
    program = code or f"import sys; from kezek.cli import main; sys.argv = ['kezek', *{list(args)!r}]; main()"
    done = subprocess.run([sys.executable, "-c", program], cwd=tree, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def _rows(database: Path) -> dict[str, set[tuple]]:
    """Every row of every table but Alembic's own, as (column, value) pairs."""
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")]
        found = {}
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')
            columns = [column[0] for column in cursor.description]
            found[table] = {tuple(zip(columns, row)) for row in cursor}
    return found


@pytest.fixture
def old_release(tmp_path):
    """The release's source tree, exported from git (skips where the checkout has no history)."""
    tree = tmp_path / "release"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", RELEASE], capture_output=True)
    if archive.returncode != 0:
        pytest.skip(f"this checkout does not have commit {RELEASE}: {archive.stderr.decode()[:200]}")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def test_a_database_of_the_previous_release_upgrades_in_place_and_keeps_every_row(old_release, tmp_path):
    instance = tmp_path / "instance"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KEZEK_", "PYTHON"))}
    env["KEZEK_INSTANCE_PATH"] = str(instance)
    _old_kezek(old_release, env, "setup-demo")
    database = instance / "kezek.sqlite3"
    with sqlite3.connect(database) as connection:  # the demo office open now, whatever the hour of the run
        connection.execute("UPDATE office SET timezone = ? WHERE slug = 'demo'", (zone_at_hour(10),))
    assert "acted" in _old_kezek(old_release, env, code=ACT)
    before = _rows(database)
    for table in ("ticket", "ticket_event", "wait_record", "audit_entry", "office", "service", "visit_kind",
                  "user", "cabinet", "print_job", "directory_entry"):
        assert before[table], f"the old release wrote no {table} row: the test would prove nothing"

    kezek = Path(sys.executable).parent / "kezek"
    upgraded = subprocess.run([str(kezek), "init-db"], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=600)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr

    after = _rows(database)
    from kezek import migrate
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(migrate.alembic_config(f"sqlite:///{database}")).get_current_head()
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
    for table, rows in before.items():
        assert table in after, f"table {table} is gone"
        new_columns = {column for row in after[table] for column, _ in row} or None
        kept = {tuple(pair for pair in row if new_columns is None or pair[0] in new_columns) for row in rows}
        assert len(after[table]) >= len(rows), table
        # Every old row is still there with the values it had (columns a migration dropped aside).
        projected = {tuple(pair for pair in row if pair[0] in {column for column, _ in next(iter(rows))})
                     for row in after[table]}
        assert kept <= projected, f"rows of {table} changed or vanished"
