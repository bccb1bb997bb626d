"""The QR code's address on a ticket never comes from an untrusted Host header."""
from __future__ import annotations

from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import PrintJob, Ticket
from kezek.public_address import own_address
from tests.conftest import kind_by_prefix

HOSTILE = "evil.example"


def take(client, app, host: str | None = None):
    """Take an A ticket at the Taraz kiosk, every request carrying `host` as its Host header."""
    headers = {"Host": host} if host else {}
    page = client.get("/kiosk/taraz/service/social_assistance", headers=headers)
    if page.status_code != 200:
        return page
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with app.app_context():
        kind = kind_by_prefix(kezek_db.session, "A").id
    return client.post("/kiosk/taraz/tickets", headers=headers,
                       data={"visit_kind": kind, "lang": "kk", "kiosk": "", "csrf_token": token})


def printed_addresses(app) -> list[str]:
    with app.app_context():
        return list(kezek_db.session.scalars(select(PrintJob.status_url)))


def test_a_hostile_host_header_does_not_reach_the_printed_qr_code(app, client):
    answer = take(client, app, HOSTILE)
    assert answer.status_code == 303
    (address,) = printed_addresses(app)
    assert HOSTILE not in address and address.startswith("http://localhost/t/")
    screen = client.get(answer.headers["Location"], headers={"Host": HOSTILE}).get_data(as_text=True)
    assert HOSTILE not in screen


def test_the_public_address_is_used_whatever_the_host(app, client):
    app.config["PUBLIC_URL"] = "https://queue.taraz.example.kz/"
    assert take(client, app, HOSTILE).status_code == 303
    (address,) = printed_addresses(app)
    assert address.startswith("https://queue.taraz.example.kz/t/")


def test_with_trusted_hosts_a_hostile_host_gets_no_ticket_and_a_trusted_one_its_own_address(app, client):
    app.config["TRUSTED_HOSTS"] = ["queue.office.local"]
    assert take(client, app, HOSTILE).status_code == 400
    with app.app_context():
        assert kezek_db.session.scalar(select(Ticket)) is None
    assert take(client, app, "queue.office.local").status_code == 303
    (address,) = printed_addresses(app)
    assert address.startswith("http://queue.office.local/t/")


def test_the_served_address_is_the_fallback():
    assert own_address("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    everywhere = own_address("0.0.0.0", 8123)
    assert everywhere.startswith("http://") and everywhere.endswith(":8123") and "0.0.0.0" not in everywhere
