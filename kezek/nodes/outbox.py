"""A node's outbox (no Flask): database triggers append every change to `outbox_entry` in the change's own
transaction, and batches are read from it in order.

Triggers rather than calls in the queue rules: they catch every way a row is written (the ORM, a
plain INSERT ... RETURNING, a bulk rebuild) with no rule knowing about nodes, and they commit or roll
back with the change itself. They exist only on an enrolled node's SQLite database (`install`), and
are installed again after every migration and before every shipment, because a migration that
rebuilds a table drops its triggers.

Entries stay after the centre acknowledged them (a node killed before it stored the acknowledgement
sends them again); `prune` deletes acknowledged ones older than some days (the sender, once an hour
while idle, or `kezek node prune`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, or_, select, text
from sqlalchemy.orm import Session

from kezek.models import CentreLink, OutboxEntry
from kezek.nodes.rows import SPECS, Names, read_row

_KEY = {
    "ticket": "NEW.uid",
    "ticket_event": "NEW.uid",
    "audit_entry": "NEW.uid",
    "wait_record": "(SELECT uid FROM ticket WHERE id = NEW.ticket_id)",
    "feedback_answer": "(SELECT uid FROM ticket WHERE id = NEW.ticket_id)",
}
# The event log and the audit log only grow; the others change in place (a ticket is called, finished...).
_ON = {
    "ticket": ("INSERT", "UPDATE"),
    "ticket_event": ("INSERT",),
    "audit_entry": ("INSERT",),
    "wait_record": ("INSERT", "UPDATE"),
    "feedback_answer": ("INSERT", "UPDATE"),
}


def trigger_statements() -> list[str]:
    """The CREATE TRIGGER statements of the outbox (SQLite)."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS kezek_outbox_{table}_{event.lower()} AFTER {event} ON {table} "
        f"BEGIN INSERT INTO outbox_entry (table_name, row_key, created_at) "
        f"VALUES ('{table}', {_KEY[table]}, datetime('now')); END"
        for table in SPECS
        for event in _ON[table]
    ]


def install(connection: Connection) -> None:
    """Create the outbox triggers where they are missing (an office node runs SQLite)."""
    if connection.dialect.name != "sqlite":
        raise ValueError("an office node runs the embedded installation (SQLite)")
    for statement in trigger_statements():
        connection.exec_driver_sql(statement)


def installed(connection: Connection) -> int:
    """How many outbox triggers the database has."""
    return (
        connection.scalar(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kezek_outbox_%'")
        )
        or 0
    )


def install_if_node(connection: Connection) -> bool:
    """Install the triggers again when this database is an enrolled node's (after a migration); whether it is."""
    if connection.dialect.name != "sqlite" or connection.scalar(select(func.count()).select_from(CentreLink)) == 0:
        return False
    install(connection)
    return True


def continue_after(connection: Connection, seq: int) -> None:
    """Number the next outbox entries after `seq` at least: a node joining again (a new PC with a restored
    backup) must not reuse numbers the centre already applied, or their rows would be skipped as copies."""
    connection.execute(
        text("UPDATE sqlite_sequence SET seq = :seq WHERE name = 'outbox_entry' AND seq < :seq"), {"seq": seq}
    )
    connection.execute(
        text(
            "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_entry', :seq WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = 'outbox_entry')"
        ),
        {"seq": seq},
    )


def queue_history(session: Session) -> int:
    """Put every row already in the database in the outbox, parents first; returns how many (the caller commits)."""
    count = 0
    for table, spec in SPECS.items():
        key = "ticket.uid" if spec.keyed_by_ticket else f"{table}.uid"
        join = f"JOIN ticket ON ticket.id = {table}.ticket_id" if spec.keyed_by_ticket else ""
        order = f"{table}.ticket_id" if spec.keyed_by_ticket else f"{table}.id"
        done = session.execute(
            text(
                f"INSERT INTO outbox_entry (table_name, row_key) SELECT '{table}', {key} FROM {table} {join} "
                f"ORDER BY {order}"
            )
        )
        count += getattr(done, "rowcount", 0) or 0
    return count


def prune(session: Session, acked: int, before: datetime) -> int:
    """Delete the entries the centre acknowledged (at or below `acked`) that were appended before `before`; how many.

    Never an entry the centre has not acknowledged. An entry from before its time was recorded counts as
    old. Numbers are never reused (AUTOINCREMENT), so the next change still follows the centre's number.
    The caller commits.
    """
    done = session.execute(
        delete(OutboxEntry).where(
            OutboxEntry.seq <= acked, or_(OutboxEntry.created_at.is_(None), OutboxEntry.created_at < before)
        )
    )
    return getattr(done, "rowcount", 0) or 0


def pending(session: Session, after: int, limit: int) -> list[OutboxEntry]:
    """The next `limit` outbox entries after sequence number `after`, in order."""
    return list(
        session.scalars(select(OutboxEntry).where(OutboxEntry.seq > after).order_by(OutboxEntry.seq).limit(limit))
    )


def backlog(session: Session, after: int) -> int:
    """How many entries wait to be shipped after `after`."""
    return session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.seq > after)) or 0


def batch(session: Session, office_id: int, after: int, limit: int) -> dict:
    """The next batch to ship: each entry with its row as it is now (a later change of it travels again).

    A row named by several entries of the batch (a ticket issued, called, served and finished) is read
    once: every entry carries it as it is now, and the centre writes it once per batch.
    """
    names = Names(session, office_id)
    rows: dict[tuple[str, str], dict | None] = {}
    entries = []
    for entry in pending(session, after, limit):
        where = (entry.table_name, entry.row_key)
        if where not in rows:
            rows[where] = read_row(session, names, entry.table_name, entry.row_key)
        entries.append({"seq": entry.seq, "table": entry.table_name, "key": entry.row_key, "row": rows[where]})
    head = session.scalar(select(func.max(OutboxEntry.seq))) or 0
    return {"after": after, "entries": entries, "head": head}
