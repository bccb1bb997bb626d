"""Fixtures for the directory importer tests: the seed's text (a copy kept beside the tests)."""
import re
from pathlib import Path

import pytest

from directory.importer import parse_seed

SEED = Path(__file__).parent / "data" / "000_cec8ad15de2c58c1.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed resolution N 120, exactly as shipped."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(seed_text):
    """The directory parsed from the seed."""
    return parse_seed(seed_text)


@pytest.fixture
def loaded(app, seed):
    """The app's database with the seed's directory loaded and committed."""
    from directory.loading import load_directory
    from kezek.extensions import db as kezek_db

    with app.app_context():
        load_directory(kezek_db.session, seed, app.config["CLOCK"]())
        kezek_db.session.commit()
    return app


TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form on `path`."""
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"{path} has a CSRF token"
    return match.group(1)


def sign_in(client, app, username: str, role: str) -> None:
    """Create a member of staff with `role` and sign them in on `client`."""
    from kezek.extensions import db as kezek_db
    from kezek.seeding import create_user

    with app.app_context():
        create_user(kezek_db.session, username, "pass-" + username, role, None)
        kezek_db.session.commit()
    answer = client.post("/login", data={"username": username, "password": "pass-" + username,
                                         "csrf_token": csrf_token(client, "/login")})
    assert answer.status_code == 302


@pytest.fixture
def admin(client, loaded):
    """A client signed in as an administrator, on an app with the directory loaded."""
    sign_in(client, loaded, "dana", "admin")
    return client


@pytest.fixture(scope="session")
def seed_entries(seed):
    """The seed's entries as the database stores them (plain objects, no database): regional, departments, akimats."""
    from types import SimpleNamespace

    from directory.loading import records, seed_issues, seed_lines, seed_values

    return [SimpleNamespace(kind=kind, district=item.district, review_reasons=list(item.review_reasons),
                            seed_issues=seed_issues(seed.report, f"{kind}:{item.district}"),
                            seed_lines=seed_lines(item), **seed_values(kind, item))
            for kind, item in records(seed)]
