"""A newcomer's first `kezek demo`: the manager's pages already show weeks of the demo office's past.

The demo is started as the README says (`kezek demo`, its default weeks of history), in a fresh
instance folder; the screenshots taken here are the README's manager screenshots.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.signing_in import sign_in_page

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def demo(tmp_path):
    """`kezek demo` running in a fresh instance folder, its history made on this first start."""
    kezek = str(Path(sys.executable).parent / "kezek")
    server = LiveServer(tmp_path, command=[kezek, "demo", "--port", "{port}"])
    server.start(wait_seconds=180)  # the history is made before the server listens
    yield server
    server.stop()


def test_a_first_demo_start_fills_every_managers_page_with_history(browser, demo):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    external, problems = [], []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(demo.url) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in_page(page, demo.url, "manager", "manager")

    page.goto(f"{demo.url}/reports/?lang=en")  # the last 30 days
    assert int(page.locator('[data-figure="served"]').inner_text()) >= 300
    assert int(page.locator('[data-figure="breaches"]').inner_text()) > 0  # the Monday rushes
    assert page.locator(".heat-cell").count() >= 20  # hours of several weekdays
    page.wait_for_function("document.querySelector('canvas[data-chart=trend]').chart !== undefined")
    trend_days = page.evaluate("document.querySelector('canvas[data-chart=trend]').chart.data.labels.length")
    assert trend_days >= 15  # working days of the last 30
    # the figures, the legal limits and the trend: the top of a long page
    page.screenshot(path=str(SHOTS / "reports-compliance.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": 1400, "height": 2000})

    page.goto(f"{demo.url}/reports/annex2?lang=en")
    values = page.locator('#annex2 [data-col="value"]').all_inner_texts()
    filled = [value for value in values if value.strip() not in ("", "—")]
    assert len(filled) >= 4  # waits, feedback and documents of the year so far
    satisfied = page.locator("#annex2 tr", has_text="satisfied with the quality of the service process")
    assert satisfied.locator('[data-col="value"]').inner_text().strip() not in ("", "—")  # the visitors' feedback
    page.screenshot(path=str(SHOTS / "reports-annex2.png"), full_page=True)

    page.goto(f"{demo.url}/reports/plan?lang=en")
    cells = page.locator("#plan-table td[data-cabinets]")
    cabinets = [int(cells.nth(i).get_attribute("data-cabinets")) for i in range(cells.count())]
    assert len(cabinets) >= 5 * 8 and min(cabinets) >= 1  # every open hour of the week, learned from the demo's weeks
    page.screenshot(path=str(SHOTS / "staffing-plan.png"), full_page=True)

    page.goto(f"{demo.url}/reports/log?lang=en")
    expect(page.locator("#log tbody tr")).to_have_count(50)  # the first page of a long log
    page.screenshot(path=str(SHOTS / "reports-log.png"))
    assert external == [] and problems == []
    page.close()
