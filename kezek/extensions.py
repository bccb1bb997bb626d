"""Extension objects, created unbound here and bound to an app in `init_app`."""
from __future__ import annotations

import hmac

from flask import Flask, g, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from kezek import ratelimits  # noqa: F401  (registers the swept-memory:// storage URL)
from kezek.db import Database
from kezek.origins import origin_check

db = Database()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Pinned to threading (with simple-websocket) so a stray eventlet/gevent install cannot switch modes.
socketio = SocketIO(async_mode="threading")


def _form_language() -> str | None:
    """The language a kiosk form was posted in (none if the body is unreadable or too large)."""
    if request.method != "POST":
        return None
    try:
        return request.form.get("lang")
    except Exception:  # an oversized or malformed body is answered by its own error page
        return None


def select_locale() -> str:
    """The page language: `?lang=` first, then the one chosen earlier, then Kazakh."""
    languages = ("kk", "ru", "en")
    asked = request.args.get("lang") or _form_language()
    if g.get("language_from_url_only"):
        return asked if asked in languages else "kk"
    if asked in languages:
        session["lang"] = asked
        return asked
    chosen = session.get("lang")
    return chosen if chosen in languages else "kk"


def _load_user(session_id: str):
    """The signed-in account of a session: still active, and the session made with its current token."""
    from kezek.models import User

    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def init_app(app: Flask) -> None:
    """Bind every extension to `app`."""
    db.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    from kezek import library_words

    library_words.init_app(app, login_manager)
    login_manager.user_loader(_load_user)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "swept-memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis", "rediss")):
        # A Redis that stops answering costs a request one second, then the in-memory fallback takes over.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)
    # No message_queue: changes cross processes on kezek.realtime's relay, and every emit is local.
    socketio.init_app(
        app,
        async_mode="threading",
        cors_allowed_origins=origin_check(app.config),
    )
