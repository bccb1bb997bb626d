"""In Chromium: the setup wizard on a fresh production installation, then an office's administration page."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import LiveServer

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def fresh_server(tmp_path):
    """A production installation as the README's commands leave it: migrated and seeded, no account."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    server = LiveServer(folder)
    for command in ("init-db", "load-seed"):
        subprocess.run([server.kezek, command], env=server.env, check=True, capture_output=True)
    server.start()
    yield server
    server.stop()


def test_the_setup_wizard_creates_the_first_administrator_who_then_sets_up_an_office(browser, fresh_server):
    base = fresh_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 1100})
    external, problems = [], []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    page.goto(f"{base}/?lang=en")
    assert page.locator(".demo-banner").count() == 0  # a production installation, not a demo
    page.get_by_role("link", name="Set up this installation: create the first administrator").click()
    expect(page.get_by_role("heading", name="Setting up Kezek")).to_be_visible()
    offices = page.locator(".office-choices input[type=checkbox]")
    assert offices.count() == 12
    page.get_by_label("Username").fill("aidos")
    page.get_by_label("Full name").fill("Aidos Bekov")
    page.get_by_label("Password (at least 8 characters)").fill("steppe-2026")
    page.get_by_label("Merki district").uncheck()
    page.screenshot(path=str(SHOTS / "setup-wizard.png"), full_page=True)
    page.get_by_role("button", name="Create the administrator and enable the offices").click()

    expect(page.get_by_role("heading", name="Offices")).to_be_visible()
    assert "Aidos Bekov" in page.locator(".staff-header").inner_text()
    merki = page.get_by_role("row").filter(has_text="Merki district")
    expect(merki).to_have_class("disabled")

    page.get_by_role("link", name="Department of Employment and Social Programmes, Taraz city akimat").click()
    page.get_by_role("link", name="Add a cabinet").click()
    page.get_by_label("Cabinet number").fill("202")
    page.get_by_label("A · Hand in documents", exact=False).first.check()
    page.locator("fieldset.choices input[type=checkbox]").nth(1).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_role("link", name="202")).to_be_visible()
    page.screenshot(path=str(SHOTS / "admin-office.png"), full_page=True)

    page.get_by_role("link", name="Audit log").first.click()
    expect(page.locator("td", has_text="Added cabinet 202.")).to_be_visible()
    assert external == []
    assert problems == []
    page.close()
