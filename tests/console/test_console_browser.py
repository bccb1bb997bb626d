"""The clerk console and the board side by side in Chromium against a real server; a screenshot for the docs."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.realtime.servers import take_ticket
from tests.signing_in import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def server(tmp_path):
    running = LiveServer(tmp_path).prepare().start()
    yield running
    running.stop()


def test_a_call_made_in_the_console_shows_on_the_board_beside_it(browser, server):
    for prefix in "AABA":
        take_ticket(server.url, prefix, device=server.enrol())
    board = browser.new_page(viewport={"width": 960, "height": 1080}, bypass_csp=True)
    board.goto(f"{server.url}/display/demo")
    board.wait_for_function("window.kezekBoard.connected && window.kezekBoard.snapshots >= 1")

    console = browser.new_page(viewport={"width": 960, "height": 1080}, bypass_csp=True)
    foreign = []
    console.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(server.url) else None)
    sign_in_page(console, server.url, "clerk", "clerk", "ru")
    console.goto(f"{server.url}/console/?lang=ru")
    console.locator("a.button", has_text="101").click()
    console.locator("button.action-open").click()
    console.locator("button.action-call").wait_for()
    assert console.locator("section.queue tbody tr").count() == 4  # cabinet 101 takes both A and B

    console.keyboard.press("n")  # the console's key for "Call next"
    number = console.locator(".current-number")
    number.wait_for()
    called = number.inner_text()
    board.wait_for_function(f"document.querySelector('#calls-current .label')?.textContent === '{called}'")
    assert "101" in board.locator("#calls-current li").first.inner_text()
    expect(console.locator("button.action-recall")).to_be_visible()
    expect(console.locator("section.queue tbody tr")).to_have_count(3)

    take_ticket(server.url, "A", device=server.enrol())  # a newcomer shows in the console's list by itself
    console.wait_for_function("document.querySelector('section.queue h2').textContent.includes('4')", timeout=10_000)
    console.screenshot(path=str(SHOTS / "console.png"))
    assert foreign == []
    board.close()
    console.close()
