"""Deactivation, a new password and signing out end every session of the account; idle staff sessions end."""
from __future__ import annotations

from itsdangerous import TimestampSigner
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import User
from tests.admin.admin_helpers import AdminPages
from tests.conftest import AuthActions


def _user_id(app, username: str) -> int:
    with app.app_context():
        return kezek_db.session.scalar(select(User.id).where(User.username == username))


def _opens_console(client) -> bool:
    answer = client.get("/console/")
    return answer.status_code == 200


def _copy_session(source, target) -> None:
    """What an attacker does with a stolen cookie: use it from another browser."""
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_deactivated_clerk_is_signed_out_at_once(app, client, auth):
    auth.create("aigerim", "clerk", "taraz")
    auth.create("taraz-admin", "admin", "taraz")
    auth.login("aigerim")
    assert _opens_console(client)

    admin = app.test_client()
    AuthActions(admin, app).login("taraz-admin")
    answer = AdminPages(admin).submit(f"/admin/users/{_user_id(app, 'aigerim')}", {"active": False})
    assert answer.status_code == 303
    answer = client.get("/console/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]

    # Active again: the old session stays ended; signing in again works.
    assert AdminPages(admin).submit(f"/admin/users/{_user_id(app, 'aigerim')}", {"active": True}).status_code == 303
    assert not _opens_console(client)
    auth.login("aigerim")
    assert _opens_console(client)


def test_a_cookie_copied_before_sign_out_does_not_work_after_it(app, client, auth):
    auth.create("aigerim", "clerk", "taraz")
    auth.login("aigerim")
    thief = app.test_client()
    _copy_session(client, thief)
    assert _opens_console(thief)
    assert client.post("/logout", data={"csrf_token": auth.token()}).status_code == 302
    assert not _opens_console(thief)
    assert not _opens_console(client)


def test_sign_out_ends_the_accounts_other_sessions_too(app, client, auth):
    auth.create("aigerim", "clerk", "taraz")
    auth.login("aigerim")
    other = app.test_client()
    AuthActions(other, app).login("aigerim")
    assert _opens_console(other)
    client.post("/logout", data={"csrf_token": auth.token()})
    assert not _opens_console(other)


def test_a_password_reset_ends_the_accounts_sessions(app, client, auth):
    auth.create("aigerim", "clerk", "taraz")
    auth.create("taraz-admin", "admin", "taraz")
    auth.login("aigerim")
    thief = app.test_client()
    _copy_session(client, thief)

    admin = app.test_client()
    AuthActions(admin, app).login("taraz-admin")
    user_id = _user_id(app, "aigerim")
    answer = AdminPages(admin).submit(f"/admin/users/{user_id}", {"password": "brand-new-pass-9"},
                                      action=f"/admin/users/{user_id}/password")
    assert answer.status_code == 303
    assert not _opens_console(thief)
    assert not _opens_console(client)
    auth.login("aigerim", "brand-new-pass-9")
    assert _opens_console(client)


def test_the_create_user_command_resetting_a_password_ends_sessions(app, client, auth, runner):
    auth.create("aigerim", "clerk", "taraz")
    auth.login("aigerim")
    result = runner.invoke(args=["create-user", "aigerim", "--role", "clerk", "--office", "taraz",
                                 "--password", "another-pass-7"])
    assert result.exit_code == 0, result.output
    assert not _opens_console(client)


def test_staff_sessions_end_after_the_idle_time(app, client, auth, monkeypatch):
    app.config["PERMANENT_SESSION_LIFETIME"] = 12 * 3600
    auth.create("aigerim", "clerk", "taraz")
    auth.login("aigerim")
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 11 * 3600)
    assert _opens_console(client)  # eleven hours later: still signed in, and the session is renewed
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 22 * 3600)
    assert _opens_console(client)  # another eleven hours on from that request
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 35 * 3600)
    answer = client.get("/console/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_default_idle_time_is_twelve_hours(app):
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
