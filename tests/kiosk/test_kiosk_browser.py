"""A visitor taps through the real kiosk in Chromium and gets a ticket; screenshots for the README."""
from __future__ import annotations

from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.mark.parametrize(("width", "height", "name"), [(1080, 1920, "portrait"), (1920, 1080, "landscape")])
def test_three_taps_to_a_ticket(browser, live_server, width, height, name):
    page = browser.new_page(viewport={"width": width, "height": height})
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/kiosk/demo")
    assert page.locator("h1.kiosk-title").inner_text() == "Қандай қызметке келдіңіз?"
    page.screenshot(path=str(SHOTS / f"kiosk-start-{name}.png"))
    page.get_by_role("link", name="Русский").click()  # optional language tap
    page.get_by_text("Назначение государственной адресной социальной помощи").click()  # tap 1
    expect(page.get_by_text("Подготовьте эти документы")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"kiosk-service-{name}.png"))
    page.get_by_role("button", name="Сдать документы").click()  # tap 2
    number = page.locator("#ticket-number")
    expect(number).to_have_text("A-001")
    expect(page.locator(".ticket-qr svg")).to_be_visible()
    expect(page.locator("#print-note")).to_have_attribute("data-state", "sent", timeout=10_000)
    page.screenshot(path=str(SHOTS / f"kiosk-ticket-{name}.png"))
    page.get_by_role("link", name="Готово").click()  # back to the start for the next visitor, in Kazakh
    assert page.locator("h1.kiosk-title").inner_text() == "Қандай қызметке келдіңіз?"
    assert external == []
    assert problems == []  # e.g. nothing refused by the content security policy
    page.close()
