"""Redis away: rate limits fall back to this process's memory; kiosks issue, staff sign in, /readyz says so."""
from __future__ import annotations

import logging
import socket

import pytest

from kezek.extensions import limiter


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def app(app):
    """The test app with its limits kept in a Redis that does not answer (stopped, or the network cut)."""
    app.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{_closed_port()}/0"
    app.config["RATELIMIT_STORAGE_OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    limiter.init_app(app)  # as the factory would with KEZEK_RATELIMIT_STORAGE set
    yield app
    limiter._storage_dead = False  # the extension object outlives this app


def test_kiosks_issue_tickets_within_their_limit_while_redis_is_away(app, kiosk, caplog):
    app.config["KIOSK_TICKET_LIMIT"] = "5 per minute"
    with caplog.at_level(logging.WARNING):
        codes = [kiosk.take("B").status_code for _ in range(7)]
    assert codes == [303] * 5 + [429] * 2  # the limit still holds, counted in memory
    assert any("falling back to in-memory" in record.getMessage() for record in caplog.records)


def test_staff_sign_in_while_redis_is_away(app, client, auth):
    auth.create("aigerim", "clerk", "taraz")
    answer = auth.login("aigerim")
    assert answer.status_code == 302
    assert client.get("/console/").status_code == 200
    wrong = [auth.login("aigerim", "not-the-password").status_code for _ in range(3)]
    assert wrong == [401] * 3


def test_readiness_shows_the_rate_limit_storage_is_away(app, client):
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.get_json()["checks"]["rate_limit_storage"] is False
    assert "Redis" not in client.get("/kiosk/taraz").get_data(as_text=True)
