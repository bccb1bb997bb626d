"""A manager opens the demo office's staffing plan in Chromium from the reports menu: table and heat map
(the README's screenshot is taken on the demo's own history: tests/app/test_demo_browser.py)."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select, update

from kezek.models import Office
from kezek.sessions import session_factory
from tests.planning.history import write_history
from tests.signing_in import sign_in_page

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ALMATY = ZoneInfo("Asia/Almaty")


def test_manager_reads_next_week_s_staffing_plan(browser, tmp_path):
    from tests.conftest import LiveServer

    folder = tmp_path / "live"
    folder.mkdir()
    server = LiveServer(folder, env={"KEZEK_PLAN_SEEDS": "12"}).prepare()
    engine = create_engine(server.database_url)
    today = datetime.now(ALMATY).date()
    with session_factory(engine)() as session:
        session.execute(update(Office).where(Office.slug == "demo").values(timezone="Asia/Almaty"))
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        write_history(session, office, today - timedelta(weeks=4), today - timedelta(days=1))
    engine.dispose()
    server.start()
    try:
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        external = []
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server.url) else None)
        sign_in_page(page, server.url, "manager", "manager")
        page.goto(f"{server.url}/reports/?lang=en")
        page.locator(".reports-nav").get_by_role("link", name="Staffing plan").click()
        expect(page.locator("h1")).to_have_text("Staffing plan")
        monday = page.locator("#plan-table tbody tr").first
        expect(monday.locator("td[data-cabinets]")).to_have_count(8)  # 09:00 to 18:00 but the lunch hour
        expect(page.locator("#plan-heat td.heat-cell")).to_have_count(5 * 8)
        assert external == []
    finally:
        server.stop()
