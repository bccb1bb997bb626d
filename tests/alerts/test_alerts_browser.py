"""Alerts in Chromium against the app served in a thread, its clock moved (not waited): a visitor crossing 80 %
of their limit with every cabinet busy sounds an alert on the manager's floor and puts a note in the clerk's
console; it repeats after 5 minutes and stops once acknowledged; screenshots for the README."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Cabinet, User
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from tests.conftest import kind_by_prefix, office_by_slug
from tests.signing_in import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def server(app, serve_in_thread):
    """The test app (its clock settable) served by Werkzeug on 127.0.0.1, in a thread."""
    return serve_in_thread(app)


# A browser that refuses to play sound before the first tap on the page (Chromium's autoplay rule, in effect).
HOLD_SOUND = """
(() => {
  let tapped = false;
  document.addEventListener("click", () => { tapped = true; }, true);
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    return tapped ? play.call(this) : Promise.reject(new DOMException("held back", "NotAllowedError"));
  };
})();
"""


def sign_in(context, base, username):
    page = context.new_page()
    sign_in_page(page, base, username, "pass-1234")
    return page


def test_an_alert_sounds_notes_the_console_repeats_and_stops_when_acknowledged(browser, app, auth, clock, server):
    auth.create("aigul", "clerk", "demo")
    auth.create("mira", "manager", "demo")
    auth.create("erlan", "regional_manager", None)
    with app.app_context():
        session = kezek_db.session
        office = office_by_slug(session, "demo")
        cabinet = session.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "101"))
        user = session.scalar(select(User).where(User.username == "aigul"))
        clerk.set_cabinet_state(session, cabinet, user, "open", now=clock())  # the only open cabinet
        for _ in range(2):
            issue_ticket(session, office, kind_by_prefix(session, "A"), clock())
        clerk.call_next(session, cabinet, user, clock())  # busy with A-001; A-002 waits (limit 30 minutes)
        session.commit()
        office_id, cabinet_id = office.id, cabinet.id

    manager = browser.new_context(viewport={"width": 1280, "height": 900}, permissions=["notifications"],
                                  bypass_csp=True)
    floor = sign_in(manager, server, "mira")
    chimes = []
    floor.on("request", lambda r: chimes.append(r.url) if r.url.endswith("/sounds/chime.ogg") else None)
    floor.goto(f"{server}/reports/live/{office_id}")
    floor.wait_for_function("window.kezekFloor.connected && window.kezekFloor.checks >= 1")
    floor.evaluate("window.sameVisit = true")
    desk = browser.new_context(viewport={"width": 1100, "height": 800}, bypass_csp=True)
    console = sign_in(desk, server, "aigul")
    console.goto(f"{server}/console/{cabinet_id}")
    console.wait_for_function("window.kezekConsole.connected")
    assert console.locator("#console-alerts li").count() == 0
    region = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    region.add_init_script(HOLD_SOUND)
    grid = sign_in(region, server, "erlan")  # the regional manager's grid of offices
    grid_chimes = []
    grid.on("request", lambda r: grid_chimes.append(r.url) if r.url.endswith("/sounds/chime.ogg") else None)
    grid.goto(f"{server}/reports/live")
    grid.wait_for_function("window.kezekFloor.connected")

    start = clock.moment

    def check_at(minutes: int) -> None:
        """Move the app's clock to `minutes` after the start and have the floor check its alerts."""
        clock.moment = start + timedelta(minutes=minutes)
        before = floor.evaluate("window.kezekFloor.checks")
        floor.evaluate("window.kezekFloor.checkAlerts()")
        floor.wait_for_function(f"window.kezekFloor.checks > {before}")

    check_at(24)  # 24 of 30 minutes and cabinet 101 busy
    floor.wait_for_function("window.kezekFloor.sounds === 1")
    alert = floor.locator('#floor-alerts li[data-rule="near_limit"]')
    assert "A-002 has waited 24 of 30 minutes" in alert.inner_text()
    console.wait_for_function("document.querySelector('#console-alerts li')?.textContent.includes('open a cabinet for A')")
    console.screenshot(path=str(SHOTS / "console-alert.png"))
    grid.wait_for_function("window.kezekFloor.sounds === 1")  # the grid sounds for an alert in any office
    expect(grid.locator(f"#tile-{office_id} .tile-alerts")).to_contain_text("1")
    assert grid_chimes
    # This grid's browser holds sound back until a tap (as a browser may): it offers the button; a tap lets sound on.
    sound_on = grid.locator("#floor-sound")
    expect(sound_on).to_be_visible()
    sound_on.click()
    expect(sound_on).to_be_hidden()

    check_at(27)  # shown 3 minutes ago: not yet again
    assert floor.evaluate("window.kezekFloor.sounds") == 1
    check_at(29)  # 5 minutes after it was raised: again
    floor.wait_for_function("window.kezekFloor.sounds === 2")
    expect(floor.locator("#floor-alerts li.is-due")).to_have_count(1)
    floor.wait_for_function("document.querySelector('#floor-longest .value').textContent.trim() === '29 / 30'")
    assert "level-near" in floor.locator("#floor-longest").get_attribute("class")  # amber, as in the console
    floor.screenshot(path=str(SHOTS / "live-floor-alert.png"))

    floor.locator('#floor-alerts li[data-rule="near_limit"] button').click()
    floor.wait_for_function("document.querySelector('#floor-alerts li.is-acknowledged') !== null")
    console.wait_for_function("document.querySelector('#console-alerts li') === null")
    check_at(29 + 5)  # past the limit a breach is a new alert; the acknowledged one has ended
    assert floor.evaluate("window.kezekFloor.sounds") == 3
    expect(floor.locator('#floor-alerts li[data-rule="breach"]')).to_have_count(1)
    expect(floor.locator('#floor-alerts li[data-rule="near_limit"]')).to_have_count(0)
    assert len(chimes) >= 1 and floor.evaluate("window.sameVisit") is True
    assert floor.evaluate("window.kezekFloor.notified") >= 1
    manager.close()
    desk.close()
    region.close()
