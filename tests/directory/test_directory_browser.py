"""The directory in a real browser: search, open an entry, the kiosk's directory; screenshots for the docs."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.thread_server import local_page

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def server(loaded, serve_in_thread):
    """The real app served by Werkzeug on 127.0.0.1 at an ephemeral port, in a thread."""
    return serve_in_thread(loaded)


def test_search_and_open_an_entry(browser, server):
    foreign: list[str] = []
    page = local_page(browser, server, foreign, viewport={"width": 1100, "height": 900})
    page.goto(f"{server}/directory/?lang=ru")
    page.fill("input[name=q]", "мойынкум")  # ұ typed as у, on a Russian keyboard
    page.click("form[role=search] button")
    page.wait_for_url("**q=*")
    titles = page.locator(".dir-card h2").all_inner_texts()
    assert len(titles) == 2 and all("Мойын" in t or "Мойн" in t for t in titles)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "directory-search.png"), full_page=True)
    page.click(".dir-card.dir-department h2 a")
    page.wait_for_url("**/directory/department/moiynkum*")
    assert page.locator("a[href^='tel:+7']").count() >= 1
    assert "Акимат Мойынкумского района" in page.inner_text("main")
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 18
    page.screenshot(path=str(SHOTS / "directory-entry.png"), full_page=True)
    assert foreign == []


def test_the_kiosk_directory(browser, server, loaded):
    from kezek.extensions import db
    from tests.enrolment import enrol_browser, enrolment_code

    foreign: list[str] = []
    page = local_page(browser, server, foreign, viewport={"width": 1280, "height": 1024})
    with loaded.app_context():
        code = enrolment_code(db.session, "taraz", now=loaded.config["CLOCK"]())
        db.session.commit()
    enrol_browser(page, server, code)  # the browser is the office's kiosk
    page.goto(f"{server}/kiosk/taraz?lang=ru")
    page.click(".kiosk-directory-button")
    page.wait_for_url("**/directory/kiosk/taraz*")
    assert page.locator(".dir-kiosk-choice").count() == 23
    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 26
    page.screenshot(path=str(SHOTS / "kiosk-directory.png"))
    page.click(".dir-kiosk-own")
    assert "г. Тараз, ул. Достоевского, 14" in page.inner_text("main")  # the Russian form of the address
    assert foreign == []
