"""Devices in Chromium: enrolled by the link, reporting by themselves, the kiosk's printer notice; README screenshot."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from kezek.models import Device, Kiosk, make_engine
from tests.enrolment import enrol_browser, enrolment_code
from tests.printer.fake_printer import refused_url
from tests.signing_in import sign_in_page

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


def link_code(server, kiosk: str = "main", kind: str = "kiosk") -> str:
    from sqlalchemy.orm import Session

    engine = make_engine(server.database_url)
    try:
        with Session(engine) as session:
            code = enrolment_code(session, "demo", kiosk, kind)
            session.commit()
        return code
    finally:
        engine.dispose()


def reported_page(server, kind: str) -> str:
    engine = make_engine(server.database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(Device.last_page).where(Device.kind == kind)).scalar() or ""
    finally:
        engine.dispose()


def wait_until(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()


def test_enrolled_devices_report_by_themselves_and_the_kiosk_warns_before_the_tap(browser, live_server):
    engine = make_engine(live_server.database_url)
    with engine.begin() as connection:  # the demo kiosk's printer does not answer
        connection.execute(update(Kiosk).where(Kiosk.slug == "main").values(printer_url=refused_url()))
    engine.dispose()
    board = browser.new_page(viewport={"width": 1280, "height": 720})
    enrol_browser(board, live_server.url, link_code(live_server, kind="board"))
    assert board.url.endswith("/display/demo")
    assert wait_until(lambda: reported_page(live_server, "board")) == "/display/demo"

    kiosk = browser.new_page(viewport={"width": 1080, "height": 1920})
    enrol_browser(kiosk, live_server.url, link_code(live_server))
    assert kiosk.url.endswith("/kiosk/demo")
    # the heartbeat's answer shows the notice without a reload: the visitor knows before the tap
    expect(kiosk.locator("#printer-notice")).to_be_visible(timeout=15_000)
    assert "QR" in kiosk.locator("#printer-notice").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    kiosk.screenshot(path=str(SHOTS / "kiosk-printer-notice.png"))

    staff = browser.new_page(viewport={"width": 1400, "height": 900})
    sign_in_page(staff, live_server.url, "manager", "manager")
    staff.goto(f"{live_server.url}/devices/?lang=en")
    rows = staff.locator("tr[data-state=online]")
    assert rows.count() == 2
    assert "Offline" in staff.locator("tr[data-kind=kiosk]").first.inner_text()  # its printer
    staff.screenshot(path=str(SHOTS / "device-health.png"), full_page=True)
    for page in (board, kiosk, staff):
        page.close()
