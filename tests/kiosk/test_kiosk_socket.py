"""The kiosk's live channel (/kiosk): the office's state on connect, after a ticket, and when the clock
alone changes what the kiosk offers; unknown offices refused; the state's keys match the pages' keys."""
from __future__ import annotations

import html
import json
import re
import time

import pytest

from kezek.extensions import socketio
from tests.conftest import kind_by_prefix

KIOSK = "/kiosk"
KEYS = re.compile(r'data-live-keys="([^"]+)"')


def kiosk_socket(app, office: str = "taraz"):
    return socketio.test_client(app, namespace=KIOSK, auth={"office": office})


def states(socket) -> list[dict]:
    return [item["args"][0] for item in socket.get_received(KIOSK) if item["name"] == "state"]


def page_keys(client, path: str) -> dict:
    return json.loads(html.unescape(KEYS.search(client.get(path).get_data(as_text=True)).group(1)))


def test_the_state_on_connect_holds_every_key_a_page_shows(app, client, db):
    socket = kiosk_socket(app)
    (state,) = states(socket)
    assert state["office"] == "taraz" and state["is_open"] is True
    start = page_keys(client, "/kiosk/taraz")
    service = page_keys(client, "/kiosk/taraz/service/social_assistance?lang=ru")
    assert set(start) == {"opening"} and len(service) == 3
    for key, value in {**start, **service}.items():
        assert state["keys"][key] == value  # an untouched page sees nothing to fetch
    socket.disconnect(namespace=KIOSK)


def test_a_ticket_taken_elsewhere_reaches_the_office_kiosks_only(app, kiosk, db):
    taraz, demo = kiosk_socket(app, "taraz"), kiosk_socket(app, "demo")
    states(taraz), states(demo)
    kiosk.take("A", office="taraz")
    (state,) = states(taraz)
    assert state["ahead"][str(kind_by_prefix(db, "A").id)] == 1
    assert states(demo) == []
    taraz.disconnect(namespace=KIOSK)
    demo.disconnect(namespace=KIOSK)


@pytest.mark.parametrize("office", ["nowhere", "", "x" * 500, 5, None])
def test_unknown_offices_are_refused(app, office):
    socket = socketio.test_client(app, namespace=KIOSK, auth={"office": office})
    assert not socket.is_connected(KIOSK)


def test_the_clock_alone_sends_a_new_state_at_opening_and_at_lunch(app, clock):
    app.config["KIOSK_CHECK_SECONDS"] = 0.05
    clock.set_local(2026, 11, 30, 8, 59)  # Monday, a minute before opening
    socket = kiosk_socket(app)
    (first,) = states(socket)
    assert first["is_open"] is False and first["reason"] == "before_opening"

    def next_state(seconds: float = 5.0) -> dict | None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = states(socket)
            if found:
                return found[-1]
            time.sleep(0.02)
        return None

    assert next_state(0.5) is None  # nothing changed: nothing sent
    clock.set_local(2026, 11, 30, 9, 0)
    opened = next_state()
    assert opened and opened["is_open"] is True
    clock.set_local(2026, 11, 30, 13, 0)
    lunch = next_state()
    assert lunch and lunch["is_open"] is False and lunch["reason"] == "lunch"
    socket.disconnect(namespace=KIOSK)
