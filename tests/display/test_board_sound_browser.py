"""The board needs no hands: in Chromium started as docs/devices.md says it plays the chime and the
announcement of a call with nobody tapping; where the browser holds sound back, the numbers stay in
full view and a small note in the corner says so (screenshot for the README)."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.display.test_board_browser import AUTOPLAY_BLOCKED
from tests.realtime.servers import Clerk, take_ticket

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "img"
BOARD = "window.kezekBoard"


def documented_flags() -> list[str]:
    """The flags of the Chromium command line in docs/devices.md (its ```sh block starting `chromium`)."""
    text = (ROOT / "docs" / "devices.md").read_text(encoding="utf-8")
    line = next(block.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)
                if block.strip().startswith("chromium "))
    return [part for part in shlex.split(line) if part.startswith("--")]


@pytest.fixture
def server(tmp_path):
    running = LiveServer(tmp_path).prepare().start()
    yield running
    running.stop()


@pytest.fixture
def devices_browser(browser):
    """Chromium started with the flags docs/devices.md gives a hall TV (by the session's Playwright)."""
    flags = documented_flags()
    assert "--autoplay-policy=no-user-gesture-required" in flags and "--kiosk" in flags
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + flags)
    yield chromium
    chromium.close()


def test_the_board_plays_the_call_with_no_tap(devices_browser, server):
    page = devices_browser.new_page(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page.goto(f"{server.url}/display/demo")
    page.wait_for_function(f"{BOARD}.connected && {BOARD}.snapshots >= 1")
    take_ticket(server.url, "A")
    called = Clerk(server.url, "101").call()
    page.wait_for_function(f"document.querySelector('#calls-current .label')?.textContent === '{called}'")
    # nobody touched the page: the chime, then the Kazakh and the Russian announcement played to their end
    page.wait_for_function(f"{BOARD}.sounded.includes('/static/sounds/ru/cabinet.ogg')", timeout=20_000)
    sounded = page.evaluate(f"{BOARD}.sounded")
    assert sounded[0] == "/static/sounds/chime.ogg"
    assert "/static/sounds/kk/talon.ogg" in sounded and "/static/sounds/ru/talon.ogg" in sounded
    assert page.evaluate(f"{BOARD}.sound") == "on"
    assert page.locator("#board-sound").is_hidden()
    page.close()


def test_without_the_flag_the_numbers_show_and_a_corner_note_says_sound_is_off(browser, server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    page.add_init_script(AUTOPLAY_BLOCKED)  # headless Chromium never holds sound back; a TV's browser does
    page.goto(f"{server.url}/display/demo")
    page.wait_for_function(f"{BOARD}.connected && {BOARD}.snapshots >= 1")
    for prefix in "AAC":
        take_ticket(server.url, prefix)
    first = Clerk(server.url, "101").call()
    second = Clerk(server.url, "102").call()
    page.wait_for_function("document.querySelectorAll('#calls-current li').length === 2")
    note = page.locator("#board-sound")
    note.wait_for(state="visible")
    assert page.evaluate(f"{BOARD}.sound") == "blocked"
    assert "Дыбыс өшірулі" in note.inner_text() and "Звук выключен" in note.inner_text()

    # the note sits in the bottom right corner, small, and covers no number
    box = note.bounding_box()
    assert box["x"] + box["width"] >= 1920 * 0.9 and box["y"] >= 1080 * 0.9
    assert box["width"] * box["height"] < 1920 * 1080 * 0.02
    for label in (first, second):
        row = page.locator("#calls-current li", has_text=label)
        seen = page.evaluate("""(row) => { const r = row.getBoundingClientRect();
            return row.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }""",
                             row.element_handle())
        assert seen, f"{label} is covered"
    page.wait_for_timeout(5500)  # let the flashing settle for a calm picture
    page.screenshot(path=str(SHOTS / "board-no-sound.png"))

    note.click()  # someone with a remote or a finger turns the sound on
    note.wait_for(state="hidden")
    assert page.evaluate(f"{BOARD}.sound") == "on"
    page.close()
