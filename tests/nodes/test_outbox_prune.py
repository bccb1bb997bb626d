"""Outbox pruning at a node: changes the centre acknowledged and older than the days kept are deleted; a change it
has not acknowledged never is, and the next change still follows the centre's number."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from kezek.extensions import db as kezek_db
from kezek.models import CentreLink, Node, OutboxEntry, utcnow
from tests.nodes.conftest import serve_a_morning


def _entries(node_app) -> list[int]:
    with node_app.app_context():
        return list(kezek_db.session.scalars(select(OutboxEntry.seq).order_by(OutboxEntry.seq)))


def _age_all(node_app, days: int) -> None:
    """Make every outbox entry `days` old (as if the office had served that long ago)."""
    with node_app.app_context():
        kezek_db.session.execute(update(OutboxEntry).values(created_at=utcnow() - timedelta(days=days)))
        kezek_db.session.commit()


def test_only_acknowledged_old_changes_are_pruned_and_numbering_goes_on(node_app, db, clock, sender):
    ship, _link = sender
    serve_a_morning(node_app, clock)
    with node_app.app_context():
        newest = kezek_db.session.scalar(select(func.max(OutboxEntry.created_at)))
        assert newest is not None and utcnow() - newest < timedelta(hours=1)  # the trigger notes when
    every = _entries(node_app)
    assert ship.ship_once() == "sent"  # one batch of 5 acknowledged; the rest still waits
    _age_all(node_app, 40)
    assert ship.prune(30) == 5
    assert _entries(node_app) == every[5:]  # the unacknowledged ones stay, however old
    while ship.ship_once() == "sent":
        pass
    assert ship.prune(30) == len(every) - 5
    serve_a_morning(node_app, clock, visitors=1)  # new changes: numbered after everything shipped before
    fresh = _entries(node_app)
    assert fresh and fresh[0] > every[-1]
    assert ship.prune(30) == 0  # acknowledged or not, they are too young
    while ship.ship_once() == "sent":
        pass
    node = db.scalar(select(Node))
    db.refresh(node)
    assert node.acked_seq == fresh[-1]  # the centre took them as new, none skipped as a copy


def test_the_prune_command_deletes_acknowledged_old_changes_and_says_what_still_waits(node_app, clock, sender):
    ship, _link = sender
    serve_a_morning(node_app, clock)
    assert ship.ship_once() == "sent"
    _age_all(node_app, 10)
    waiting = len(_entries(node_app)) - 5
    with node_app.app_context():  # the centre's context is open too (the sender's fixture)
        result = node_app.test_cli_runner().invoke(args=["node", "prune", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("5 acknowledged changes deleted") and f"{waiting} still waiting" in result.output
    with node_app.app_context():
        assert kezek_db.session.get(CentreLink, 1).acked_seq == 5
    assert len(_entries(node_app)) == waiting
