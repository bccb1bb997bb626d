"""Verified device credentials kept by each server process (no Flask), dropped in every process when a device changes.

A kiosk tap asks which enrolled device it comes from; reading the device and its kiosk from the database
took about a quarter of the tap's server time. A process keeps what it verified (`KnownDevice`, read
only) and asks the database again only after a device or kiosk was changed (an office added or removed)
by any process: the
session that commits such a write (the flush hook of Kezek's sessions, `watch`) writes a fresh token to
a file beside the SQLite database, and every process compares that token with the one its entries were
read under before trusting them. A revoked or re-enrolled device is therefore refused at its next tap,
in every process. On PostgreSQL (possibly several hosts) nothing is kept: every tap reads the database.
"""
from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from kezek.models import Device, Kiosk, Office

# Columns a heartbeat writes every few seconds: they change nothing a tap reads.
_HEARTBEAT = {"last_seen_at", "last_page", "last_version", "last_address", "printer_checked_at", "printer_detail"}
_CHANGED = "kezek.devices.changed"  # session.info: a device, kiosk or office was written in this transaction


@dataclass(frozen=True)
class KnownKiosk:
    """What a tap reads of a device's kiosk."""

    id: int
    slug: str
    active: bool


@dataclass(frozen=True)
class KnownDevice:
    """What a tap reads of an enrolled device (a read-only copy: write through `current_device`'s row)."""

    id: int
    kind: str
    office_id: int
    cabinet_id: int | None
    printer_state: str
    kiosk: KnownKiosk | None


def known_from(device: Device) -> KnownDevice:
    """The read-only copy of a loaded device and its kiosk."""
    kiosk = device.kiosk
    copy = KnownKiosk(kiosk.id, kiosk.slug, kiosk.active) if kiosk is not None else None
    return KnownDevice(device.id, device.kind, device.office_id, device.cabinet_id, device.printer_state, copy)


def stamp_path(session: Session) -> str | None:
    """The file whose token says when a device last changed: beside the SQLite database; None elsewhere."""
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return f"{url.database}.devices"


def _token(path: str) -> bytes:
    try:
        with open(path, "rb") as stamp:
            return stamp.read()
    except FileNotFoundError:
        return b""


class KnownDevices:
    """One process's verified credentials: device id -> (credential hash, KnownDevice), valid under one token."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.token: bytes | None = None
        self.entries: dict[int, tuple[str, KnownDevice]] = {}

    def current_token(self, path: str) -> bytes:
        """The token now; the entries read under another one are dropped."""
        token = _token(path)
        with self.lock:
            if token != self.token:
                self.entries.clear()
                self.token = token
        return token

    def get(self, token: bytes, device_id: int) -> tuple[str, KnownDevice] | None:
        """The entry of `device_id` if it was read under `token`, the current one."""
        with self.lock:
            return self.entries.get(device_id) if token == self.token else None

    def put(self, token: bytes, device_id: int, credential_hash: str, device: KnownDevice) -> None:
        """Keep what was read from the database under `token` (read before the database was)."""
        with self.lock:
            if token == self.token:
                self.entries[device_id] = (credential_hash, device)


def changed(path: str | None) -> None:
    """Tell every process that a device changed: a fresh token (written whole, then moved into place)."""
    if path is None:
        return
    fresh = f"{path}.{os.getpid()}.{threading.get_ident()}"
    with open(fresh, "wb") as stamp:
        stamp.write(secrets.token_bytes(16))
    os.replace(fresh, path)


def _written(session: Session, _context) -> None:
    for row in (*session.new, *session.deleted):
        if isinstance(row, (Device, Kiosk, Office)):
            session.info[_CHANGED] = True
            return
    for row in session.dirty:
        if isinstance(row, Device):
            state = inspect(row)
            if any(attr.history.has_changes() for attr in state.attrs if attr.key not in _HEARTBEAT):
                session.info[_CHANGED] = True
                return
        elif isinstance(row, Kiosk):
            session.info[_CHANGED] = True
            return


def _committed(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        changed(stamp_path(session))


def _undone(session: Session) -> None:
    session.info.pop(_CHANGED, None)


_HOOKS = (("after_flush", _written), ("after_commit", _committed), ("after_rollback", _undone))


def watch(factory) -> None:
    """Have the sessions `factory` (a sessionmaker) tell every process when they commit a device's change."""
    for name, hook in _HOOKS:
        if not event.contains(factory, name, hook):
            event.listen(factory, name, hook)
