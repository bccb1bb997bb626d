"""The board in Chromium against a real server: live calls, a recall, a server restart; screenshots for the docs.

Calls are made through the clerk console's HTTP commands, so the publish comes from the server process.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
import requests

from tests.conftest import LiveServer
from tests.realtime.servers import Clerk, take_ticket

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
BOARD = "window.kezekBoard"
# Pages are opened with bypass_csp because Playwright's wait_for_function evaluates strings in the page.
# Headless Chromium plays sound without a tap; this makes it behave like a TV's browser that waits for one.
AUTOPLAY_BLOCKED = """
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  constructor() { super(); this.blocked = true; this.suspend(); }
  resume() {
    if (this.blocked && !navigator.userActivation.isActive) return Promise.reject(new DOMException("", "NotAllowedError"));
    this.blocked = false;
    return super.resume();
  }
};
"""


# gunicorn is what `kezek serve` runs; waitress is its fallback on Windows (Socket.IO on long-polling).
@pytest.fixture(params=["gunicorn", "waitress"])
def server(tmp_path, request):
    running = LiveServer(tmp_path, {"KEZEK_SERVER": request.param}).prepare().start()
    # The Socket.IO handshake says which server answers: gunicorn offers the WebSocket upgrade, waitress
    # (which cannot hand a connection over) keeps every page on long-polling.
    handshake = requests.get(f"{running.url}/socket.io/?EIO=4&transport=polling", timeout=30).text
    assert ('"upgrades":["websocket"]' if request.param == "gunicorn" else '"upgrades":[]') in handshake
    yield running
    running.stop()


def current_labels(page) -> list[str]:
    return page.locator("#calls-current .label").all_inner_texts()


def test_the_board_calls_live_and_recovers_after_a_server_restart(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(server.url) else None)
    page.add_init_script(AUTOPLAY_BLOCKED)
    page.goto(f"{server.url}/display/demo")
    page.wait_for_function(f"{BOARD}.connected && {BOARD}.snapshots >= 1")
    # Without sound until someone taps: the board asks once, on set-up.
    sound = page.locator("#board-sound")
    sound.wait_for(state="visible")
    sound.click()
    sound.wait_for(state="hidden")

    for prefix in "AABCCD":
        take_ticket(server.url, prefix, device=server.enrol())
    page.wait_for_function("document.querySelector('#waiting-list .count').textContent === '3'")

    clerk = Clerk(server.url, "101")
    first = clerk.call()
    page.wait_for_function(f"document.querySelector('#calls-current .label')?.textContent === '{first}'")
    assert page.locator("#calls-current li").first.get_attribute("class") == "is-new"
    page.wait_for_function(f"{BOARD}.announced.length === 1")
    clerk.recall()
    page.wait_for_function(f"{BOARD}.announced.length === 2")
    announced = page.evaluate(f"{BOARD}.announced[1]")
    assert announced[0] == ["/static/sounds/chime.ogg"] and announced[1][-1] == "/static/sounds/kk/cabinet.ogg"

    server.stop()
    page.wait_for_function(f"!{BOARD}.connected")
    expect(page.locator("#board-offline")).to_be_visible()
    snapshots = page.evaluate(f"{BOARD}.snapshots")
    server.start()  # the same port, as after a service manager's restart
    page.wait_for_function(f"{BOARD}.connected && {BOARD}.snapshots > {snapshots}", timeout=20_000)
    expect(page.locator("#board-offline")).to_be_hidden()
    second = clerk.call_next()
    page.wait_for_function(f"document.querySelector('#calls-current .label')?.textContent === '{second}'")
    assert first in page.locator("#calls-recent").inner_text()

    Clerk(server.url, "102").call()
    Clerk(server.url, "103").call()
    page.wait_for_function("document.querySelectorAll('#calls-current li').length === 3")
    page.wait_for_timeout(5500)  # let the flashing settle for a calm picture
    page.screenshot(path=str(SHOTS / "board.png"))
    assert foreign == []
    page.close()


def test_the_phone_page_turns_to_the_cabinet_when_called(browser, server):
    take_ticket(server.url, "A", device=server.enrol())
    code = take_ticket(server.url, "A", device=server.enrol())
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                            bypass_csp=True)
    page.goto(f"{server.url}/t/{code}?lang=ru")
    page.wait_for_function("window.kezekPhone.connected")
    assert "Перед вами: 1" in page.inner_text("body")
    assert "A-001" not in page.inner_text("body")
    page.screenshot(path=str(SHOTS / "phone-waiting.png"))
    page.locator("#phone-alerts").click()
    clerk = Clerk(server.url, "102")  # serves A and C only
    assert clerk.call() == "A-001"
    page.wait_for_function("document.getElementById('ahead').textContent.includes(': 0')")
    assert clerk.call_next() == "A-002"
    page.wait_for_function("window.kezekPhone.status === 'called'")
    assert page.locator("#cabinet-big").inner_text() == "102"
    assert page.evaluate("window.kezekPhone.alerts") == 1
    page.screenshot(path=str(SHOTS / "phone-called.png"))
    clerk.recall()
    page.wait_for_function("window.kezekPhone.alerts === 2")
    page.close()
