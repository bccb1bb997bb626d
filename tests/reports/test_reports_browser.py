"""A manager opens the reports in Chromium, narrows the date range and downloads the log (the README's
screenshots are taken on the demo's own history: tests/app/test_demo_browser.py)."""
from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select

from kezek.models import Cabinet, Office, User
from kezek.sessions import session_factory
import kezek.reports.facts  # noqa: F401  (keeps wait records, as the app does)
from tests.reports.conftest import Builder
from tests.signing_in import sign_in_page

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ALMATY = ZoneInfo("Asia/Almaty")


def fill_demo(folder: Path) -> int:
    """Two weeks of demo-office tickets with varied waits; returns how many were issued in the last 3 days."""
    engine = create_engine(f"sqlite:///{folder / 'kezek.sqlite3'}")
    rng, recent = random.Random(6), 0
    today = datetime.now(ALMATY).date()
    with session_factory(engine)() as session:  # its flushes keep the wait records
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        cabinets = list(session.scalars(select(Cabinet).where(Cabinet.office_id == office.id).order_by(Cabinet.number)))
        clerk = session.scalar(select(User).where(User.username == "clerk"))
        builder = Builder(session)
        for back in range(14, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            for _ in range(12):
                prefix = rng.choice("AABCD")
                cabinet = cabinets[{"A": 0, "B": 0, "C": 1, "D": 2}[prefix]]
                issued = datetime.combine(day, datetime.min.time(), ALMATY).replace(hour=rng.choice([9, 10, 11, 14, 15, 16, 17]),
                                                                              minute=rng.randrange(60))
                issued = issued.astimezone(timezone.utc)
                called = issued + timedelta(minutes=rng.choice([2, 4, 6, 8, 9, 12, 15, 22, 28, 35]))
                builder.ticket(office, prefix, issued, calls=[(called, clerk, cabinet)], started=called + timedelta(minutes=1),
                               finished=called + timedelta(minutes=rng.randrange(4, 15)), documents_correct=prefix in "AC")
                recent += back <= 3
        session.commit()
    engine.dispose()
    return recent


def test_manager_reads_reports_and_downloads_the_log(browser, live_server, tmp_path):
    recent = fill_demo(live_server.folder)
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    external, problems = [], []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in_page(page, live_server.url, "manager", "manager")
    page.goto(f"{live_server.url}/reports/?lang=en")
    expect(page.locator("h1")).to_have_text("Compliance with the wait limits")
    expect(page.locator("canvas[data-chart=trend]")).to_be_visible()
    page.wait_for_function("document.querySelector('canvas[data-chart=trend]').chart !== undefined")
    all_days = int(page.locator('[data-figure="served"]').inner_text())
    assert all_days >= 100
    start = (datetime.now(ALMATY).date() - timedelta(days=3)).isoformat()
    page.fill("input[name=start]", start)
    page.get_by_role("button", name="Show").click()
    expect(page.locator('[data-figure="served"]')).to_have_text(str(recent))
    page.goto(f"{live_server.url}/reports/log?lang=en")
    expect(page.locator("#log tbody tr")).to_have_count(50)
    page.fill("input[name=start]", start)
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#log tbody tr")).to_have_count(recent)
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    saved = tmp_path / "log.csv"
    info.value.save_as(saved)
    rows = list(csv.reader(saved.open(encoding="utf-8-sig")))
    assert rows[0][2] == "Number" and len(rows) == recent + 1
    assert external == [] and problems == []
    page.close()
