"""Security headers, the content security policy, readiness, and the per-kiosk ticket limit."""
from __future__ import annotations

from tests.conftest import all_tickets
from kezek.services import services


def test_every_answer_carries_a_strict_content_security_policy(client):
    answer = client.get("/kiosk/taraz")
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert client.get("/nowhere").headers["Content-Security-Policy"]


def test_session_cookies_are_http_only_and_secure_behind_tls(tmp_path):
    from kezek import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                      "SESSION_COOKIE_SECURE": True})
    from kezek.extensions import db
    from kezek.models import Base

    with app.app_context():
        Base.metadata.create_all(db.engine)
    answer = app.test_client().get("/login")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    services(app).engine.dispose()


def test_readiness_reports_the_schema_not_at_the_latest_migration(client):
    answer = client.get("/readyz")  # the test database is built by create_all, not by migrations
    assert answer.status_code == 503
    assert answer.get_json()["checks"] == {"database": True, "migrations": False}


def test_readiness_is_ok_on_a_migrated_database(tmp_path):
    from kezek import create_app, migrate

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    migrate.upgrade(url)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": url})
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200 and answer.get_json()["ready"] is True
    services(app).engine.dispose()


def test_a_stuck_finger_cannot_empty_the_number_range(app, kiosk):
    app.config["KIOSK_TICKET_LIMIT"] = "5 per minute"
    codes = [kiosk.take("B").status_code for _ in range(7)]
    assert codes[:5] == [303] * 5 and codes[5:] == [429, 429]
    from kezek.extensions import db

    with app.app_context():
        assert len(all_tickets(db.session)) == 5


def test_input_the_database_cannot_hold_is_a_client_error(client):
    # A NUL byte cannot be stored in PostgreSQL text; it must not become a 500 anywhere.
    for path in ("/kiosk/%00", "/kiosk/taraz/service/%00", "/t/%00", "/directory/department/%00"):
        assert client.get(path).status_code in (400, 404), path
