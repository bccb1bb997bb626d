"""What travels up from an office node (no Flask): each synced table's rows as plain JSON, by region-unique key.

A row leaves the node with its references named as both ends know them (an office by its slug, a
visit kind by its prefix, a cabinet by its number, a clerk by user name, a ticket by its uid), never
by a local integer id: the centre's ids differ. The same function reads a row at the node and at the
centre, so equal payloads mean equal rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, select
from sqlalchemy.orm import Session

from kezek.models import AuditEntry, Cabinet, Kiosk, Office, Service, Ticket, TicketEvent, User, UTCDateTime, VisitKind
from kezek.models.reports import FeedbackAnswer, WaitRecord

OFFICE, KIND, SERVICE, CABINET, KIOSK, USER, TICKET = "office", "kind", "service", "cabinet", "kiosk", "user", "ticket"


@dataclass(frozen=True)
class Spec:
    """One synced table: its model, how its rows are keyed, which columns name other rows, which stay local."""

    model: Any
    keyed_by_ticket: bool = False  # one row per ticket: the key is the ticket's uid
    refs: dict[str, str] = field(default_factory=dict)
    local: tuple[str, ...] = ("id",)  # never shipped: the centre numbers its own rows

    def columns(self) -> list:
        """The shipped columns."""
        return [column for column in self.model.__table__.columns if column.name not in self.local]


SPECS: dict[str, Spec] = {
    "ticket": Spec(
        Ticket,
        refs={
            "office_id": OFFICE,
            "visit_kind_id": KIND,
            "kiosk_id": KIOSK,
            "cabinet_id": CABINET,
            "clerk_id": USER,
            "target_cabinet_id": CABINET,
        },
        local=("id", "device_id"),
    ),  # devices are enrolled at the node, not known at the centre
    "ticket_event": Spec(TicketEvent, refs={"ticket_id": TICKET, "cabinet_id": CABINET, "user_id": USER}),
    "audit_entry": Spec(AuditEntry, refs={"user_id": USER, "office_id": OFFICE}),
    "wait_record": Spec(
        WaitRecord,
        keyed_by_ticket=True,
        refs={
            "ticket_id": TICKET,
            "office_id": OFFICE,
            "service_id": SERVICE,
            "visit_kind_id": KIND,
            "clerk_id": USER,
            "cabinet_id": CABINET,
        },
        local=(),
    ),
    "feedback_answer": Spec(
        FeedbackAnswer, keyed_by_ticket=True, refs={"ticket_id": TICKET, "office_id": OFFICE, "service_id": SERVICE}
    ),
}


class Names:
    """Local ids to the names both ends share, for one office's rows, read once per batch."""

    def __init__(self, session: Session, office_id: int):
        self.session = session
        self.by_kind: dict[str, dict[Any, Any]] = {
            OFFICE: dict(session.execute(select(Office.id, Office.slug)).all()),
            KIND: dict(session.execute(select(VisitKind.id, VisitKind.prefix)).all()),
            SERVICE: dict(session.execute(select(Service.id, Service.code)).all()),
            CABINET: dict(
                session.execute(select(Cabinet.id, Cabinet.number).where(Cabinet.office_id == office_id)).all()
            ),
            KIOSK: dict(session.execute(select(Kiosk.id, Kiosk.slug).where(Kiosk.office_id == office_id)).all()),
            USER: dict(session.execute(select(User.id, User.username)).all()),
            TICKET: {},
        }

    def name(self, kind: str, local_id: int | None):
        """The shared name of local row `local_id` of `kind` (None stays None)."""
        if local_id is None:
            return None
        names = self.by_kind[kind]
        if local_id not in names and kind == TICKET:
            names[local_id] = self.session.scalar(select(Ticket.uid).where(Ticket.id == local_id))
        return names.get(local_id)


def encode(value):
    """A column value as JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def decode(column, value):
    """A JSON value back as `column`'s Python value (ValueError or TypeError when it is not one)."""
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(f"{column.name}: a time without its zone")
        return moment
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    kind = column.type.python_type if not isinstance(column.type, JSON) else dict
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)) or not isinstance(value, kind):
        raise TypeError(f"{column.name}: {type(value).__name__} where {kind.__name__} is needed")
    if kind is str and (len(value) > (column.type.length or 10**6) or "\x00" in value):
        raise ValueError(f"{column.name}: too long, or a NUL character")
    return value


def read_row(session: Session, names: Names, table: str, key: str) -> dict | None:
    """The shipped form of row `key` of `table` as it is now (None when there is no such row)."""
    spec = SPECS[table]
    model = spec.model
    query = select(model)
    if spec.keyed_by_ticket:
        query = query.join(Ticket, Ticket.id == model.ticket_id).where(Ticket.uid == key)
    else:
        query = query.where(model.uid == key)
    row = session.execute(query.execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None:
        return None
    shipped = {}
    for column in spec.columns():
        value = getattr(row, column.key)
        kind = spec.refs.get(column.name)
        shipped[column.name] = names.name(kind, value) if kind else encode(value)
    return shipped
