"""The clerk console driven by keys with a Russian keyboard layout in Chromium: every key works by its
physical place, whatever letter the layout gives, and wherever the focus is (a ticked checkbox too)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from kezek.models import Ticket
from tests.conftest import LiveServer
from tests.realtime.servers import take_ticket
from tests.signing_in import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
expect = pytest.importorskip("playwright.sync_api", reason="browser test: Playwright for Python is not installed").expect

# What each key gives with the Russian (ЙЦУКЕН) layout: the console must act on the key, not the letter.
RUSSIAN = {"KeyN": "т", "KeyF": "а", "KeyC": "с", "KeyU": "г", "KeyA": "ф", "Minus": "-",
           "Digit0": "0", "Enter": "Enter"}
VIRTUAL = {"Enter": 13, "Minus": 189}


@pytest.fixture
def server(tmp_path):
    running = LiveServer(tmp_path).prepare().start()
    yield running
    running.stop()


def press(cdp, code: str) -> None:
    """Press one physical key as Chromium does with the Russian layout on (trusted key events, real text)."""
    key = RUSSIAN[code]
    virtual = VIRTUAL.get(code) or ord(code[-1])
    down = {"type": "keyDown", "code": code, "key": key, "windowsVirtualKeyCode": virtual}
    if key == "Enter":
        down["text"] = "\r"
    else:
        down["text"] = key
    cdp.send("Input.dispatchKeyEvent", down)
    cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "code": code, "key": key, "windowsVirtualKeyCode": virtual})


def statuses(server) -> dict[str, tuple[str, bool | None, str | None]]:
    engine = create_engine(f"sqlite:///{server.folder / 'kezek.sqlite3'}")
    with engine.connect() as connection:
        rows = connection.execute(select(Ticket.prefix, Ticket.number, Ticket.status, Ticket.documents_correct,
                                         Ticket.outcome_note)).all()
    engine.dispose()
    return {f"{prefix}-{number:03d}": (status, correct, note) for prefix, number, status, correct, note in rows}


def current(page) -> str:
    return page.locator(".current-number").inner_text()


def test_a_clerk_with_a_russian_layout_works_the_console_by_keys(browser, server, tmp_path):
    shots = Path(os.environ.get("KEZEK_SCREENSHOTS") or tmp_path)  # set it to keep the screenshots
    for prefix in "AAAAA":
        take_ticket(server.url, prefix)
    page = browser.new_page(viewport={"width": 1100, "height": 1000})
    sign_in_page(page, server.url, "clerk", "clerk", "ru")
    page.goto(f"{server.url}/console/?lang=ru")
    page.locator("a.button", has_text="101").click()
    page.locator("button.action-open").click()
    page.locator("button.action-call").wait_for()
    expect(page.locator("#console-live")).to_have_text("Список обновляется автоматически.")
    cdp = page.context.new_cdp_session(page)
    rows = page.locator("section.queue tbody tr")
    assert rows.count() == 5
    # Every waiting row names its service, and the heading counts in Russian plural forms.
    assert all(rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(5))
    assert page.locator("section.queue h2").inner_text() == "5 посетителей ждут"

    # N (т): call next. The line under the number says why this visitor was called.
    press(cdp, "KeyN")
    page.wait_for_selector(".current-number")
    assert current(page) == "A-001"
    assert page.locator(".call-reason").inner_text() == "Самый ранний талон в очереди."
    page.screenshot(path=str(shots / "1-called.png"))

    # Tick "documents complete" with the mouse (the focus stays in the checkbox), then F (а): finish.
    page.locator("input[name=documents_correct]").click()
    assert page.evaluate("document.activeElement.name") == "documents_correct"
    press(cdp, "KeyF")
    page.wait_for_selector(".current-number", state="detached")
    assert statuses(server)["A-001"] == ("served", True, None)

    # N (т) calls A-002; a note typed, then N again from the page finishes and calls the next in one key.
    press(cdp, "KeyN")
    expect(page.locator(".current-number")).to_have_text("A-002")
    page.fill("input[name=note]", "Нет справки о доходах")
    page.locator(".current-label").click()  # the focus leaves the text field
    press(cdp, "KeyN")
    expect(page.locator(".current-number")).to_have_text("A-003")
    assert statuses(server)["A-002"] == ("served", False, "Нет справки о доходах")  # left unticked
    press(cdp, "KeyF")
    page.wait_for_selector(".current-number", state="detached")

    # C (с) jumps to the number field; the letter key types the Latin letter printed on it, as on the ticket.
    press(cdp, "KeyC")
    assert page.evaluate("document.activeElement.name") == "number"
    for code in ("KeyA", "Minus", "Digit0", "Digit0"):
        press(cdp, code)
    page.keyboard.type("5")
    assert page.locator("input.number-input").input_value() == "A-005"
    press(cdp, "Enter")
    expect(page.locator(".current-number")).to_have_text("A-005")
    assert page.locator(".call-reason").inner_text().startswith("Вызван по номеру")
    page.screenshot(path=str(shots / "2-by-number.png"))

    # Cancel asks why, then offers an undo for a minute: U (г) takes it back.
    page.locator("details.cancel summary").click()
    page.locator("details.cancel input[value=left]").check()
    page.locator("button.action-cancel").click()
    page.locator(".undo").wait_for()
    assert statuses(server)["A-005"] == ("cancelled", None, None)
    assert page.locator(".undo").inner_text().startswith("Талон A-005 отменён. Посетитель ушёл.")
    page.screenshot(path=str(shots / "3-cancelled.png"))
    press(cdp, "KeyU")
    expect(page.locator(".current-number")).to_have_text("A-005")
    assert statuses(server)["A-005"][0] == "called"
    expect(page.locator(".undo")).to_have_count(0)

    # A refused command says why: a transfer with no target chosen.
    page.locator("details.transfer summary").click()
    page.locator("button.action-transfer").click()
    page.locator(".refusal").wait_for()
    assert page.locator(".refusal").inner_text() == "Выберите вид приёма или кабинет, куда направить посетителя."

    # A newcomer shows in the list at once, pushed over the socket (the console no longer asks every 5 s).
    assert page.locator("section.queue h2").inner_text() == "1 посетитель ждёт"
    take_ticket(server.url, "A")
    expect(page.locator("section.queue h2")).to_have_text("2 посетителя ждут")
    page.screenshot(path=str(shots / "4-refused.png"), full_page=True)
    page.close()
