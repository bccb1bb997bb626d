"""The application's setup: migrations match the models, the CLI prepares an installation, backups work."""
from __future__ import annotations

import re
import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from kezek import create_app, migrate
from kezek.models import Base
from kezek.services import services


def test_migrations_build_exactly_the_schema_of_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_cli_initialises_seeds_and_backs_up_an_installation(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}"})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["load-seed"]).exit_code == 0
    assert runner.invoke(args=["load-seed"]).exit_code == 0  # idempotent
    for weak in ("pw12345", "password1", "aigerim2026", "qwertyuiop"):  # short, common, her own name, a key row
        result = runner.invoke(args=["create-user", "aigerim", "--role", "clerk", "--office", "taraz"],
                               input=f"{weak}\n{weak}\n")
        assert result.exit_code != 0 and "Nothing was saved" in result.output, (weak, result.output)
    result = runner.invoke(args=["create-user", "aigerim", "--role", "clerk", "--office", "taraz"],
                           input="amber kettle glacier\namber kettle glacier\n")
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["create-user", "x", "--role", "clerk", "--office", "nowhere"], input="a\na\n").exit_code != 0
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    (copy,) = (tmp_path / "backups").glob("kezek-*.sqlite3")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("select count(*) from office where slug != 'demo'").fetchone() == (12,)
        assert connection.execute("select username, role from user").fetchall() == [("aigerim", "clerk")]
    services(app).engine.dispose()


def test_health_check_answers_ok(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_pages_load_nothing_from_another_host(client, kiosk):
    answer = kiosk.take("A")
    pages = ["/", "/kiosk/taraz", "/kiosk/taraz/service/social_assistance", answer.headers["Location"]]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r'(src|href)=["\'](https?:)?//', html), path


def test_start_page_links_every_offices_kiosk(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert html.count("/kiosk/") == 12  # 11 departments and the demo office; the regional one has no kiosk
