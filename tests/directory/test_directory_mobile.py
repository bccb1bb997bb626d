"""The directory on a phone (360 × 740): no page scrolls sideways, the print view fits A4 portrait, and the
live state of an office changes on the open page when a ticket is taken."""
from __future__ import annotations

from pathlib import Path

import pytest
from tests.signing_in import sign_in_page

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
PHONE = {"width": 360, "height": 740}
A4_PRINTABLE_PX = 718  # 190 mm (A4 portrait less 10 mm margins) at 96 px per inch
ENTRIES = ["regional/region"] + [f"{kind}/{slug}" for kind in ("department", "akimat") for slug in (
    "taraz", "baizak", "merki", "ryskulov", "korday", "shu", "talas", "sarysu", "zhualy", "zhambyl", "moiynkum")]
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
    .map(e => e.tagName + '.' + e.className).slice(0, 5);
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""


@pytest.fixture
def server(loaded, serve_in_thread):
    """The real app served by Werkzeug on 127.0.0.1 at an ephemeral port, its pages fetching the feed every second."""
    loaded.config["DIRECTORY_LIVE_SECONDS"] = 1
    return serve_in_thread(loaded)


def _overflow(page, url: str) -> list:
    """[] when the page at `url` does not scroll sideways, else what sticks out."""
    page.goto(url)
    found = page.evaluate(OVERFLOW)
    return [] if found["scroll"] <= found["width"] else [(url.split("/", 3)[-1], found)]


def _fits(page, urls: list[str]) -> None:
    wide = [item for url in urls for item in _overflow(page, url)]
    assert wide == []


def test_every_directory_page_fits_a_360_px_phone(browser, server):
    page = browser.new_page(viewport=PHONE)
    _fits(page, [f"{server}/directory/?lang=kk", f"{server}/directory/?lang=ru", f"{server}/directory/?q=Тараз&lang=ru",
                 f"{server}/directory/?q=Мойынқұм&lang=en",
                 *(f"{server}/directory/{path}?lang={lang}" for path in ENTRIES for lang in ("kk", "ru")),
                 f"{server}/directory/regional/region?lang=en", f"{server}/directory/print?lang=kk",
                 f"{server}/directory/print?lang=ru", f"{server}/directory/kiosk/taraz?lang=kk",
                 f"{server}/directory/kiosk/taraz?lang=ru&q=Шу",
                 f"{server}/directory/kiosk/taraz/department/taraz?lang=ru",
                 f"{server}/directory/kiosk/taraz/regional/region?lang=kk",
                 f"{server}/directory/kiosk/taraz/akimat/moiynkum?lang=kk"])
    page.goto(f"{server}/directory/?q=Шу&lang=ru")
    assert page.locator(".dir-card").count() == 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "directory-phone.png"), full_page=True)
    page.close()


def test_the_edit_page_fits_a_360_px_phone(browser, server, loaded):
    from tests.directory.conftest import sign_in

    sign_in(loaded.test_client(), loaded, "dana", "admin")  # the account; the browser signs in itself
    page = browser.new_page(viewport=PHONE)
    sign_in_page(page, server, "dana", "pass-dana")
    _fits(page, [f"{server}/directory/{path}/edit?lang={lang}" for lang in ("kk", "ru")
                 for path in ("akimat/shu", "regional/region", "department/taraz", "department/moiynkum")])
    assert page.locator("form.dir-edit").count() == 1
    page.close()


def test_the_print_view_fits_a4_portrait(browser, server):
    page = browser.new_page(viewport={"width": A4_PRINTABLE_PX, "height": 1000})
    page.emulate_media(media="print")
    _fits(page, [f"{server}/directory/print?lang={lang}" for lang in ("kk", "ru", "en")])
    pdf = page.pdf(format="A4", margin={"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"})
    assert pdf.startswith(b"%PDF")
    page.close()


def test_the_live_state_changes_when_a_ticket_is_taken(browser, server, kiosk):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/directory/department/taraz?lang=en")
    first = page.locator('.dir-live [data-live="services"] span').first
    assert first.inner_text().startswith("Hand in documents: no one waiting")
    assert "Open now until 13:00" in page.locator('.dir-live [data-live="status"]').inner_text()
    kiosk.take("A")  # a visitor takes a ticket at the Taraz kiosk
    page.wait_for_function("() => document.querySelector('.dir-live [data-live=services] span')"
                           ".textContent.includes('1 waiting')", timeout=15000)
    assert "a newcomer waits about" in first.inner_text()
    page.locator(".dir-live").screenshot(path=str(SHOTS / "directory-live.png"))
    listing = browser.new_page(viewport=PHONE)
    listing.goto(f"{server}/directory/?lang=en")
    line = listing.locator('[data-live-office="taraz"] [data-live="services"] span').first
    assert "1 waiting" in line.inner_text()
    kiosk.take("A")
    listing.wait_for_function("() => document.querySelector('[data-live-office=taraz] [data-live=services] span')"
                              ".textContent.includes('2 waiting')", timeout=15000)
    assert page.evaluate("window.kezekDirectoryLive.fetched") >= 1
    page.close()
    listing.close()
