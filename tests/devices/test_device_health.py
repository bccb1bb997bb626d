"""Device heartbeats and the health page; a kiosk's printer state from its status bytes, said before the tap."""
from __future__ import annotations

import os
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from kezek.extensions import db
from kezek.models import Device, Kiosk, Office
from printer.status import printer_state
from tests.enrolment import enrol

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "printer"))
from fake_printer import (  # noqa: E402
    STATUS_COVER_OPEN,
    STATUS_NEAR_END,
    STATUS_OK,
    STATUS_PAPER_OUT,
    FakePrinter,
)

# The three answer bytes to DLE EOT 1, 2, 4 as an Epson TM printer sends them.
OFFLINE_ERROR = {1: 0x1A, 2: 0x52, 4: 0x12}  # offline after an error (auto-cutter jam)


def answer(table: dict) -> bytes:
    return bytes([table[1], table[2], table[4]])


@pytest.mark.parametrize(("table", "state"), [
    (STATUS_OK, "ready"), (STATUS_NEAR_END, "paper_near_end"), (STATUS_PAPER_OUT, "paper_out"),
    (STATUS_COVER_OPEN, "cover_open"), (OFFLINE_ERROR, "offline"),
    ({1: 0x1A, 2: 0x12, 4: 0x12}, "offline"),  # offline, no cause given
])
def test_printer_states_decoded_from_status_bytes(table, state):
    assert printer_state(answer(table)) == state


@pytest.mark.parametrize("garbage", [
    b"", b"\x12", b"\x12\x12", b"\x12\x12\x12\x12", b"\x00\x00\x00", b"\xff\xff\xff", b"OK\n", b"\x13\x12\x12",
    b"\x92\x12\x12", "121212",
])
def test_an_answer_that_is_not_a_status_is_unknown_never_ready(garbage):
    assert printer_state(garbage) == "unknown"


def beat(client, page: str = "/display/taraz", version: str = "0.1.0"):
    return client.post("/devices/heartbeat", json={"page": page, "version": version})


def health_row(client, device_id: int) -> str:
    page = client.get("/devices/?lang=en").get_data(as_text=True)
    start = page.index(f'data-device="{device_id}"')
    return page[start:page.index("</tr>", start)]


def device_id(app, kind: str, office: str = "taraz") -> int:
    """The id of `office`'s device of `kind` (the demo office has its own: a query without the office would
    return whichever row the database reads first)."""
    with app.app_context():
        return db.session.scalar(select(Device.id).join(Office, Device.office_id == Office.id)
                                 .where(Device.kind == kind, Office.slug == office).order_by(Device.id))


def test_a_device_that_stops_reporting_is_shown_offline_within_a_minute(app, auth, clock):
    board = app.test_client()
    enrol(board, app, "taraz", kind="board")
    assert beat(board, "/display/taraz?lang=ru").status_code == 200
    auth.create("head", "manager", "taraz")
    auth.login("head")
    board_id = device_id(app, "board")
    row = health_row(auth.client, board_id)
    assert 'data-state="online"' in row and "/display/taraz?lang=ru" in row and "0.1.0" in row
    clock.moment += timedelta(seconds=30)
    assert 'data-state="online"' in health_row(auth.client, board_id)
    clock.moment += timedelta(seconds=30)  # a minute without a heartbeat
    row = health_row(auth.client, board_id)
    assert 'data-state="offline"' in row and "Offline" in row
    assert beat(board).status_code == 200
    assert 'data-state="online"' in health_row(auth.client, board_id)


def test_only_enrolled_devices_report_and_only_staff_see_health(client, app, auth):
    assert beat(client).status_code == 403
    assert client.get("/devices/").status_code in (302, 401)
    auth.create("clerk1", "clerk", "taraz")
    auth.login("clerk1")
    assert client.get("/devices/").status_code == 403


def test_a_manager_sees_only_their_office_and_unenrolled_kiosks(client, app, auth):
    auth.create("head", "manager", "taraz")
    auth.login("head")
    page = client.get("/devices/?lang=en").get_data(as_text=True)
    assert 'data-office="taraz"' in page and 'data-office="merki"' not in page
    assert 'data-state="not_enrolled"' in page
    with app.app_context():
        merki = db.session.scalar(select(Office.id).where(Office.slug == "merki"))
    assert client.get(f"/devices/?office={merki}").status_code == 403


def test_the_heartbeat_page_shows_on_kiosk_board_and_tablet_only_when_enrolled(client, app):
    assert "js/device.js" not in client.get("/display/taraz").get_data(as_text=True)
    enrol(client, app, "taraz", kind="board")
    assert "js/device.js" in client.get("/display/taraz").get_data(as_text=True)
    enrol(client, app, "taraz")
    assert "js/device.js" in client.get("/kiosk/taraz").get_data(as_text=True)


@pytest.fixture
def printers():
    started = []

    def start(behaviour) -> FakePrinter:
        printer = FakePrinter(behaviour)
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.close()


def set_printer(app, url: str) -> None:
    with app.app_context():
        kiosk = db.session.scalar(select(Kiosk).join(Office).where(Office.slug == "taraz", Kiosk.slug == "main"))
        kiosk.printer_url = url
        db.session.commit()


@pytest.mark.parametrize(("behaviour", "state", "words"), [
    (STATUS_PAPER_OUT, "paper_out", "Paper out"), (STATUS_COVER_OPEN, "cover_open", "Cover open"),
    (STATUS_NEAR_END, "paper_near_end", "Paper near end"), ("ok", "ready", "Ready"),
    ({1: 0x00, 2: 0xFF, 4: 0x00}, "unknown", "Unknown"),
])
def test_a_kiosks_printer_state_reaches_the_health_page_and_the_visitor(app, auth, clock, printers, behaviour,
                                                                          state, words):
    app.config.update(PRINTER_STATUS_TIMEOUT=1.0)
    set_printer(app, printers(behaviour).url)
    kiosk = app.test_client()
    enrol(kiosk, app)
    answer = beat(kiosk, "/kiosk/taraz").get_json()
    cannot_print = state in ("paper_out", "cover_open", "offline")
    assert answer["printer"] == state and answer["cannot_print"] is cannot_print
    page = kiosk.get("/kiosk/taraz?lang=en").get_data(as_text=True)
    notice = re.search(r'<p class="printer-notice" id="printer-notice" role="status"( hidden)?>', page)
    assert (notice.group(1) is None) is cannot_print  # shown before the tap only when it cannot print
    assert "number is shown on the screen, with a QR code" in page
    auth.create("head", "manager", "taraz")
    auth.login("head")
    row = health_row(auth.client, device_id(app, "kiosk"))
    assert f"state-{state}" in row and words in row
    if state == "unknown":
        assert "Ready" not in row


def test_a_printer_that_does_not_answer_is_offline(app, clock):
    from tests.printer.fake_printer import refused_url

    set_printer(app, refused_url())
    kiosk = app.test_client()
    enrol(kiosk, app)
    assert beat(kiosk, "/kiosk/taraz").get_json()["printer"] == "offline"
    assert 'id="printer-notice" role="status">' in kiosk.get("/kiosk/taraz").get_data(as_text=True)
