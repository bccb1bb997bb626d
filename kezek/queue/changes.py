"""What a queue rule changed, for the screens: the office's new version and what happened."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from kezek.models import Office
from kezek.queue import per_transaction


@dataclass(frozen=True)
class Change:
    """One change of an office's queue, published to its screens after the commit."""

    office_id: int
    version: int
    kind: str  # issued, called, recalled, started, finished, no_show, transferred, cancelled, cabinet
    ticket_id: int | None = None
    cabinet_id: int | None = None
    # When several changes of the office are sent as one (the newest stands for them all): the
    # version of the oldest of them, so a screen knows the update leaves no gap.
    first_version: int | None = None


# Built once. Run on the session's connection: nothing reads a loaded Office's version attribute, so
# the ORM need not look for one to update (and writes still pending are flushed at the commit).
_BUMP = (
    update(Office)
    .where(Office.id == bindparam("office_id"))
    .values(version=Office.version + 1)
    .returning(Office.version)
)


_VERSION = select(Office.version).where(Office.id == bindparam("office_id"))
# The lock the version bump takes, taken before anything else: see `hold_office`.
_HOLD = select(Office.id).where(Office.id == bindparam("office_id")).with_for_update(key_share=True)


def hold_office(session: Session, office_id: int) -> None:
    """Make the caller's transaction the office's one clerk writer until it ends (PostgreSQL's row lock on
    the office, the one its version bump takes; SQLite has one writer anyway).

    A clerk's command changes a ticket, then bumps the office's version. Taking the office's lock
    only at the bump, one command could hold a ticket and wait for the office while another held the
    office and waited for that ticket, and PostgreSQL broke the cycle by failing one of them (seen
    under the regional benchmark: about two clerk commands a second refused as deadlocked). Taken
    first, clerks of one office take turns; kiosks, which lock no existing ticket, wait at most for one
    command's end. Held once, the lock stays the transaction's: asked again in it, nothing is done.
    """
    if per_transaction.first_time(session, ("office held", office_id)):
        session.connection().execute(_HOLD, {"office_id": office_id})


def office_version(session: Session, office_id: int) -> int:
    """The office's version as this transaction sees it."""
    return session.connection().execute(_VERSION, {"office_id": office_id}).scalar_one()


def bump_version(session: Session, office_id: int) -> int:
    """Increase the office's version inside the caller's transaction; returns the new one."""
    return session.connection().execute(_BUMP, {"office_id": office_id}).scalar_one()


def changed(
    session: Session, office_id: int, kind: str, ticket_id: int | None = None, cabinet_id: int | None = None
) -> Change:
    """Record that the office changed (bumping its version) and describe the change."""
    return Change(office_id, bump_version(session, office_id), kind, ticket_id, cabinet_id)
