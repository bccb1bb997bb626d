"""Settings read from the environment, each with a safe default; every variable is listed here."""
from __future__ import annotations

import math
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from limits import parse_many

from kezek.models.base import utcnow

DEMO_MARKER = "demo-installation"

# Every environment variable Kezek reads, with what it means.
VARIABLES = {
    "KEZEK_INSTANCE_PATH": "folder for the SQLite file, the secret key, print records, backups",
    "KEZEK_DATABASE_URL": "SQLAlchemy URL; default sqlite:///<instance>/kezek.sqlite3",
    "KEZEK_SECRET_KEY": "session signing key; default a random key kept in <instance>/secret_key",
    "KEZEK_MESSAGE_QUEUE": "Redis URL carrying queue changes between server processes; default none",
    "KEZEK_RATELIMIT_STORAGE": "Flask-Limiter storage URL; default swept-memory:// (this process)",
    "KEZEK_PRINTER_URL": "default printer for kiosks without one; default dummy://<instance>/prints",
    "KEZEK_LOCAL_PRINTERS": "file://, dummy://, serial:// (or cups://...?host=) printers administrators may pick, "
                            "space-separated; the web's printer field accepts no other; default none",
    "KEZEK_PRINTER_PORTS": "TCP ports network printers may use besides 9100, comma-separated; default none",
    "KEZEK_PRINTER_STATUS_LIMIT": "printer status checks one member of staff may make; default '30 per minute'",
    "KEZEK_PUBLIC_URL": "address phones reach the server at, for ticket QR codes (never taken from a request's "
                        "Host unless KEZEK_TRUSTED_HOSTS lists it); default the address `kezek serve` listens on",
    "KEZEK_TRUSTED_HOSTS": "comma-separated host names the server answers to (Flask's TRUSTED_HOSTS); default any",
    "KEZEK_SOCKET_ORIGINS": "comma-separated extra origins (https://host) whose pages may open live sockets; "
                            "default only the installation's own",
    "KEZEK_DEMO": "1 to mark every page as a demo installation",
    "KEZEK_SMTP_URL": "mail server for alert e-mails, smtp://[user:password@]host[:port] (STARTTLS when offered) "
                      "or smtps://... (TLS); default none: no alert e-mail",
    "KEZEK_MAIL_FROM": "sender address of alert e-mails; default kezek@localhost",
    "KEZEK_ALERT_CHECK_SECONDS": "how often a running server checks every office's alerts, with or without a live "
                                 "floor open (one process at a time); default 30 (0: only open floors check)",
    "KEZEK_SERVER_THREADS": "threads of `kezek serve`'s one process; every open board, console, live floor and phone "
                            "page holds one while open; default 100 (from 10 to 2000)",
    "KEZEK_TIMEZONE": "offices' time zone; default Asia/Almaty",
    "KEZEK_SECURE_COOKIES": "1 behind TLS: session cookies only over HTTPS, and HSTS",
    "KEZEK_BEHIND_PROXY": "1 behind a reverse proxy (nginx): trust its X-Forwarded-For/-Proto/-Host",
    "KEZEK_KIOSK_TICKET_LIMIT": "tickets one enrolled kiosk may issue, e.g. '20 per minute' (a stuck finger or a script)",
    "KEZEK_KIOSK_ADDRESS_LIMIT": "kiosk taps one address may post, whatever the kiosk; default '40 per minute'",
    "KEZEK_OPEN_KIOSK_LIMIT": "tickets an office's open web kiosk may issue (all its browsers); default '6 per minute'",
    "KEZEK_ESTIMATE_REUSE_SECONDS": "how long a kiosk's wait projection stands for the next taps; default 5 (0: never)",
    "KEZEK_TLS_CERT": "`kezek serve`: TLS certificate (PEM) to serve HTTPS itself; same as --certfile",
    "KEZEK_TLS_KEY": "`kezek serve`: the certificate's private key (PEM); same as --keyfile",
    "KEZEK_STAFF_IDLE_HOURS": "a staff session ends after this many hours without a request; default 12",
    "KEZEK_WRITE_WAIT_SECONDS": "how long a kiosk tap or a clerk's command waits for the SQLite writer's turn "
                                "before the answer is 'please try again' with nothing written; default 5",
    "KEZEK_KIOSK_IDLE_SECONDS": "seconds without a touch before a kiosk page returns to its start in Kazakh; default 45",
    "KEZEK_LOG_FORMAT": "'json' for one JSON object per log line; default plain text",
    "KEZEK_SERVER": "server of `kezek serve`/`demo`: gunicorn (default), or waitress (default on Windows)",
    "KEZEK_PLAN_SEEDS": "simulated days per weekday the staffing plan plays (4 to 400); default 40: fewer is faster "
                        "but less steady",
}


class SettingError(ValueError):
    """An environment variable holds something Kezek cannot use; the message names it and what it takes."""


def _ports(name: str) -> tuple[int, ...]:
    text = os.environ.get(name, "")
    try:
        ports = tuple(int(part) for part in text.replace(",", " ").split())
    except ValueError:
        ports = (0,)
    if not all(0 < port < 65536 for port in ports):
        raise SettingError(f"{name} must list TCP port numbers such as '9100, 9101' (got {text!r})")
    return ports


def _names(name: str) -> list[str]:
    """A comma-separated list variable, blanks dropped."""
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


def _seconds(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise SettingError(f"{name} must be a number of seconds, 0 or more (got {text!r})")
    return seconds


def _count(name: str, default: int, lowest: int, highest: int) -> int:
    text = os.environ.get(name)
    if not text:
        return default
    if not text.strip().isascii() or not text.strip().isdigit() or not lowest <= int(text) <= highest:
        raise SettingError(f"{name} must be a whole number from {lowest} to {highest} (got {text!r})")
    return int(text)


def _hours(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        hours = float(text)
    except ValueError:
        hours = math.nan
    if not (math.isfinite(hours) and 0 < hours <= 24 * 366):
        raise SettingError(f"{name} must be a number of hours above 0 (got {text!r})")
    return hours


def _rate_limit(name: str, default: str) -> str:
    # Flask-Limiter skips a limit it cannot read, which would leave the kiosks with none at all.
    text = os.environ.get(name) or default
    try:
        parse_many(text)
    except ValueError:
        raise SettingError(f"{name} must be a rate limit such as '20 per minute' (got {text!r})") from None
    return text


def instance_path(config: Mapping[str, Any] | None) -> str:
    """Where the instance folder is: from the config mapping, the environment or ./instance."""
    if config and config.get("INSTANCE_PATH"):
        return str(config["INSTANCE_PATH"])
    return os.environ.get("KEZEK_INSTANCE_PATH") or str(Path.cwd() / "instance")


def _secret_key(folder: str) -> str:
    key = os.environ.get("KEZEK_SECRET_KEY")
    if key:
        return key
    path = Path(folder) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def from_environment(folder: str) -> dict[str, Any]:
    """The settings mapping for an instance folder."""
    env = os.environ.get
    return {
        "SECRET_KEY": _secret_key(folder),
        "DATABASE_URL": env("KEZEK_DATABASE_URL") or f"sqlite:///{Path(folder) / 'kezek.sqlite3'}",
        "MESSAGE_QUEUE": env("KEZEK_MESSAGE_QUEUE") or None,
        "RATELIMIT_STORAGE_URI": env("KEZEK_RATELIMIT_STORAGE") or "swept-memory://",
        # Redis away: Flask-Limiter counts in this process's memory until it answers again, so kiosks
        # and sign-in keep working with their limits; a failed count after the answer is only logged.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "PRINTER_URL": env("KEZEK_PRINTER_URL") or f"dummy://{Path(folder) / 'prints'}",
        "LOCAL_PRINTERS": tuple(env("KEZEK_LOCAL_PRINTERS", "").split()),
        "PRINTER_PORTS": _ports("KEZEK_PRINTER_PORTS"),
        "PRINTER_STATUS_LIMIT": _rate_limit("KEZEK_PRINTER_STATUS_LIMIT", "30 per minute"),
        "PUBLIC_URL": env("KEZEK_PUBLIC_URL") or None,
        "TRUSTED_HOSTS": _names("KEZEK_TRUSTED_HOSTS") or None,
        "SOCKET_ORIGINS": _names("KEZEK_SOCKET_ORIGINS"),
        # A demo installation (made by `kezek demo` or `kezek setup-demo`) says so on every page.
        "DEMO": env("KEZEK_DEMO", "") == "1" or (Path(folder) / DEMO_MARKER).exists(),
        "TIMEZONE": env("KEZEK_TIMEZONE") or "Asia/Almaty",
        "SMTP_URL": env("KEZEK_SMTP_URL") or "",
        "MAIL_FROM": env("KEZEK_MAIL_FROM") or "kezek@localhost",
        "ALERT_CHECK_SECONDS": _seconds("KEZEK_ALERT_CHECK_SECONDS", 30.0),
        "SERVER_THREADS": _count("KEZEK_SERVER_THREADS", 100, 10, 2000),
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "BABEL_DEFAULT_LOCALE": "kk",
        "LANGUAGES": ("kk", "ru", "en"),
        "KIOSK_RETURN_SECONDS": 20,
        "DIRECTORY_LIVE_SECONDS": 20,  # how often directory pages fetch their offices' live state
        # A kiosk page left untouched this long goes back to its start page in Kazakh.
        "KIOSK_IDLE_SECONDS": _seconds("KEZEK_KIOSK_IDLE_SECONDS", 45.0),
        # While kiosk pages are connected, how often the server checks whether the clock changed what they
        # offer (opening, lunch, closing); and how often a page whose socket is down fetches itself again.
        "KIOSK_CHECK_SECONDS": 10.0,
        "KIOSK_FALLBACK_SECONDS": 30.0,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env("KEZEK_SECURE_COOKIES", "") == "1",
        "REMEMBER_COOKIE_SECURE": env("KEZEK_SECURE_COOKIES", "") == "1",
        "BEHIND_PROXY": env("KEZEK_BEHIND_PROXY", "") == "1",
        "KIOSK_TICKET_LIMIT": _rate_limit("KEZEK_KIOSK_TICKET_LIMIT", "20 per minute"),
        "KIOSK_ADDRESS_LIMIT": _rate_limit("KEZEK_KIOSK_ADDRESS_LIMIT", "40 per minute"),
        "OPEN_KIOSK_LIMIT": _rate_limit("KEZEK_OPEN_KIOSK_LIMIT", "6 per minute"),
        "LOG_FORMAT": env("KEZEK_LOG_FORMAT") or "text",
        # In a rush, a newcomer's estimate is read off the projection made for the visitors of the last
        # few seconds (kezek/queue/forecast.py); other visit kinds' tickets of those seconds count at the
        # next projection, five seconds later at most.
        "ESTIMATE_REUSE_SECONDS": _seconds("KEZEK_ESTIMATE_REUSE_SECONDS", 5.0),
        "ESTIMATE_REUSE_ACROSS_KINDS": True,
        "WRITE_WAIT_SECONDS": _seconds("KEZEK_WRITE_WAIT_SECONDS", 5.0),
        "PLAN_SEEDS": _count("KEZEK_PLAN_SEEDS", 40, 4, 400),
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Staff sessions are permanent ones, renewed by each request: they end after this long idle.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_hours("KEZEK_STAFF_IDLE_HOURS", 12.0)),
        "WTF_CSRF_TIME_LIMIT": None,
        # WTForms' own catalogues are not loaded: kezek/library_words.py answers its errors from ours.
        "WTF_I18N_ENABLED": False,
        # The clock every view reads; tests replace it to walk through an office day.
        "CLOCK": utcnow,
    }
