"""The live sockets (board, phone, console) open only from the installation's own pages."""
from __future__ import annotations

import pytest

from kezek import create_app
from kezek.services import services

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def handshake(client, origin: str | None, host: str = "localhost"):
    headers = {"Host": host}
    if origin:
        headers["Origin"] = origin
    return client.get(HANDSHAKE, headers=headers)


@pytest.mark.parametrize("origin", ["http://evil.example", "https://evil.example", "http://localhost.evil.example",
                                    "http://localhost:8080", "null", "http://127.0.0.1"])
def test_a_foreign_origin_is_refused(client, origin):
    answer = handshake(client, origin)
    assert answer.status_code == 400
    assert b'"sid"' not in answer.get_data()


@pytest.mark.parametrize("origin", ["http://localhost", "https://localhost"])
def test_the_installation_own_origin_opens_a_socket(client, origin):
    answer = handshake(client, origin)
    assert answer.status_code == 200 and b'"sid"' in answer.get_data()


def test_a_client_without_origin_header_still_connects(client):
    # Devices and the print agent are not browsers; only a browser page sends an Origin.
    assert b'"sid"' in handshake(client, None).get_data()


def test_configured_origins_are_accepted_and_trusted_hosts_narrow_the_own_host(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "i"), "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}",
                      "SECRET_KEY": "x", "TESTING": True, "PRINTER_URL": f"dummy://{tmp_path / 'p'}",
                      "PUBLIC_URL": "https://kezek.example.kz/", "SOCKET_ORIGINS": ["https://board.example.kz"],
                      "TRUSTED_HOSTS": ["kezek.example.kz", "localhost"]})
    try:
        client = app.test_client()
        assert b'"sid"' in handshake(client, "https://kezek.example.kz", host="10.0.0.5").get_data()
        assert b'"sid"' in handshake(client, "https://board.example.kz").get_data()
        assert b'"sid"' in handshake(client, "http://localhost").get_data()
        # A rebinding page: its own name in both Origin and Host, which is not a trusted host.
        assert handshake(client, "http://rebind.evil.example", host="rebind.evil.example").status_code == 400
    finally:
        services(app).close()
