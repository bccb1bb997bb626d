"""Kiosk pages nobody touches, in Chromium with the app's clock moved: they follow opening, lunch and the
queue by themselves, and go back to the Kazakh start after the idle time."""
from __future__ import annotations

import pytest

from tests.kiosk.kiosk_server import ThreadServer, kiosk_page, load_seed_directory
from tests.realtime.servers import take_ticket

pytestmark = [pytest.mark.browser, pytest.mark.slow]

START_KK = "Қандай қызметке келдіңіз?"
LIVE = "window.kezekKiosk && window.kezekKiosk.connected && window.kezekKiosk.states >= 1"


@pytest.fixture
def server(app):
    app.config.update(KIOSK_CHECK_SECONDS=0.3, KIOSK_FALLBACK_SECONDS=2.0, KIOSK_IDLE_SECONDS=600.0)
    running = ThreadServer(app)
    yield running
    running.stop()


def untouched(page) -> None:
    """Mark the page so that a test can tell it was never reloaded."""
    page.evaluate("window.neverReloaded = true")


def test_a_closed_kiosk_opens_on_monday_stops_at_lunch_and_starts_again(browser, server, clock):
    clock.set_local(2026, 11, 29, 19, 30)  # Sunday evening
    foreign: list[str] = []
    start = kiosk_page(browser, server.url, foreign, viewport={"width": 1080, "height": 1920})
    start.goto(f"{server.url}/kiosk/taraz?lang=ru")
    service = kiosk_page(browser, server.url, foreign, viewport={"width": 1080, "height": 1920})
    service.goto(f"{server.url}/kiosk/taraz/service/social_assistance?lang=ru")
    for page in (start, service):
        page.wait_for_function(LIVE)
        untouched(page)
    assert "Выходной день" in start.locator(".kiosk-closed").inner_text()
    hand_in = service.get_by_role("button", name="Сдать документы")
    assert hand_in.is_disabled()

    clock.set_local(2026, 11, 30, 9, 0)  # Monday 09:00: nobody touches anything
    start.locator(".kiosk-closed").wait_for(state="detached", timeout=10_000)
    service.wait_for_function("!document.querySelector('.kind-card button').disabled", timeout=10_000)
    assert hand_in.is_enabled()

    clock.set_local(2026, 11, 30, 12, 40)
    start.get_by_text("Обеденный перерыв с 13:00").wait_for(timeout=10_000)
    clock.set_local(2026, 11, 30, 13, 0)
    start.get_by_text("Обеденный перерыв", exact=True).wait_for(timeout=10_000)
    service.wait_for_function("document.querySelector('.kind-card button').disabled", timeout=10_000)
    assert "Откроется сегодня в 14:00" in start.locator(".kiosk-closed").inner_text()

    clock.set_local(2026, 11, 30, 14, 0)
    start.locator(".kiosk-closed").wait_for(state="detached", timeout=10_000)
    service.wait_for_function("!document.querySelector('.kind-card button').disabled", timeout=10_000)
    for page in (start, service):
        assert page.evaluate("window.neverReloaded") is True
    # and a tap on the page that was closed on Sunday now gives a ticket
    hand_in.click()
    assert service.locator("#ticket-number").inner_text() == "A-001"
    assert foreign == []
    start.close()
    service.close()


def test_people_ahead_rise_on_an_untouched_service_page(browser, server):
    foreign: list[str] = []
    page = kiosk_page(browser, server.url, foreign, viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/kiosk/taraz/service/social_assistance?lang=ru")
    page.wait_for_function(LIVE)
    untouched(page)
    ahead = page.locator(".kind-card").first.locator(".kind-facts dd").first
    assert ahead.inner_text() == "0"
    take_ticket(server.url, "A", office="taraz")  # at another kiosk
    page.wait_for_function("document.querySelector('.kind-card .kind-facts dd').textContent === '1'",
                           timeout=10_000)
    take_ticket(server.url, "A", office="taraz")
    page.wait_for_function("document.querySelector('.kind-card .kind-facts dd').textContent === '2'",
                           timeout=10_000)
    assert page.evaluate("window.neverReloaded") is True
    assert foreign == []
    page.close()


def test_an_english_page_with_the_directory_open_returns_to_the_kazakh_start(browser, server, app):
    app.config["KIOSK_IDLE_SECONDS"] = 2.0
    load_seed_directory(app)
    foreign: list[str] = []
    page = kiosk_page(browser, server.url, foreign, viewport={"width": 1080, "height": 1920})
    page.goto(f"{server.url}/kiosk/taraz?lang=en&kiosk=main")
    page.locator(".kiosk-directory-button").click()
    page.wait_for_url("**/directory/kiosk/taraz?lang=en*")
    assert page.locator("h1.kiosk-title").inner_text() == "Directory of offices"
    page.wait_for_url(f"{server.url}/kiosk/taraz?kiosk=main", timeout=10_000)
    assert page.locator("h1.kiosk-title").inner_text() == START_KK
    assert page.locator("html").get_attribute("lang") == "kk"
    assert foreign == []
    page.close()
