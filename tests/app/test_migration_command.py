"""`kezek db revision -m ...` writes the next migration, numbered and chained like the others."""
from __future__ import annotations

import re
import shutil

from alembic.script import ScriptDirectory

from kezek import migrate, migration_commands
from kezek.resources import migrations_folder


def test_a_new_migration_is_numbered_after_the_last_and_finds_nothing_when_models_match(runner, tmp_path,
                                                                                         monkeypatch):
    copy = tmp_path / "migrations"
    shutil.copytree(migrations_folder(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    monkeypatch.setattr(migration_commands, "migrations_folder", lambda: copy)
    last = max(path.name for path in (copy / "versions").glob("*.py"))
    head = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_current_head()

    result = runner.invoke(args=["db", "revision", "-m", "Kiosk notes: add a column!"])

    assert result.exit_code == 0, result.output
    number = int(last[:4]) + 1
    written = copy / "versions" / f"{number:04d}_kiosk_notes_add_a_column.py"
    assert written.exists(), result.output
    text = written.read_text()
    assert f"down_revision = '{head}'" in text
    # The models and the migrations agree today, so autogenerate finds no operation to write.
    assert re.search(r"def upgrade\(\) -> None:\n(\s+#.*\n)*\s+pass\n", text)


def test_a_revision_needs_a_message(runner):
    result = runner.invoke(args=["db", "revision"])
    assert result.exit_code != 0
    assert "--message" in result.output
