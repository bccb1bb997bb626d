"""The phone page: only its own ticket, kept live by script (no reload), 404 for unknown or odd codes."""
from __future__ import annotations

import json
import re

from tests.realtime.helpers import Desk, ticket_code


def test_the_page_shows_its_ticket_and_nothing_about_anyone_else(app, client, kiosk):
    for _ in range(3):
        kiosk.take("A", office="demo")
    Desk(app).act("call")
    page = client.get(f"/t/{ticket_code(app, 'A-003')}?lang=ru").get_data(as_text=True)
    assert "A-003" in page and "Перед вами: 1" in page
    assert "A-001" not in page and "A-002" not in page and "101" not in page
    assert 'http-equiv="refresh"' not in page and "/static/js/phone.js" in page
    state = json.loads(re.search(r'id="phone-state">(.*?)</script>', page, re.S)[1])
    assert state["label"] == "A-003" and state["ahead"] == 1 and state["status"] == "waiting"


def test_a_called_ticket_shows_its_cabinet(app, client, kiosk):
    kiosk.take("A", office="demo")
    Desk(app).act("call")
    page = client.get(f"/t/{ticket_code(app, 'A-001')}?lang=ru").get_data(as_text=True)
    assert "пройдите в кабинет 101" in page and 'id="cabinet-big">101<' in page


def test_unknown_and_oversized_codes_are_not_found(client):
    for code in ("nothing-here", "x" * 33, "%00"):
        assert client.get(f"/t/{code}").status_code == 404


def test_the_page_opens_in_the_language_the_ticket_was_taken_in_and_can_be_switched(app, client, kiosk):
    kiosk.take("A", office="demo", lang="ru")
    code = ticket_code(app, "A-001")
    page = client.get(f"/t/{code}").get_data(as_text=True)  # as the QR code opens it
    assert '<html lang="ru">' in page and "Перед вами" in page
    switched = client.get(f"/t/{code}?lang=kk").get_data(as_text=True)
    assert '<html lang="kk">' in switched
