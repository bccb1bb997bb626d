"""Shared fixtures: a fresh app and database per test, the seed loaded, a controllable clock."""
from __future__ import annotations

import os
import re
import shutil
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from kezek import create_app
from kezek.extensions import db as kezek_db
from kezek.models import Base, Office, Ticket, VisitKind
from kezek.seeding import create_demo_office, load_offices, load_services
from kezek.services import services, start_serving
from tests.thread_server import ThreadServer

ALMATY = ZoneInfo("Asia/Almaty")


class Clock:
    """A settable clock the app reads instead of the real time."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def set_local(self, *args: int) -> datetime:
        """Set the time as a local (Asia/Almaty) date and time."""
        self.moment = datetime(*args, tzinfo=ALMATY).astimezone(timezone.utc)
        return self.moment


@pytest.fixture
def clock() -> Clock:
    # A Wednesday morning in Taraz, inside office hours.
    return Clock(datetime(2026, 11, 25, 10, 0, tzinfo=ALMATY).astimezone(timezone.utc))


# Set KEZEK_TEST_DATABASE_URL (a PostgreSQL server URL) to run the whole suite on PostgreSQL instead
# of a fresh SQLite file per test: each test worker gets its own database there, emptied per test.
TEST_DATABASE_URL = os.environ.get("KEZEK_TEST_DATABASE_URL", "")


def _seed(url: str) -> None:
    """Build the schema and load what every test starts from: the two services, the 11 offices and the
    regional department, the demo office."""
    from sqlalchemy.orm import Session

    from kezek.models import make_engine

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        load_services(session)
        load_offices(session)
        create_demo_office(session)
        session.commit()
    engine.dispose()  # the last connection closed, SQLite folds its write-ahead log into the file


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory):
    """A seeded SQLite file built once per test process, which each test's database is copied from
    (rebuilding and reseeding the 11 offices for every test took most of a short test's time)."""
    path = tmp_path_factory.mktemp("seeded") / "kezek.sqlite3"
    _seed(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def server_database():
    """A PostgreSQL database for this test process with the schema built once, or None on SQLite.

    PostgreSQL keeps emptying and reseeding per test: a database copied from a template
    (CREATE DATABASE ... TEMPLATE) took 2-5 s a test on the shared machine, longer than reseeding."""
    if not TEST_DATABASE_URL:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(TEST_DATABASE_URL).database or "kezek"
    # Named after the database in the URL, so suites pointed at different databases do not collide.
    name = f"{base}_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty(engine) -> None:
    from sqlalchemy import text

    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        # A background thread of an earlier test's app (print worker, phone refresh) may still hold
        # a transaction open on this database; TRUNCATE would wait for it forever.
        connection.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(autouse=True)
def quick_password_hashes(request, monkeypatch):
    """Passwords hashed in the test process take scrypt at n=1024 instead of Werkzeug's default 32768 (still
    scrypt, salted, checked through the parameters stored in the hash): at about 0.1-0.2 s a hash, the
    accounts the tests create and sign in with cost more than the rest of many tests. Server processes and
    tests marked `full_cost_passwords` hash at the default cost."""
    if request.node.get_closest_marker("full_cost_passwords"):
        return
    import werkzeug.security

    default = werkzeug.security._hash_internal

    def cheaper(method: str, salt: str, password: str):
        return default("scrypt:1024:8:1" if method == "scrypt" else method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", cheaper)


class BufferedClient(FlaskClient):
    """A test client that reads each answer whole and closes it, as a WSGI server does: a streamed export's
    context (and its database session) ends with the request, not when the garbage collector finds it."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def app_settings() -> dict:
    """Settings a test's folder gives its apps beside the usual ones (override the fixture in a conftest),
    read when the app is made and its threads start."""
    return {}


@pytest.fixture
def app(request, tmp_path, clock, seeded_database, server_database, app_settings):
    if server_database is None:
        shutil.copyfile(seeded_database, tmp_path / "kezek.sqlite3")
    marker = request.node.get_closest_marker("settings")  # @pytest.mark.settings(NAME=value): one test's own
    app = create_app({
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": server_database or f"sqlite:///{tmp_path / 'kezek.sqlite3'}",
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "PRINTER_URL": f"dummy://{tmp_path / 'prints'}",
        "CLOCK": clock,
        "REALTIME_SYNC": True,  # socket tests read what a change sent right after publishing it
        "ALERT_CHECK_SECONDS": 0,  # alerts checked by the tests that say when (tests/alerts)
        **app_settings,
        **(marker.kwargs if marker else {}),
    })
    app.test_client_class = BufferedClient
    if server_database:
        with app.app_context():
            _empty(kezek_db.engine)
            load_services(kezek_db.session)
            load_offices(kezek_db.session)
            create_demo_office(kezek_db.session)
            kezek_db.session.commit()
    start_serving(app)  # as the server does: the print worker, the publishers
    yield app
    services(app).stop()
    engine = services(app).engine
    # Every request, stream and worker gave its connection back: one left out would be rolled back by the
    # garbage collector at a random moment later (on PostgreSQL, after the next test terminated it).
    leaked = engine.pool.checkedout()
    engine.dispose()
    assert leaked == 0, f"{leaked} database connection(s) still checked out when the test ended"


@pytest.fixture
def db(app):
    """The app's session inside an app context."""
    with app.app_context():
        yield kezek_db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def kind_by_prefix(session, prefix: str) -> VisitKind:
    return session.scalar(select(VisitKind).where(VisitKind.prefix == prefix))


def office_by_slug(session, slug: str) -> Office:
    return session.scalar(select(Office).where(Office.slug == slug))


def all_tickets(session) -> list[Ticket]:
    return list(session.scalars(select(Ticket).order_by(Ticket.id)))


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class KioskActions:
    """What a visitor does at a kiosk, as HTTP requests (CSRF token included), at an enrolled kiosk."""

    def __init__(self, client, app):
        self.client = client
        self.app = app
        self.enrolled_as: tuple[str, str] | None = None

    def enrol(self, office: str = "taraz", kiosk: str = "main") -> None:
        """Make the client the office's enrolled kiosk `kiosk` (once; again when another kiosk is asked for)."""
        from tests.enrolment import enrol

        if self.enrolled_as != (office, kiosk):
            enrol(self.client, self.app, office, kiosk)
            self.enrolled_as = (office, kiosk)

    def _kiosk_named(self, office: str, name: str | None) -> str:
        """The kiosk to be: the one named when the office has it, else the one already enrolled, else `main`."""
        from kezek.models import Kiosk

        with self.app.app_context():
            known = name and kezek_db.session.scalar(
                select(Kiosk.id).join(Office, Kiosk.office_id == Office.id).where(Office.slug == office, Kiosk.slug == name))
        if known:
            return name
        return self.enrolled_as[1] if self.enrolled_as and self.enrolled_as[0] == office else "main"

    def token(self, office: str = "taraz", service: str = "social_assistance") -> str:
        if self.enrolled_as is None or self.enrolled_as[0] != office:
            self.enrol(office)
        page = self.client.get(f"/kiosk/{office}/service/{service}")
        match = CSRF.search(page.get_data(as_text=True))
        assert match, "the service page has a CSRF token"
        return match.group(1)

    def take(self, prefix: str, office: str = "taraz", lang: str = "kk", **extra):
        self.enrol(office, self._kiosk_named(office, extra.get("kiosk")))
        with self.app.app_context():
            kind = kind_by_prefix(kezek_db.session, prefix)
            kind_id, service = kind.id, kind.service.code
        data = {"visit_kind": kind_id, "lang": lang, "kiosk": "", "csrf_token": self.token(office, service)}
        data.update(extra)
        return self.client.post(f"/kiosk/{office}/tickets", data=data)


@pytest.fixture
def kiosk(client, app):
    return KioskActions(client, app)


@pytest.fixture
def kiosk_screen(client, kiosk):
    """The test client as the Taraz office's enrolled kiosk `main` (tests.enrolment)."""
    kiosk.enrol()
    return client


class AuthActions:
    """Signing staff in and out through the real sign-in form."""

    def __init__(self, client, app):
        self.client = client
        self.app = app

    def create(self, username: str, role: str, office_slug: str | None, password: str = "pass-1234"):
        from kezek.seeding import create_user

        with self.app.app_context():
            office = office_by_slug(kezek_db.session, office_slug) if office_slug else None
            create_user(kezek_db.session, username, password, role, office)
            kezek_db.session.commit()

    def login(self, username: str, password: str = "pass-1234"):
        page = self.client.get("/login").get_data(as_text=True)
        token = CSRF.search(page).group(1)
        return self.client.post("/login", data={"username": username, "password": password, "csrf_token": token})

    def token(self) -> str:
        """A CSRF token of the signed-in session (from the sign-in page's form)."""
        return CSRF.search(self.client.get("/login").get_data(as_text=True)).group(1)


@pytest.fixture
def auth(client, app):
    return AuthActions(client, app)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skips when either is missing."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("browser test: Debian's chromium is not installed at /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test: Playwright for Python is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


_DEMO_TEMPLATE: list = []
# Settings that change how a server serves, not what `kezek setup-demo` writes: a LiveServer given no other
# KEZEK_ setting (the suite's own KEZEK_TEST_ ones aside) starts from the shared demo copy.
SERVING_ONLY = ("KEZEK_INSTANCE_PATH", "KEZEK_SERVER", "KEZEK_TLS_CERT", "KEZEK_TLS_KEY", "KEZEK_KIOSK_TICKET_LIMIT",
                "KEZEK_KIOSK_ADDRESS_LIMIT", "KEZEK_OPEN_KIOSK_LIMIT")


def demo_template(kezek: str):
    """A folder `kezek setup-demo` prepared once per test process (migrated, seeded, demo office and
    accounts), which each LiveServer on SQLite copies: running setup-demo per server cost a Python start,
    every migration and the accounts' password hashes each time."""
    import atexit
    import subprocess
    import tempfile
    from pathlib import Path

    if not _DEMO_TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="kezek-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        env = {key: value for key, value in os.environ.items() if not key.startswith("KEZEK_")}
        subprocess.run([kezek, "setup-demo"], env=dict(env, KEZEK_INSTANCE_PATH=str(folder)), check=True,
                       capture_output=True)
        _DEMO_TEMPLATE.append(folder)
    return _DEMO_TEMPLATE[0]


class LiveServer:
    """A real Kezek server process on 127.0.0.1 with the demo installation prepared: `kezek serve`, or
    `command` (its "{port}" filled in)."""

    def __init__(self, folder, env: dict | None = None, command: list[str] | None = None):
        import os
        import socket
        import sys
        from pathlib import Path

        self.folder = folder
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, KEZEK_INSTANCE_PATH=str(folder), **(env or {}))
        self.kezek = str(Path(sys.executable).parent / "kezek")
        self.command = command or [self.kezek, "serve", "--port", "{port}"]
        self.process = None

    def prepare(self) -> "LiveServer":
        """The demo installation (`kezek setup-demo`): a copy of the one made once per test process
        (demo_template), or setup-demo itself when the server has its own database or settings."""
        import subprocess

        if any(key.startswith("KEZEK_") and not key.startswith("KEZEK_TEST_") and key not in SERVING_ONLY
               for key in self.env):
            subprocess.run([self.kezek, "setup-demo"], env=self.env, check=True, capture_output=True)
        else:
            shutil.copytree(demo_template(self.kezek), self.folder, dirs_exist_ok=True)
        self.keep_demo_open()
        return self

    @property
    def database_url(self) -> str:
        """The server's database."""
        from pathlib import Path

        return self.env.get("KEZEK_DATABASE_URL") or f"sqlite:///{Path(self.folder) / 'kezek.sqlite3'}"

    def enrol(self, kiosk: str = "main", office: str = "demo") -> str:
        """Enrol a kiosk of the running server (tests.enrolment); the `Cookie` value its browser sends.

        Enrolled once per kiosk and kept: enrolling it again would end the first credential.
        """
        from tests.enrolment import enrol_over_http

        devices = self.__dict__.setdefault("devices", {})
        if (office, kiosk) not in devices:
            devices[(office, kiosk)] = enrol_over_http(self.port, self.database_url, office, kiosk)
        return devices[(office, kiosk)]

    def keep_demo_open(self) -> None:
        """Give the demo office a zone where it is mid-morning now, so that its kiosk issues tickets
        whatever the hour of the run (at 23:30 in Almaty it would refuse them as too late today)."""
        from sqlalchemy import update

        from kezek.models import Office, make_engine
        from kezek.seeding import DEMO_SLUG, zone_at_hour

        engine = make_engine(self.database_url)
        with engine.begin() as connection:
            connection.execute(update(Office).where(Office.slug == DEMO_SLUG).values(timezone=zone_at_hour(10)))
        engine.dispose()

    def start(self, wait_seconds: float = 30) -> "LiveServer":
        import socket
        import subprocess
        import time

        log = open(self.folder / "server.log", "ab")
        self.process = subprocess.Popen([part.format(port=self.port) for part in self.command], env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                assert self.process.poll() is None, (self.folder / "server.log").read_text()
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def serve_in_thread():
    """`serve_in_thread(app)` serves the test's app in this process, in a thread, and gives its URL (stopped
    after the test): for browser tests that move the app's clock or read its database as they go."""
    servers: list[ThreadServer] = []

    def serve(app) -> str:
        servers.append(ThreadServer(app))
        return servers[-1].url

    yield serve
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(tmp_path):
    """A prepared and running demo server; stopped after the test."""
    folder = tmp_path / "live"
    folder.mkdir()
    server = LiveServer(folder).prepare().start()
    yield server
    server.stop()
