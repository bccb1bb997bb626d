"""A manager opening the live floor, the compliance report, the alert record, annex 2, the staffing plan or the
wait-time log on a 360 px phone: the page never scrolls sideways (the menu wraps; a wide table scrolls inside
its own block)."""
from __future__ import annotations

import pytest

from tests.realtime.servers import take_ticket
from tests.reports.test_floor_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_report_pages_fit_a_360_px_phone(browser, live_server, lang):
    for prefix in "AABC":
        take_ticket(live_server.url, prefix, device=live_server.enrol())
    page = sign_in(browser, live_server, "manager", lang)
    page.set_viewport_size({"width": 360, "height": 740})
    widths = {}
    for path in ("/reports/live", "/reports/", "/reports/alerts", "/reports/annex2", "/reports/plan", "/reports/log"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        page.wait_for_load_state()
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == {path: 360 for path in widths}
