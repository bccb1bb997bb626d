"""Sign-in throttling: per address, per account with growing delays, and known devices that are never locked out.

A wrong password counts against the account (from any address) as well as against the address, so
spreading guesses over addresses gains nothing. The limits step up (a minute, then an hour, then a
day), the "growing delays". A browser that has signed in to an account before carries a signed
known-device cookie for it: its attempts at that account skip the address's and the account's
limits and count against the device alone. So a guesser behind the office's NAT, or one hammering
an account from elsewhere, cannot lock its holder (or the office) out.
"""
from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from kezek.extensions import limiter

ADDRESS_LIMIT = "10 per minute; 50 per hour"
ACCOUNT_LIMIT = "10 per minute; 20 per hour; 50 per day"
DEVICE_LIMIT = "10 per minute; 30 per hour"
COOKIE = "kezek_device"
DEVICE_DAYS = 180
ACCOUNTS_PER_DEVICE = 10


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="kezek-known-device")


def _device() -> dict:
    """The request's known-device cookie: {"id": device id, "accounts": [usernames]}, or empty."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        device = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return {}
    return device if isinstance(device, dict) and isinstance(device.get("accounts"), list) else {}


def _username() -> str:
    return (request.form.get("username") or "").strip().lower()[:80]


def known_device() -> bool:
    """Whether this browser has signed in to the account it is signing in to now."""
    return bool(_username()) and _username() in _device().get("accounts", [])


def unknown_device() -> bool:
    """The opposite of `known_device` (for limits that apply to known devices only)."""
    return not known_device()


def account_key() -> str:
    """Rate-limit key of the account being signed in to, whatever the address."""
    return f"account:{_username()}"


def device_key() -> str:
    """Rate-limit key of a known device."""
    return f"device:{_device().get('id', '')}"


def failed(response: Response) -> bool:
    """Only a refused sign-in counts against the account or device."""
    return response.status_code == 401


def remember_device(response: Response, username: str) -> None:
    """After a successful sign-in: mark this browser as a known device of `username` (a signed cookie)."""
    device = _device() or {"id": secrets.token_hex(8), "accounts": []}
    name = username.strip().lower()
    accounts = [name] + [other for other in device["accounts"] if other != name]
    value = _serializer().dumps({"id": device["id"], "accounts": accounts[:ACCOUNTS_PER_DEVICE]})
    response.set_cookie(COOKIE, value, max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/login")


def limits(view):
    """The sign-in view with its three limits (Flask-Limiter), all on POST only."""
    view = limiter.limit(DEVICE_LIMIT, key_func=device_key, methods=["POST"], deduct_when=failed,
                         exempt_when=unknown_device)(view)
    view = limiter.limit(ACCOUNT_LIMIT, key_func=account_key, methods=["POST"], deduct_when=failed,
                         exempt_when=known_device)(view)
    return limiter.limit(ADDRESS_LIMIT, methods=["POST"], exempt_when=known_device)(view)
