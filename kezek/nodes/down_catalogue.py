"""Down-sync of the region's services, visit kinds (limits, documents, open or closed) and directory (no Flask).

Only the centre changes them (kezek.nodes.down says who may change what where): a node takes the
centre's values as they are. Services are matched by code, visit kinds by their service and kind
(or, when the centre moved a kind to another service, by prefix), directory entries by kind and district.
A visit kind the centre no longer has is closed for new tickets at the node, never deleted (its
tickets refer to it); a directory entry the centre no longer has is deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory.loading import SEED_FIELDS
from kezek.models import DirectoryEntry, Service, VisitKind

SERVICE_FIELDS = ("code", "name_kk", "name_ru", "name_en", "service_term_days", "position")
KIND_FIELDS = (
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "prefix",
    "wait_limit_minutes",
    "default_service_minutes",
    "documents",
    "accepting",
    "position",
)
DIRECTORY_FIELDS = ("kind", "district", *SEED_FIELDS)  # the entry's public fields


def _check(rows: object, fields: tuple[str, ...], what: str, extra: tuple[str, ...] = ()) -> list[dict]:
    if not isinstance(rows, list) or not all(isinstance(row, dict) and set(row) == {*fields, *extra} for row in rows):
        raise ValueError(f"the centre's {what} have not the expected fields")
    return rows


def services_of(session: Session) -> list[dict]:
    """Every service with its visit kinds, as JSON values."""
    services = session.scalars(select(Service).order_by(Service.code))
    return [
        {
            **{name: getattr(service, name) for name in SERVICE_FIELDS},
            "kinds": [{name: getattr(kind, name) for name in KIND_FIELDS} for kind in service.visit_kinds],
        }
        for service in services
    ]


def take_services(session: Session, services: object) -> None:
    """Make the node's services and visit kinds the centre's `services`. The caller commits."""
    rows = _check(services, SERVICE_FIELDS, "services", ("kinds",))
    by_code = {service.code: service for service in session.scalars(select(Service))}
    kinds = list(session.scalars(select(VisitKind)))
    by_prefix = {kind.prefix: kind for kind in kinds}
    by_pair = {(kind.service_id, kind.kind): kind for kind in kinds}
    plan: list[tuple[VisitKind, int, dict]] = []
    for row in rows:
        service = by_code.get(row["code"]) or Service()
        for name in SERVICE_FIELDS:
            setattr(service, name, row[name])
        session.add(service)
        session.flush()
        for kind_row in _check(row["kinds"], KIND_FIELDS, "visit kinds"):
            claimed = {id(kind) for kind, _service, _row in plan}
            found = [by_pair.get((service.id, kind_row["kind"])), by_prefix.get(kind_row["prefix"])]
            kind = next((kind for kind in found if kind is not None and id(kind) not in claimed), None)
            plan.append((kind or VisitKind(), service.id, kind_row))
    # A prefix is unique: a kind whose prefix changes lets go of its old one first (two kinds may swap theirs).
    for kind, _service_id, kind_row in plan:
        if kind.id is not None and kind.prefix != kind_row["prefix"]:
            kind.prefix = f"~{kind.id}"
    session.flush()
    for kind, service_id, kind_row in plan:
        for name in KIND_FIELDS:
            setattr(kind, name, kind_row[name])
        kind.service_id = service_id
        session.add(kind)
    session.flush()
    wanted = {kind.id for kind, _service_id, _row in plan}
    for kind in kinds:
        if kind.id not in wanted:
            kind.accepting = False  # the centre has it no more: no new tickets, but its tickets keep their kind


def directory_of(session: Session) -> list[dict]:
    """Every directory entry's public fields, as JSON values."""
    entries = session.scalars(select(DirectoryEntry).order_by(DirectoryEntry.kind, DirectoryEntry.district))
    return [{name: getattr(entry, name) for name in DIRECTORY_FIELDS} for entry in entries]


def take_directory(session: Session, entries: object, now: datetime) -> None:
    """Make the node's directory the centre's `entries`. The caller commits."""
    rows = _check(entries, DIRECTORY_FIELDS, "directory entries")
    here = {(entry.kind, entry.district): entry for entry in session.scalars(select(DirectoryEntry))}
    for row in rows:
        entry = here.pop((row["kind"], row["district"]), None) or DirectoryEntry(created_at=now)
        for name in DIRECTORY_FIELDS:
            if getattr(entry, name, None) != row[name]:
                setattr(entry, name, row[name])
        session.add(entry)
    for entry in here.values():
        session.delete(entry)
