"""The centre's register of office nodes (no Flask): adding one, its one-time enrolment code, its credential, revoking.

The same pattern as a device's (kezek.devices.registry): 256-bit secrets kept only as SHA-256 hashes,
a code that works once within ENROLMENT_VALID, a credential that a new enrolment or a revocation ends.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.audit import record
from kezek.devices.registry import ENROLMENT_VALID, secret_hash
from kezek.models import Node, Office, User

CONTACT_EVERY = timedelta(minutes=1)


class NodeRefused(ValueError):
    """A node request that cannot be done; `code` says why."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


def add_node(session: Session, user: User | None, office: Office, name: str, now: datetime) -> Node:
    """Register a node for `office` (not yet enrolled); audited. The caller commits."""
    name = (name or "").strip()[:100]
    if not name:
        raise NodeRefused("name", "a node needs a name")
    if session.scalar(select(Node).where(Node.name == name)) is not None:
        raise NodeRefused("taken", f"there is already a node named {name!r}")
    node = Node(office_id=office.id, name=name, created_at=now, acked_seq=0)
    session.add(node)
    session.flush()
    record(session, user, "node.add", {"node": node.id, "name": name}, office_id=office.id, at=now)
    return node


def new_enrolment(session: Session, user: User | None, node: Node, now: datetime) -> str:
    """A new one-time enrolment code for `node` (any unused earlier one stops working); audited. Shown once."""
    code = secrets.token_urlsafe(32)
    node.enrolment_hash, node.enrolment_expires_at = secret_hash(code), now + ENROLMENT_VALID
    record(session, user, "node.enrolment_code", {"node": node.id, "name": node.name}, office_id=node.office_id, at=now)
    return code


def enrol(session: Session, code: str, now: datetime) -> tuple[Node, str] | None:
    """Use an enrolment code: the node gets a new credential (an earlier one stops working), or None when the
    code is unknown, used or expired. The caller commits."""
    if not isinstance(code, str) or not 20 <= len(code) <= 100:
        return None
    node = session.scalar(select(Node).where(Node.enrolment_hash == secret_hash(code)))
    if node is None or node.enrolment_expires_at is None or node.enrolment_expires_at <= now:
        return None
    credential = secrets.token_urlsafe(32)
    node.credential_hash = secret_hash(credential)
    node.enrolment_hash = node.enrolment_expires_at = None
    node.enrolled_at, node.revoked_at = now, None
    record(session, None, "node.enrolled", {"node": node.id, "name": node.name}, office_id=node.office_id, at=now)
    return node, credential


def revoke(session: Session, user: User | None, node: Node, now: datetime) -> None:
    """Take a node's credential and unused code away; audited. What it shipped stays; it can be enrolled again."""
    node.credential_hash = node.enrolment_hash = node.enrolment_expires_at = None
    node.revoked_at = now
    record(session, user, "node.revoke", {"node": node.id, "name": node.name}, office_id=node.office_id, at=now)


def authenticate(session: Session, node_id: object, credential: object) -> Node:
    """The node `node_id` if `credential` is its credential now; NodeRefused 'revoked' or 'credential' otherwise."""
    if not isinstance(node_id, int) or not isinstance(credential, str) or not 0 < node_id < 2**31:
        raise NodeRefused("credential", "unknown node or credential")
    node = session.get(Node, node_id)
    if node is None:
        raise NodeRefused("credential", "unknown node or credential")
    if node.credential_hash is None and node.revoked_at is not None:
        raise NodeRefused("revoked", f"this node was revoked at the centre on {node.revoked_at:%Y-%m-%d %H:%M} UTC")
    if not node.credential_hash or not hmac.compare_digest(node.credential_hash, secret_hash(credential)):
        raise NodeRefused("credential", "unknown node or credential")
    return node


def note_contact(node: Node, now: datetime) -> bool:
    """Note that `node` reached the centre now (at most once a minute: an idle node asks every few seconds);
    whether anything changed for the caller to commit."""
    if node.last_contact_at is not None and now - node.last_contact_at < CONTACT_EVERY:
        return False
    node.last_contact_at = now
    return True


def sync_states(session: Session, office_ids: list[int] | None) -> list[dict]:
    """Per office of `office_ids` (None: all) served by an enrolled node: when its node last shipped, and how many
    changes still waited there then (None when the node never said); `incomplete` when its figures may lack some."""
    query = select(Node).where(Node.credential_hash.is_not(None)).order_by(Node.office_id, Node.name)
    if office_ids is not None:
        query = query.where(Node.office_id.in_(office_ids))
    states = []
    for node in session.scalars(query):
        waiting = max(0, node.head_seq - node.acked_seq) if node.head_seq is not None else None
        states.append(
            {
                "office_id": node.office_id,
                "node": node.name,
                "last_sync_at": node.last_sync_at,
                "waiting": waiting,
                "incomplete": node.last_sync_at is None or bool(waiting),
            }
        )
    return states
