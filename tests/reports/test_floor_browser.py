"""The manager's live floor in Chromium against a real server: a kiosk ticket, a call and a pause appear
without a reload; screenshots for the README."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.realtime.servers import take_ticket
from tests.signing_in import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


def sign_in(browser, server, username: str, lang: str = "en"):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
    sign_in_page(page, server.url, username, username, lang)
    return page


def test_a_manager_sees_a_kiosk_ticket_a_call_and_a_pause_appear_without_a_reload(browser, live_server):
    server = live_server
    floor = sign_in(browser, server, "manager")
    foreign = []
    floor.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(server.url) else None)
    floor.goto(f"{server.url}/reports/live")  # the office's manager lands on their own office's floor
    floor.wait_for_function("window.kezekFloor && window.kezekFloor.connected")
    floor.evaluate("window.sameVisit = true")  # gone if the page were loaded again
    assert floor.locator("#floor-waiting").inner_text() == "0"

    take_ticket(server.url, "A", device=server.enrol())
    floor.wait_for_function("document.querySelector('#floor-waiting').textContent === '1'")
    assert floor.locator('tr[data-prefix="A"] td.count').inner_text() == "1"

    console = sign_in(browser, server, "clerk")
    console.goto(f"{server.url}/console/")
    console.locator("a.button", has_text="101").click()
    console.locator("button.action-open").click()
    console.locator("button.action-call").click()
    console.locator(".current-number").wait_for()
    row = floor.locator('tr[data-cabinet="101"]')
    floor.wait_for_function("document.querySelector('tr[data-cabinet=\"101\"] td.visitor').textContent.includes('A-001')")
    assert "Open" in row.locator("td.state").inner_text()
    assert floor.locator("#floor-waiting").inner_text() == "0"

    console.locator("button.action-start").click()
    floor.wait_for_function("document.querySelector('tr[data-cabinet=\"101\"] td.visitor').textContent.includes('being served')")
    console.locator(".badge.serving").wait_for()
    console.locator("button.action-pause").click()
    floor.wait_for_function("document.querySelector('tr[data-cabinet=\"101\"] td.state').textContent.includes('Paused')")
    assert "back at" in row.locator("td.state").inner_text()

    for prefix in "BBCAD":
        take_ticket(server.url, prefix, device=server.enrol())
    floor.wait_for_function("document.querySelector('#floor-waiting').textContent === '5'")
    assert floor.evaluate("window.sameVisit") is True
    assert foreign == []
    floor.screenshot(path=str(SHOTS / "live-floor.png"), full_page=True)
    console.close()
    floor.close()

    grid = sign_in(browser, server, "admin")  # regional staff: every office as a tile
    grid.goto(f"{server.url}/reports/live")
    grid.wait_for_function("window.kezekFloor && window.kezekFloor.connected")
    demo = grid.locator(".floor-tile", has_text="Demo")
    assert demo.locator(".tile-waiting").inner_text() == "5"
    take_ticket(server.url, "A", device=server.enrol())
    grid.wait_for_function("[...document.querySelectorAll('.floor-tile')].some("
                           "(tile) => tile.textContent.includes('Demo') && tile.querySelector('.tile-waiting').textContent === '6')")
    grid.screenshot(path=str(SHOTS / "live-floor-regional.png"))
    demo.click()
    grid.locator("#floor").wait_for()
    assert grid.locator("#floor-waiting").inner_text() == "6"
    grid.close()
