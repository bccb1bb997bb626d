"""Applying a node's batch at the centre (no Flask): in one transaction, in order, each row exactly once.

A batch says which sequence number it follows (`after`) and lists entries with rising sequence
numbers. Entries at or below what the centre already acknowledged are copies and are skipped; a
batch that follows a number the centre has not reached is refused (something in between is missing,
and the node sends again from the centre's number). A ticket, wait record or feedback answer is
written as the node has it now (insert or replace, by its key); an event or audit entry, which never
changes, is inserted once; a row that comes again unchanged in the same batch is written once. The
caller commits, so a batch cut short leaves nothing behind.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from kezek.audit import record
from kezek.models import Cabinet, Kiosk, Node, Office, Service, Ticket, User, VisitKind
from kezek.nodes.registry import NodeRefused
from kezek.nodes.rows import CABINET, KIND, KIOSK, OFFICE, SERVICE, SPECS, TICKET, USER, decode
from kezek.queue.wait_record import invalidate_months

BATCH_MAX = 2000


class Lookup:
    """Shared names to the centre's ids, for one node's office, read once per batch."""

    def __init__(self, session: Session, office: Office):
        self.session, self.office = session, office
        self.by_kind: dict[str, dict[Any, Any]] = {
            OFFICE: dict(session.execute(select(Office.slug, Office.id)).all()),
            KIND: dict(session.execute(select(VisitKind.prefix, VisitKind.id)).all()),
            SERVICE: dict(session.execute(select(Service.code, Service.id)).all()),
            CABINET: dict(
                session.execute(select(Cabinet.number, Cabinet.id).where(Cabinet.office_id == office.id)).all()
            ),
            KIOSK: dict(session.execute(select(Kiosk.slug, Kiosk.id).where(Kiosk.office_id == office.id)).all()),
            USER: dict(session.execute(select(User.username, User.id)).all()),
            TICKET: {},
        }

    def id_of(self, kind: str, name):
        """The centre's id of the row named `name`; NodeRefused 'unknown' when the centre has no such row."""
        if name is None:
            return None
        ids = self.by_kind[kind]
        if name not in ids and kind == TICKET and isinstance(name, str):
            # Only the node's own office's tickets: a node cannot add events to another office's.
            found = self.session.scalar(select(Ticket.id).where(Ticket.uid == name, Ticket.office_id == self.office.id))
            if found is not None:
                ids[name] = found
        if name not in ids and kind in (CABINET, KIOSK) and isinstance(name, str):
            ids[name] = self._add_office_own(kind, name)
        if not isinstance(name, str | int) or name not in ids:
            raise NodeRefused("unknown", f"the centre does not know the {kind} {name!r}")
        return ids[name]

    def _add_office_own(self, kind: str, name: str) -> int:
        """A cabinet or kiosk the node's office added while the centre did not know it (they are the
        office's own): the centre adds it under the same number or name, closed and serving nothing until
        an administrator gives it visit kinds, and its audit log says so."""
        longest = 20 if kind == CABINET else 40
        if not name.strip() or len(name) > longest or not name.isprintable():
            raise NodeRefused("unknown", f"the centre does not know the {kind} {name!r}")
        row: Cabinet | Kiosk
        if kind == CABINET:
            row = Cabinet(office_id=self.office.id, number=name)
        else:
            row = Kiosk(office_id=self.office.id, slug=name, name=name)
        self.session.add(row)
        self.session.flush()
        record(self.session, None, f"node.{kind}_added", {kind: name}, office_id=self.office.id)
        return row.id


def _values(lookup: Lookup, table: str, key: str, row: dict) -> dict:
    """The row's columns as the centre stores them; NodeRefused for a wrong column, value or office."""
    spec = SPECS[table]
    columns = {column.name: column for column in spec.columns()}
    if not isinstance(row, dict) or set(row) != set(columns):
        raise NodeRefused("shape", f"a {table} row must have exactly the columns {sorted(columns)}")
    values = {}
    for name, column in columns.items():
        kind = spec.refs.get(name)
        if kind:
            values[column.key] = lookup.id_of(kind, row[name])
            continue
        try:
            values[column.key] = decode(column, row[name])
        except (TypeError, ValueError) as error:
            raise NodeRefused("value", f"{table}.{name}: {error}") from error
    if "office_id" in values and values["office_id"] not in (lookup.office.id, None):
        raise NodeRefused("office", f"a {table} row of another office than the node's")
    if "office_id" in values and values["office_id"] is None and table != "audit_entry":
        raise NodeRefused("office", f"a {table} row without its office")
    own_key = row.get("ticket_id") if spec.keyed_by_ticket else row.get("uid")
    if own_key != key:
        raise NodeRefused("shape", f"a {table} row whose key is not {key!r}")
    return values


def apply_row(
    session: Session, lookup: Lookup, table: str, key: str, row: dict | None, touched: set[tuple[date, int]]
) -> None:
    """Write one shipped row (None: the node no longer has it, nothing to do)."""
    if row is None:
        return
    values = _values(lookup, table, key, row)
    model = SPECS[table].model
    if table in ("ticket_event", "audit_entry"):
        if session.scalar(select(model.id).where(model.uid == key)) is None:
            session.execute(insert(model).values(**values))
    elif table == "ticket":
        existing = lookup.by_kind[TICKET].get(key) or session.scalar(select(Ticket.id).where(Ticket.uid == key))
        if existing is None:
            added = session.execute(insert(Ticket).values(**values).returning(Ticket.id))
            lookup.by_kind[TICKET][key] = added.scalar_one()
        else:
            session.execute(update(Ticket).where(Ticket.id == existing).values(**values))
    else:
        found = session.scalar(select(model.ticket_id).where(model.ticket_id == values["ticket_id"]))
        if found is None:
            session.execute(insert(model).values(**values))
        else:
            session.execute(update(model).where(model.ticket_id == found).values(**values))
    if isinstance(values.get("service_day"), date):
        touched.add((values["service_day"], lookup.office.id))


def _checked(batch: object) -> tuple[int, list[dict]]:
    """The batch's `after` and entries, checked for shape and order (NodeRefused 'batch' or 'order')."""
    if not isinstance(batch, dict) or not isinstance(batch.get("after"), int) or batch["after"] < 0:
        raise NodeRefused("batch", "a batch is {after: number, entries: [...]}")
    entries = batch.get("entries")
    if not isinstance(entries, list) or len(entries) > BATCH_MAX:
        raise NodeRefused("batch", f"a batch has a list of at most {BATCH_MAX} entries")
    previous = batch["after"]
    for entry in entries:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("seq"), int)
            or entry.get("table") not in SPECS
            or not isinstance(entry.get("key"), str)
            or not isinstance(entry.get("row"), dict | None)
        ):
            raise NodeRefused("batch", "an entry is {seq: number, table: name, key: text, row: {...} or null}")
        if entry["seq"] <= previous:
            raise NodeRefused("order", f"entry {entry['seq']} does not follow {previous}: sequence numbers must rise")
        previous = entry["seq"]
    return batch["after"], entries


def apply_batch(session: Session, node: Node, batch: object, now: datetime) -> int:
    """Apply a node's batch; returns the last sequence number applied (the acknowledgement). The caller commits.

    NodeRefused 'gap' when the batch follows a number beyond the centre's: nothing is applied, and the
    node sends again from `node.acked_seq`.
    """
    after, entries = _checked(batch)
    # One batch of a node at a time, whichever server process receives it.
    session.execute(select(Node.id).where(Node.id == node.id).with_for_update())
    session.refresh(node)
    if after > node.acked_seq:
        raise NodeRefused("gap", f"the centre has applied up to {node.acked_seq}, not {after}")
    fresh = [entry for entry in entries if entry["seq"] > node.acked_seq]
    if fresh:
        lookup, touched = Lookup(session, node.office), set[tuple[date, int]]()
        written: dict[tuple[str, str], object] = {}
        for entry in fresh:
            where = (entry["table"], entry["key"])
            if where in written and written[where] == entry["row"]:
                continue  # the same row again in this batch (read once at the node): it is written already
            apply_row(session, lookup, entry["table"], entry["key"], entry["row"], touched)
            written[where] = entry["row"]
        invalidate_months(session, touched)
        node.acked_seq = fresh[-1]["seq"]
    head = batch.get("head") if isinstance(batch, dict) else None
    if isinstance(head, int) and not isinstance(head, bool) and 0 <= head < 2**62:
        node.head_seq = max(head, node.acked_seq)  # how many changes still wait at the node
    node.last_sync_at = node.last_contact_at = now
    return node.acked_seq
