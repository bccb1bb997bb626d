"""Running Alembic migrations from code, for the CLI and the tests."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from kezek.resources import migrations_folder

MIGRATIONS = migrations_folder()


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def revision(url: str, message: str, rev_id: str | None = None) -> list[str]:
    """Write a new migration comparing the models with the database at `url`; returns its file(s)."""
    config = alembic_config(url)
    config.set_main_option("file_template", "%%(rev)s")  # 0006_what_it_does.py, as the others
    written = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    scripts = written if isinstance(written, list) else [written]
    return [script.path for script in scripts if script is not None]
