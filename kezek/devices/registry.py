"""The device registry (no Flask): adding devices, one-time enrolment codes, credentials, revoking, heartbeats."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kezek.audit import record
from kezek.known_devices import KnownDevice, KnownDevices, known_from, stamp_path
from kezek.models import BOARD, KIOSK, TABLET, Cabinet, Device, Kiosk, Office, User

# How long an enrolment link works: long enough to walk to the kiosk, short enough not to linger in chats.
ENROLMENT_VALID = timedelta(hours=24)
# A device that has not reported for this long is shown offline (its pages report every 15 seconds).
OFFLINE_AFTER = timedelta(seconds=45)
PAGE_MAX, VERSION_MAX = 200, 40


class DeviceRefused(ValueError):
    """An administrator's device request that cannot be done; `code` says why (the view words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def secret_hash(secret: str) -> str:
    """The stored form of a credential or enrolment code: SHA-256 (both are 256 random bits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def office_devices(session: Session, office_id: int) -> list[Device]:
    """An office's devices: kiosks, then boards, then tablets, each by name."""
    order = {KIOSK: 0, BOARD: 1, TABLET: 2}
    devices = session.scalars(select(Device).where(Device.office_id == office_id)).all()
    return sorted(devices, key=lambda device: (order.get(device.kind, 9), device.name, device.id))


def kiosk_device(session: Session, kiosk: Kiosk, now: datetime) -> Device:
    """The device of a kiosk, added (not yet enrolled) on first need."""
    device = session.scalar(select(Device).where(Device.kiosk_id == kiosk.id))
    if device is None:
        device = Device(office_id=kiosk.office_id, kind=KIOSK, name=kiosk.name, kiosk_id=kiosk.id, created_at=now)
        session.add(device)
        session.flush()
    return device


def add_device(session: Session, user: User | None, office: Office, kind: str, name: str, now: datetime,
               cabinet: Cabinet | None = None) -> Device:
    """Add a board or a cabinet's feedback tablet to an office (not yet enrolled); audited."""
    name = (name or "").strip()[:100]
    if kind not in (BOARD, TABLET):
        raise DeviceRefused("kind")
    if kind == TABLET and (cabinet is None or cabinet.office_id != office.id):
        raise DeviceRefused("cabinet")
    if not name:
        raise DeviceRefused("name")
    device = Device(office_id=office.id, kind=kind, name=name, cabinet_id=cabinet.id if cabinet else None,
                    created_at=now)
    session.add(device)
    session.flush()
    record(session, user, "device.add", {"device": device.id, "kind": kind, "name": name}, office_id=office.id, at=now)
    return device


def new_enrolment(session: Session, user: User | None, device: Device, now: datetime) -> str:
    """A new one-time enrolment code for `device` (the previous unused one stops working); audited.

    The device's current credential keeps working until the code is used, so a link made by mistake
    takes nothing away. The caller commits and shows the code once: only its hash is kept.
    """
    code = secrets.token_urlsafe(32)
    device.enrolment_hash = secret_hash(code)
    device.enrolment_expires_at = now + ENROLMENT_VALID
    record(session, user, "device.enrolment_link", {"device": device.id, "kind": device.kind, "name": device.name},
           office_id=device.office_id, at=now)
    return code


def pending_enrolment(session: Session, code: str, now: datetime) -> Device | None:
    """The device a still valid enrolment code is for, or None."""
    if not isinstance(code, str) or not 20 <= len(code) <= 100:
        return None
    device = session.scalar(select(Device).where(Device.enrolment_hash == secret_hash(code)))
    if device is None or device.enrolment_expires_at is None or device.enrolment_expires_at <= now:
        return None
    return device


def enrol(session: Session, code: str, now: datetime, address: str = "") -> tuple[Device, str] | None:
    """Use an enrolment code: the device gets a new credential (any earlier one stops working).

    Returns the device and the credential to install on it (kept only as a hash), or None when the
    code is unknown, used or expired. The caller commits.
    """
    device = pending_enrolment(session, code, now)
    if device is None:
        return None
    credential = secrets.token_urlsafe(32)
    device.credential_hash = secret_hash(credential)
    device.enrolment_hash = device.enrolment_expires_at = None
    device.enrolled_at, device.revoked_at = now, None
    device.last_seen_at, device.last_address = now, address[:64]
    record(session, None, "device.enrolled", {"device": device.id, "kind": device.kind, "name": device.name,
                                              "address": address[:64]}, office_id=device.office_id, at=now)
    return device, credential


def revoke(session: Session, user: User | None, device: Device, now: datetime) -> None:
    """Take a device's credential and any unused enrolment code away; audited. It can be enrolled again."""
    device.credential_hash = device.enrolment_hash = device.enrolment_expires_at = None
    device.revoked_at = now
    record(session, user, "device.revoke", {"device": device.id, "kind": device.kind, "name": device.name},
           office_id=device.office_id, at=now)


def device_by_credential(session: Session, device_id: int, credential: str) -> Device | None:
    """The enrolled device `device_id` if `credential` is its credential now (not revoked, not replaced)."""
    if not isinstance(device_id, int) or not isinstance(credential, str) or not 0 < device_id < 2**31:
        return None
    device = session.get(Device, device_id, options=[joinedload(Device.kiosk)])  # a kiosk tap reads its kiosk
    stored = device.credential_hash if device is not None else None
    if not stored or not hmac.compare_digest(stored, secret_hash(credential)):
        return None
    return device


def known_device(session: Session, known: KnownDevices, device_id: int, credential: str) -> KnownDevice | None:
    """`device_by_credential` as a read-only copy, from what this process verified while no device has changed."""
    path = stamp_path(session)
    if path is None:
        device = device_by_credential(session, device_id, credential)
        return known_from(device) if device is not None else None
    token = known.current_token(path)  # read before the database: a change committed meanwhile drops the entry
    entry = known.get(token, device_id) if isinstance(device_id, int) else None
    if entry is not None and isinstance(credential, str) and hmac.compare_digest(entry[0], secret_hash(credential)):
        return entry[1]
    device = device_by_credential(session, device_id, credential)
    if device is None or device.credential_hash is None:
        return None
    copy = known_from(device)
    known.put(token, device.id, device.credential_hash, copy)
    return copy


def heartbeat(device: Device, now: datetime, page: str, version: str, address: str) -> None:
    """Record that `device` is alive on `page` (its path) with page `version`; the caller commits."""
    device.last_seen_at = now
    device.last_page = (page or "")[:PAGE_MAX]
    device.last_version = (version or "")[:VERSION_MAX]
    device.last_address = (address or "")[:64]


def set_printer_state(device: Device, state: str, detail: str, now: datetime) -> None:
    """Record what a kiosk's printer said when last asked; the caller commits."""
    device.printer_state, device.printer_detail, device.printer_checked_at = state, (detail or "")[:200], now


def is_online(device: Device, now: datetime) -> bool:
    """Whether the device reported within OFFLINE_AFTER."""
    return device.enrolled and device.last_seen_at is not None and now - device.last_seen_at < OFFLINE_AFTER


@dataclass(frozen=True)
class Health:
    """One row of the device health page."""

    device: Device | None
    kiosk: Kiosk | None
    office: Office
    online: bool
    stale_page: bool


def office_health(session: Session, office: Office, now: datetime, version: str) -> list[Health]:
    """Every device of an office and every active kiosk not yet given one, with whether it is online."""
    rows = []
    devices = office_devices(session, office.id)
    with_device = {device.kiosk_id for device in devices if device.kiosk_id}
    for device in devices:
        online = is_online(device, now)
        stale = bool(device.last_version) and device.last_version != version
        rows.append(Health(device, device.kiosk, office, online, stale))
    kiosks = session.scalars(select(Kiosk).where(Kiosk.office_id == office.id, Kiosk.active).order_by(Kiosk.id))
    rows.extend(Health(None, kiosk, office, False, False) for kiosk in kiosks if kiosk.id not in with_device)
    return rows
