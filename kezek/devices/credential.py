"""The device cookie: a long-lived signed credential that tells which enrolled device a browser is."""
from __future__ import annotations

from datetime import timedelta
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from flask import current_app, g, request
from flask.wrappers import Response
from itsdangerous import BadSignature, URLSafeSerializer

from kezek.known_devices import KnownDevice
from kezek.devices.registry import device_by_credential, known_device
from kezek.extensions import db
from kezek.models import Device
from kezek.services import current_services

COOKIE = "kezek_device"
# Browsers keep a cookie at most 400 days; every heartbeat sets it again, so a device in use never loses it.
COOKIE_AGE = timedelta(days=400)
_UNREAD = object()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kezek.device")


def current_device() -> Device | None:
    """The enrolled device this request comes from (by its cookie), once per request; None for any other browser."""
    found = g.get("kezek_device", _UNREAD)
    if found is _UNREAD:
        credential = _credential()
        found = device_by_credential(db.session, *credential) if credential is not None else None
        g.kezek_device = found
    return found


def reading_device() -> Device | KnownDevice | None:
    """The enrolled device of this request for reading only (a kiosk tap, a tablet's check): a copy this process
    verified earlier while no device has changed since (kezek.known_devices), else read from the database."""
    found = g.get("kezek_device", _UNREAD)
    if found is not _UNREAD:  # the row itself, already read in this request
        return found
    found = g.get("kezek_known_device", _UNREAD)
    if found is _UNREAD:
        found = None
        credential = _credential()
        if credential is not None:
            found = known_device(db.session, current_services().known_devices, *credential)
        g.kezek_known_device = found
    return found


def _credential() -> tuple | None:
    text = request.cookies.get(COOKIE, "")
    if not text or len(text) >= 300:
        return None
    try:
        device_id, credential = _serializer().loads(text)
    except (BadSignature, TypeError, ValueError):
        return None
    return device_id, credential


def install(response: Response, device: Device, credential: str) -> Response:
    """Set the device cookie holding `credential` on `response` (and remember it for this request)."""
    g.kezek_device_cookie = _serializer().dumps([device.id, credential])
    return renew(response)


def renew(response: Response) -> Response:
    """Set the request's device cookie again with a fresh lifetime (a device in use keeps it for ever)."""
    value = g.get("kezek_device_cookie") or request.cookies.get(COOKIE)
    if value:
        response.set_cookie(COOKIE, value, max_age=int(COOKIE_AGE.total_seconds()), httponly=True, samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/")
    return response


@cache
def page_version() -> str:
    """The version of the pages this server sends (a device showing another one has not reloaded since an upgrade).

    Read once per process: the installed package's metadata takes milliseconds to read.
    """
    try:
        return version("kezek")
    except PackageNotFoundError:
        return "dev"
