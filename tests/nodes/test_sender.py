"""The node's sender: ships until nothing waits, keeps what the centre could not take, and stops when revoked."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import CentreLink, Node, OutboxEntry
from kezek.nodes import outbox
from kezek.nodes.registry import revoke
from kezek.nodes.sender import LinkDown, Sender
from kezek.services import services
from tests.nodes.conftest import count_rows, serve_a_morning


def _link(node_app) -> CentreLink:
    with node_app.app_context():
        return kezek_db.session.get(CentreLink, 1)


def test_the_sender_keeps_everything_while_the_link_is_down_and_ships_it_all_when_it_is_back(
        node_app, app, db, clock, sender):
    ship, link = sender
    serve_a_morning(node_app, clock)
    link.down = True
    with pytest.raises(LinkDown):
        ship.ship_once()
    state = _link(node_app)
    assert "cannot be reached" in state.last_error and state.acked_seq == 0
    link.down = False
    stop = threading.Event()
    runner = threading.Thread(target=ship.run, args=(stop, 0.05))
    runner.start()
    try:
        with node_app.app_context():
            waiting = lambda: outbox.backlog(kezek_db.session, _link(node_app).acked_seq)  # noqa: E731
            for _ in range(200):
                if waiting() == 0:
                    break
                stop.wait(0.05)
            assert waiting() == 0
    finally:
        stop.set()
        runner.join(10)
    assert link.posts > 1  # in several batches
    db.expire_all()
    with node_app.app_context():
        assert count_rows(db) == count_rows(kezek_db.session)
    assert _link(node_app).last_error == ""


def test_a_node_told_it_is_revoked_stops_shipping_and_says_so(node_app, app, db, clock, sender):
    ship, link = sender
    serve_a_morning(node_app, clock, visitors=1)
    revoke(db, None, db.scalar(select(Node)), clock())
    db.commit()
    assert ship.ship_once() == "revoked"
    state = _link(node_app)
    assert state.revoked_at is not None and "revoked" in state.last_error
    posts = link.posts
    assert ship.run(threading.Event()) == "revoked" and link.posts == posts  # nothing more is sent
    assert count_rows(db)["ticket"] == 0


def test_a_node_joining_again_numbers_its_changes_after_what_the_centre_has(node_app, clock):
    """A replaced PC restores an older backup: its new changes must not reuse numbers the centre applied."""
    with node_app.app_context():
        session = kezek_db.session
        outbox.continue_after(session.connection(), 50)
        session.commit()
    serve_a_morning(node_app, clock, visitors=1)
    with node_app.app_context():
        assert min(kezek_db.session.scalars(select(OutboxEntry.seq))) == 51


def test_triggers_a_migration_dropped_are_back_before_the_next_change_is_lost(node_app, app, clock, sender):
    """A migration that rebuilds the ticket table drops its triggers: `init-db` and the sender put them back
    (a plain embedded installation, not a node, gets none)."""
    ship, _ = sender
    expected = len(outbox.trigger_statements())
    with node_app.app_context():
        connection = kezek_db.session.connection()
        connection.exec_driver_sql("DROP TRIGGER kezek_outbox_ticket_insert")
        kezek_db.session.commit()
        assert outbox.installed(kezek_db.session.connection()) == expected - 1
        kezek_db.session.rollback()
    with node_app.app_context():  # what `kezek init-db` does after the migrations
        with kezek_db.engine.begin() as connection:
            assert outbox.install_if_node(connection)
        assert outbox.installed(kezek_db.session.connection()) == expected
        kezek_db.session.connection().exec_driver_sql("DROP TRIGGER kezek_outbox_ticket_update")
        kezek_db.session.commit()
    assert ship.ship_once() == "idle"
    with node_app.app_context():
        assert outbox.installed(kezek_db.session.connection()) == expected


def test_an_installation_that_is_not_a_node_gets_no_outbox(app, db):
    with app.app_context():
        with kezek_db.engine.begin() as connection:
            assert not outbox.install_if_node(connection)


def test_kezek_serve_on_a_node_ships_on_a_thread_of_its_own(node_app, clock):
    """The node's server starts its sender (here the centre cannot be reached: it keeps trying and says why)."""
    from kezek.nodes.service import start_sender, stop_sender

    with node_app.app_context():
        link = kezek_db.session.get(CentreLink, 1)
        link.centre_url = "http://127.0.0.1:9"  # nothing listens there
        kezek_db.session.commit()
    serve_a_morning(node_app, clock, visitors=1)
    try:
        assert start_sender(node_app) and start_sender(node_app)  # once, however often asked
        for _ in range(100):
            if "cannot be reached" in _link(node_app).last_error:
                break
            threading.Event().wait(0.05)
        assert "cannot be reached" in _link(node_app).last_error
    finally:
        stop_sender(node_app)
    assert services(node_app).node_sender is None


def test_an_installation_that_is_not_a_node_starts_no_sender(app):
    from kezek.nodes.service import start_sender

    assert not start_sender(app)
