"""The kiosk directory's search typed on the on-screen keyboard by tapping, in Chromium; screenshots for the README."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.kiosk.kiosk_server import ThreadServer, kiosk_page, load_seed_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
# 15 mm on a 21.5" 16:9 screen of 1080x1920 pixels: 1080 pixels span 21.5 * 9 / sqrt(337) inches.
MIN_KEY_PX = 15 / (21.5 * 25.4 * 9 / 337 ** 0.5 / 1080)
KAZAKH_LETTERS = set("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")


@pytest.fixture
def server(app):
    load_seed_directory(app)
    running = ThreadServer(app)
    yield running
    running.stop()


def tap_text(page, text: str) -> None:
    """Type `text` by tapping the visible keys, one after the other."""
    for char in text:
        if char == " ":
            page.locator("#osk .osk-space").click()
        else:
            page.locator(f"#osk .osk-key[data-key='{char}']:visible").click()


@pytest.mark.parametrize(("width", "height", "name"), [(1080, 1920, "portrait"), (1920, 1080, "landscape")])
def test_a_kazakh_search_typed_on_the_screen_finds_the_entry(browser, server, width, height, name):
    foreign: list[str] = []
    page = kiosk_page(browser, server.url, foreign, viewport={"width": width, "height": height}, has_touch=True)
    page.goto(f"{server.url}/directory/kiosk/taraz?lang=kk&kiosk=main")
    keyboard = page.locator("#osk")
    assert keyboard.is_hidden()
    page.locator("#dir-search").click()  # the visitor taps the search box
    keyboard.wait_for(state="visible")
    letters = set(page.locator("#osk .osk-layout:visible .osk-key").evaluate_all("keys => keys.map(k => k.dataset.key)"))
    assert letters == KAZAKH_LETTERS and len(letters) == 42
    widths = page.locator("#osk .osk-key:visible").evaluate_all(
        "keys => keys.map(k => k.getBoundingClientRect().width)")
    assert min(widths) >= MIN_KEY_PX, min(widths)

    tap_text(page, "жақсыгүл көшенов бөлімі")  # қ, ү, ө and і, tapped
    assert page.locator("#dir-search").input_value() == "жақсыгүл көшенов бөлімі"
    page.evaluate("window.scrollTo(0, document.getElementById('dir-search').getBoundingClientRect().top"
                  " + window.scrollY - 160)")
    page.screenshot(path=str(SHOTS / f"kiosk-keyboard-{name}.png"))
    page.locator("#osk .osk-enter").click()
    page.wait_for_url("**q=*")
    found = page.locator(".dir-kiosk-choice")
    assert found.count() == 1
    assert "Мойнқұм ауданының" in found.inner_text()

    # Russian letters are one tap away; erase takes back a wrong letter
    page.locator("#dir-search").click()
    page.locator("#dir-search").fill("")
    page.locator("#osk .osk-switch").click()
    assert set(page.locator("#osk .osk-layout:visible .osk-key").evaluate_all(
        "keys => keys.map(k => k.dataset.key)")) == set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    tap_text(page, "мойнкц")
    page.locator("#osk .osk-erase").click()
    tap_text(page, "ум")
    assert page.locator("#dir-search").input_value() == "мойнкум"
    assert foreign == []
    page.close()
