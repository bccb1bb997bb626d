"""Management commands: initialise and seed the database, create users, back up, run the demo."""
from __future__ import annotations

import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy.engine import make_url

from kezek.clock import app_now
from directory.loading import load_packaged as load_packaged_directory
from kezek import migrate, webserver
from kezek.extensions import db
from kezek.models import ROLES, Office, utcnow
from kezek.services import start_serving, stop_serving
from kezek.security import plain_http_warning
from kezek.public_address import remember_served_address
from kezek.settings import DEMO_MARKER
from kezek.serving import settle_for_serving
from kezek.seeding import DEMO_SLUG, create_demo_office, create_user, load_offices, load_services

DEMO_WEEKS = 8  # weeks of demo history `kezek demo` makes on its first start

DEMO_USERS = (("admin", "admin", None), ("manager", "manager", DEMO_SLUG), ("clerk", "clerk", DEMO_SLUG))


def password_refusal(password: str, username: str) -> str | None:
    """Why the administration pages would refuse `password` for `username` (in English), or None: the command
    line keeps the same rules as the staff page, so an account made at the server is no easier to guess."""
    from flask_babel import force_locale

    from kezek.admin.rules import Refused
    from kezek.admin.users import MIN_PASSWORD, check_password
    from kezek.admin.view_helpers import password_weakness

    try:
        check_password(password, username)
    except Refused as refused:
        with force_locale("en"):
            if refused.reason == "password_short":
                return f"The password needs at least {MIN_PASSWORD} characters."
            return password_weakness(refused.params.get("why"))
    return None


def init_database() -> None:
    """Run the migrations on the configured database (and on an office node, its outbox triggers again)."""
    from kezek.nodes.outbox import install_if_node

    migrate.upgrade(current_app.config["DATABASE_URL"])
    with db.engine.begin() as connection:  # a migration that rebuilt a table dropped its triggers
        install_if_node(connection)


def load_seed() -> None:
    """Load the seed's services and offices, then commit."""
    session = db.session
    load_services(session)
    load_offices(session)
    load_packaged_directory(session, utcnow())
    session.commit()


def prepare_demo() -> list[tuple[str, str, str]]:
    """Create the demo office and its accounts; returns (username, password, role) for each."""
    session = db.session
    office = create_demo_office(session)
    office.open_web_kiosk = True  # also in a demo made before devices were enrolled
    accounts = []
    for username, role, office_slug in DEMO_USERS:
        create_user(session, username, username, role, office if office_slug else None)
        accounts.append((username, username, role))
    session.commit()
    (Path(current_app.instance_path) / DEMO_MARKER).write_text("Created by the demo setup: demo accounts exist.\n")
    current_app.config["DEMO"] = True
    return accounts


def prepare_demo_history(weeks: int) -> None:
    """Give the demo office `weeks` weeks of past working days through the queue rules (once), telling progress."""
    from sqlalchemy import select

    from kezek.demo_history import has_history, make_history
    from kezek.models import User

    office = db.session.scalar(select(Office).where(Office.slug == DEMO_SLUG))
    if weeks <= 0 or has_history(db.session, office):
        return
    click.echo(f"Making {weeks} weeks of demo history for the demo office (once)...")
    manager = db.session.scalar(select(User).where(User.username == "manager"))
    summary = make_history(db.session, office, app_now(), manager, weeks=weeks, today_so_far=True,
                           progress=lambda day: click.echo(f"  {day.isoformat()}", nl=False))
    click.echo(f"\nDemo history: {summary.tickets} tickets on {summary.days} working days.")


def addresses(base: str) -> list[tuple[str, str]]:
    """The pages to open on a demo installation."""
    return [
        ("Start page", f"{base}/"),
        ("Demo kiosk (touch screen)", f"{base}/kiosk/{DEMO_SLUG}"),
        ("Demo display board (TV)", f"{base}/display/{DEMO_SLUG}"),
        ("Clerk console (sign in: clerk)", f"{base}/console/"),
        ("Manager reports (sign in: manager)", f"{base}/reports/"),
        ("Administration (sign in: admin)", f"{base}/admin/"),
        ("Directory of offices", f"{base}/directory/"),
        ("Device health (sign in: manager)", f"{base}/devices/"),
    ]


def demo_enrolment_links(base: str) -> list[tuple[str, str]]:
    """One-time links that enrol the browser opening them as the demo kiosk, board or feedback tablet."""
    from sqlalchemy import select

    from kezek.devices.registry import kiosk_device, new_enrolment
    from kezek.models import Device, Kiosk

    session = db.session
    office = create_demo_office(session)
    now = utcnow()
    kiosk = session.scalar(select(Kiosk).where(Kiosk.office_id == office.id, Kiosk.slug == "main"))
    devices = [("Enrol as the demo kiosk", kiosk_device(session, kiosk, now))]
    for kind, label in (("board", "Enrol as the demo board"), ("tablet", "Enrol as the tablet of cabinet 101")):
        device = session.scalars(select(Device).where(Device.office_id == office.id, Device.kind == kind)
                                 .order_by(Device.id)).first()
        if device is not None:
            devices.append((label, device))
    links = [(label, f"{base}/devices/enrol/{new_enrolment(session, None, device, now)}") for label, device in devices]
    session.commit()
    return links


def sqlite_backup(url: str, folder: Path) -> Path:
    """Copy a live SQLite database consistently into `folder`; returns the copy's path."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise click.ClickException("backup works on the embedded SQLite database; use pg_dump for PostgreSQL")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"kezek-{datetime.now().strftime('%Y%m%d-%H%M%S')}.sqlite3"
    with sqlite3.connect(parsed.database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def serve(app: Flask, host: str, port: int, server: str = "auto", certfile: str | None = None,
          keyfile: str | None = None) -> None:
    """Serve `app` with Socket.IO (gunicorn's threaded worker; waitress on Windows) until stopped; over
    TLS with a certificate and key."""
    try:
        chosen = webserver.choose(server)
    except webserver.ServerUnavailable as refusal:
        raise click.ClickException(str(refusal)) from None
    if certfile and chosen != "gunicorn":
        raise click.ClickException(f"{chosen} serves no TLS: put a proxy with the certificate in front of it")
    warning = plain_http_warning(host, tls=bool(certfile))
    if warning:
        app.logger.warning(warning)
    remember_served_address(app, host, port)  # the QR code's address when KEZEK_PUBLIC_URL is not set
    shown = f"[{host}]" if ":" in host else host
    scheme = "https" if certfile else "http"
    click.echo(f"Serving on {scheme}://{shown}:{port} ({chosen}); stop with Ctrl+C.")
    sys.stdout.flush()  # before the server's own output, and into a service's log at once

    def on_start() -> None:
        from kezek.nodes.service import start_sender

        # the print worker (unprinted tickets print now, before anyone comes), the publishers, and the
        # alert checker (alerts are checked and e-mailed with no live floor open)
        start_serving(app)
        start_sender(app)  # an office node ships what it did while the centre was away
        settle_for_serving()

    def on_stop() -> None:
        from kezek.nodes.service import stop_sender

        stop_sender(app, seconds=5)  # after the batch in flight; the rest ships at the next start
        stop_serving(app)  # the ticket being printed finishes, the screens get what was queued

    webserver.run(app, host, port, on_start, chosen, certfile=certfile, keyfile=keyfile, on_stop=on_stop)


SERVER_OPTION = click.option(
    "--server", type=click.Choice(webserver.SERVERS), default="auto", envvar="KEZEK_SERVER", show_default=True,
    help="gunicorn (threads, WebSocket); waitress where gunicorn cannot run (Windows: long-polling)")


def init_app(app: Flask) -> None:
    """Register the commands on `app.cli`."""
    from kezek import alerts_commands, migration_commands, printing_commands
    from kezek.devices import commands as device_commands
    from kezek.nodes import commands as node_commands

    alerts_commands.init_app(app)
    printing_commands.init_app(app)
    device_commands.init_app(app)
    node_commands.init_app(app)
    migration_commands.init_app(app)

    @app.cli.command("init-db")
    def init_db_command():
        """Create or upgrade the database schema."""
        init_database()
        click.echo("Database is up to date.")

    @app.cli.command("load-seed")
    def load_seed_command():
        """Load the 11 district departments, the regional department and the two services."""
        load_seed()
        click.echo("Offices and services loaded.")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), required=True)
    @click.option("--office", "office_slug", default=None, help="office slug; none for regional staff")
    @click.password_option()
    def create_user_command(username, role, office_slug, password):
        """Create a staff account, or reset its password."""
        office = None
        if office_slug:
            office = db.session.query(Office).filter_by(slug=office_slug).one_or_none()
            if office is None:
                raise click.ClickException(f"no office {office_slug!r}")
        refusal = password_refusal(password, username)
        if refusal:
            raise click.ClickException(f"{refusal} Nothing was saved.")
        create_user(db.session, username, password, role, office)
        db.session.commit()
        click.echo(f"User {username} ({role}) saved.")

    @app.cli.command("backup")
    @click.argument("folder", default=None, required=False, type=click.Path(path_type=Path))
    def backup_command(folder):
        """Back up the embedded SQLite database into FOLDER (default <instance>/backups)."""
        target = sqlite_backup(app.config["DATABASE_URL"], folder or Path(app.instance_path) / "backups")
        click.echo(f"Backed up to {target}")

    @app.cli.command("copy-to-postgres")
    @click.argument("target_url")
    def copy_to_postgres_command(target_url):
        """Copy this (SQLite) installation into the PostgreSQL database at TARGET_URL, then check counts."""
        from kezek.models import make_engine
        from kezek.copy_to_postgres import copy_database

        migrate.upgrade(target_url)
        target = make_engine(target_url)
        try:
            copies = copy_database(db.engine, target)
        except ValueError as refusal:
            raise click.ClickException(str(refusal)) from refusal
        finally:
            target.dispose()
        for copy in copies:
            click.echo(f"{copy.table:24} {copy.source_rows:>10} -> {copy.target_rows:>10}")
        if any(copy.source_rows != copy.target_rows for copy in copies):
            raise click.ClickException("row counts differ: do not switch over")
        click.echo("All rows copied. Point KEZEK_DATABASE_URL at the new database and restart.")

    @app.cli.command("setup-demo")
    @click.option("--history-weeks", default=0, type=click.IntRange(0, 52), help="weeks of made-up past (default none)")
    def setup_demo_command(history_weeks):
        """Prepare the demo installation (database, offices, demo office and accounts) without serving."""
        init_database()
        load_seed()
        prepare_demo()
        prepare_demo_history(history_weeks)
        click.echo("Demo office and accounts ready.")

    @app.cli.command("demo")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=5000, type=int)
    # Eight weeks by default, the trend's and the staffing plan's span: about 3,200 past tickets through the
    # queue rules, about 10 s for the whole first start on a 2-core machine (docs/benchmarks.md, "Demo history").
    @click.option("--history-weeks", default=DEMO_WEEKS, type=click.IntRange(0, 52),
                  help=f"weeks of made-up past for the demo office, made once (default {DEMO_WEEKS}; 0: none)")
    @SERVER_OPTION
    def demo_command(host, port, server, history_weeks):
        """Set up the demo installation and serve it."""
        init_database()
        load_seed()
        accounts = prepare_demo()
        prepare_demo_history(history_weeks)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        click.echo("\nKezek is running (demo). Open:")
        for label, url in addresses(f"http://{shown}:{port}"):
            click.echo(f"  {label:36} {url}")
        click.echo("The demo kiosk issues tickets in any browser (the demo office keeps an open web kiosk).\n"
                   "To try enrolled devices and the device health page, open one of these links once in the\n"
                   "browser that is to become the device (each works once, for 24 hours):")
        for label, url in demo_enrolment_links(f"http://{shown}:{port}"):
            click.echo(f"  {label:36} {url}")
        click.echo("Demo accounts (username / password): " + ", ".join(f"{u} / {p} ({r})" for u, p, r in accounts))
        click.echo("Printed tickets are saved in " + app.config["PRINTER_URL"].removeprefix("dummy://") + "\n")
        serve(app, host, port, server)

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=5000, type=int)
    @SERVER_OPTION
    @click.option("--certfile", envvar="KEZEK_TLS_CERT", type=click.Path(exists=True, dir_okay=False),
                  help="TLS certificate (PEM) to serve HTTPS; also KEZEK_TLS_CERT")
    @click.option("--keyfile", envvar="KEZEK_TLS_KEY", type=click.Path(exists=True, dir_okay=False),
                  help="its private key (PEM); also KEZEK_TLS_KEY")
    def serve_command(host, port, server, certfile, keyfile):
        """Serve the application in one process (the embedded installation)."""
        if bool(certfile) != bool(keyfile):
            raise click.ClickException("give both --certfile and --keyfile (or neither)")
        serve(app, host, port, server, certfile, keyfile)
