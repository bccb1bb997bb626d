"""Accessibility at the kiosk, in Chromium: axe-core's WCAG 2.1 AA checks on every kiosk, board and phone
page in Kazakh and Russian; the high-contrast view one tap away; the speaker reading the screen."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kiosk.kiosk_server import ThreadServer, kiosk_page, load_seed_directory
from tests.realtime.servers import take_ticket

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SHOTS = ROOT / "docs" / "img"
AXE_RUN = """async () => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + (n.failureSummary || "")) }));
}"""


@pytest.fixture
def server(app):
    load_seed_directory(app)
    running = ThreadServer(app)
    yield running
    running.stop()


def serious_findings(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kiosk_board_and_phone_pages_pass_wcag_21_aa(browser, server, lang):
    code = take_ticket(server.url, "A", office="taraz")
    pages = {
        "kiosk start": f"/kiosk/taraz?lang={lang}",
        "kiosk service": f"/kiosk/taraz/service/social_assistance?lang={lang}",
        "kiosk ticket": f"/kiosk/taraz/tickets/{code}?lang={lang}",
        "kiosk directory": f"/directory/kiosk/taraz?lang={lang}",
        "kiosk directory entry": f"/directory/kiosk/taraz/department/moiynkum?lang={lang}",
        "board": f"/display/taraz?lang={lang}",
        "phone": f"/t/{code}?lang={lang}",
    }
    foreign: list[str] = []
    found = {}
    for name, path in pages.items():
        for view in ("default", "high contrast"):
            if view == "high contrast" and not name.startswith("kiosk"):
                continue
            page = kiosk_page(browser, server.url, foreign, viewport={"width": 1080, "height": 1920})
            page.goto(server.url + path)
            page.wait_for_load_state("networkidle")
            if view == "high contrast":
                page.locator("#view-toggle").click()
            findings = serious_findings(page)
            if findings:
                found[f"{name} ({view})"] = findings
            page.close()
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
    assert foreign == []


def test_high_contrast_is_one_tap_away_and_ends_with_the_visitor(browser, server, app):
    app.config["KIOSK_IDLE_SECONDS"] = 8.0
    foreign: list[str] = []
    page = kiosk_page(browser, server.url, foreign, viewport={"width": 1080, "height": 1920})
    page.goto(f"{server.url}/kiosk/taraz?lang=ru")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="Крупный шрифт").click()  # one tap
    assert page.evaluate("document.documentElement.classList.contains('hc')")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= size * 1.25
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.get_by_text("Назначение государственной адресной социальной помощи").click()
    page.wait_for_url("**/service/social_assistance*")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.classList.contains('hc')")  # it stays while the visitor taps
    page.goto(f"{server.url}/kiosk/taraz?lang=ru")
    page.screenshot(path=str(SHOTS / "kiosk-high-contrast.png"))
    # the next visitor gets the ordinary view: back at the start after the idle time, without it
    page.wait_for_url(f"{server.url}/kiosk/taraz", timeout=30_000)
    page.wait_for_function("!document.documentElement.classList.contains('hc')", timeout=15_000)
    assert foreign == []
    page.close()


@pytest.mark.parametrize(("lang", "first"), [("kk", "/static/sounds/speech/kk/"), ("ru", "/static/sounds/speech/ru/")])
def test_the_speaker_reads_the_choices_from_the_apps_recordings(browser, server, lang, first):
    foreign: list[str] = []
    page = kiosk_page(browser, server.url, foreign, viewport={"width": 1080, "height": 1920})
    page.goto(f"{server.url}/kiosk/taraz/service/social_assistance?lang={lang}")
    urls = page.evaluate("JSON.parse(document.getElementById('kiosk-speech').dataset.urls)")
    # the service, then each visit kind with the people ahead (a number read with the board's fragments)
    assert len(urls) >= 6 and all(url.startswith("/static/sounds/") for url in urls)
    assert urls[0].startswith(first) and f"/static/sounds/{lang}/0.ogg" in urls
    page.locator("#read-aloud").click()
    page.wait_for_function(f"window.kezekKiosk.spoken.length === {len(urls)}", timeout=60_000)
    assert page.evaluate("window.kezekKiosk.spoken") == urls
    assert foreign == []
    page.close()
