"""The `node` commands: at the centre, register, enrol and revoke office nodes; on a node, join a centre and ship."""
from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from kezek.clock import app_now
from kezek.extensions import db
from kezek.models import CentreLink, Node, Office, utcnow
from kezek.nodes import outbox
from kezek.nodes.registry import NodeRefused, add_node, new_enrolment, revoke
from kezek.nodes.sender import ENROL_PATH, KEEP_DAYS, MAX_DELAY, LinkDown, Sender, post_json
from kezek.services import services

group = AppGroup("node", help="Office nodes: enrol them at the centre; on a node, join the centre and ship to it.")


def _node(name: str) -> Node:
    node = db.session.scalar(select(Node).where(Node.name == name))
    if node is None:
        raise click.ClickException(f"no node named {name!r} (kezek node list)")
    return node


@group.command("add")
@click.argument("office_slug")
@click.argument("name")
def add_command(office_slug, name):
    """Centre: register node NAME for OFFICE and print its one-time enrolment code."""
    office = db.session.scalar(select(Office).where(Office.slug == office_slug))
    if office is None:
        raise click.ClickException(f"no office {office_slug!r}")
    try:
        node = add_node(db.session, None, office, name, utcnow())
    except NodeRefused as refusal:
        raise click.ClickException(str(refusal)) from refusal
    code = new_enrolment(db.session, None, node, utcnow())
    db.session.commit()
    click.echo(code)
    click.echo("On the office's node, within 24 hours: kezek node join <centre address> <this code>", err=True)


@group.command("code")
@click.argument("name")
def code_command(name):
    """Centre: a new one-time enrolment code for node NAME (to replace its machine, or after a revocation)."""
    code = new_enrolment(db.session, None, _node(name), utcnow())
    db.session.commit()
    click.echo(code)


@group.command("revoke")
@click.argument("name")
def revoke_command(name):
    """Centre: take node NAME's credential away; it stops shipping and says so. What it shipped stays."""
    revoke(db.session, None, _node(name), utcnow())
    db.session.commit()
    click.echo(f"node {name} revoked")


@group.command("list")
def list_command():
    """Centre: every node, its office, whether enrolled, and what it last shipped."""
    for node in db.session.scalars(select(Node).order_by(Node.name)):
        state = "revoked" if node.revoked_at else ("enrolled" if node.credential_hash else "waiting for enrolment")
        synced = f"{node.last_sync_at:%Y-%m-%d %H:%M} UTC" if node.last_sync_at else "never"
        click.echo(f"{node.name}\t{node.office.slug}\t{state}\tapplied up to {node.acked_seq}\tlast batch {synced}")


@group.command("join")
@click.argument("centre_url")
@click.argument("code")
@click.option("--with-history", is_flag=True, help="also ship every ticket, event and audit entry already here")
@click.option("--ca-file", default=None, help="certificate authority of the centre's HTTPS certificate")
def join_command(centre_url, code, with_history, ca_file):
    """Node: enrol this installation with the centre at CENTRE_URL using its one-time CODE."""
    if db.engine.dialect.name != "sqlite":
        raise click.ClickException("an office node is an embedded installation (SQLite)")
    try:
        answer = post_json(centre_url.rstrip("/") + ENROL_PATH, {"code": code}, ca_file=ca_file)
    except LinkDown as error:
        raise click.ClickException(f"the centre cannot be reached: {error}") from error
    if answer.status != 200:
        raise click.ClickException(f"the centre refused: {answer.body.get('message') or answer.status}")
    session = db.session
    link = session.get(CentreLink, 1) or CentreLink(id=1)
    link.centre_url, link.node_id, link.office_slug = centre_url.rstrip("/"), answer.body["node"], answer.body["office"]
    link.credential, link.enrolled_at, link.revoked_at, link.last_error = answer.body["credential"], utcnow(), None, ""
    # The centre's number for this node: what it has is not sent again, and new entries come after it.
    link.acked_seq = int(answer.body.get("acked") or 0)
    session.add(link)
    outbox.install(session.connection())
    outbox.continue_after(session.connection(), link.acked_seq)
    queued = outbox.queue_history(session) if with_history else 0
    session.commit()
    click.echo(f"this installation is node {answer.body['name']} of office {link.office_slug}"
               + (f"; {queued} existing rows queued" if with_history else ""))


@group.command("sync")
@click.option("--once", is_flag=True, help="ship what is waiting now and stop")
@click.option("--ca-file", default=None, help="certificate authority of the centre's HTTPS certificate")
@click.option("--retry-max", default=MAX_DELAY, type=click.FloatRange(1, 3600), show_default=True,
              help="longest wait in seconds between tries while the centre cannot be reached")
def sync_command(once, ca_file, retry_max):
    """Node: ship the outbox to the centre, retrying with backoff while the link is down (until stopped)."""
    app = current_app._get_current_object()
    sender = Sender(services(app).sessions, lambda: app_now(app), ca_file=ca_file,
                    max_delay=retry_max, write_lock=services(app).write_lock)
    if once:
        try:
            while (state := sender.ship_once()) == "sent":
                pass
        except LinkDown as error:
            raise click.ClickException(str(error)) from error
        if state == "revoked":
            raise click.ClickException("this node was revoked at the centre: it ships nothing until enrolled again")
        click.echo(state)
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        state = sender.run(stop)
    except KeyboardInterrupt:
        state = "stopped"
    if state == "revoked":
        raise click.ClickException("this node was revoked at the centre: it ships nothing until enrolled again")
    click.echo(state)


@group.command("prune")
@click.option("--days", default=KEEP_DAYS, type=click.FloatRange(0, 3650), show_default=True,
              help="keep acknowledged changes younger than this many days")
def prune_command(days):
    """Node: delete outbox entries the centre acknowledged that are older than DAYS (never one it has not)."""
    link = db.session.get(CentreLink, 1)
    if link is None:
        raise click.ClickException("not a node (kezek node join)")
    app = current_app._get_current_object()
    found = services(app)
    sender = Sender(found.sessions, lambda: app_now(app), write_lock=found.write_lock)
    click.echo(f"{sender.prune(days)} acknowledged changes deleted; {outbox.backlog(db.session, link.acked_seq)} "
               "still waiting for the centre")


@group.command("status")
def status_command():
    """Node: the centre, what it acknowledged, what waits to be shipped, the last error."""
    link = db.session.get(CentreLink, 1)
    if link is None:
        click.echo("not a node (kezek node join)")
        return
    waiting = outbox.backlog(db.session, link.acked_seq)
    click.echo(f"centre {link.centre_url}, node {link.node_id} of office {link.office_slug}")
    click.echo(f"acknowledged up to {link.acked_seq}; {waiting} changes waiting")
    taken = f"version {link.down_version[:12]}" if link.down_version else "none yet"
    click.echo(f"the office's data from the centre (settings, services, directory, staff): {taken}")
    if link.revoked_at:
        click.echo(f"REVOKED at the centre ({link.revoked_at:%Y-%m-%d %H:%M} UTC): nothing is shipped")
    if link.last_error:
        click.echo(f"last error: {link.last_error}")


def init_app(app: Flask) -> None:
    """Register the node commands on `app.cli`."""
    app.cli.add_command(group)
