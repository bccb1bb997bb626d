"""First start of a production installation: a wizard creates the first administrator; demo mode never shows it."""
from __future__ import annotations

from sqlalchemy import select

from admin_helpers import AdminPages
from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry, Office, User


def test_a_fresh_installation_leads_to_the_wizard_and_it_creates_the_first_administrator(app, client):
    assert client.get("/admin/").headers["Location"].endswith("/admin/setup")
    assert client.get("/admin/users").headers["Location"].endswith("/admin/setup")
    assert "/admin/setup" in client.get("/?lang=en").get_data(as_text=True)
    page = client.get("/admin/setup?lang=en").get_data(as_text=True)
    assert "There are no default passwords" in page and page.count('name="offices"') == 12
    pages = AdminPages(client)
    refused = pages.submit("/admin/setup?lang=en", {"username": "aidos", "password": "short"})
    assert refused.status_code == 400 and "at least 8 characters" in refused.get_data(as_text=True)
    none_chosen = pages.submit("/admin/setup?lang=en", {"username": "aidos", "password": "long-enough-1",
                                                        "offices": None})
    assert none_chosen.status_code == 400
    with app.app_context():
        assert kezek_db.session.scalar(select(User)) is None
    answer = pages.submit("/admin/setup", {"username": "aidos", "display_name": "Aidos", "password": "long-enough-1",
                                           "offices": ["taraz", "shu", "region"]})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/admin/")
    assert client.get("/admin/?lang=en").status_code == 200  # signed in as the new administrator
    with app.app_context():
        session = kezek_db.session
        (user,) = session.scalars(select(User)).all()
        assert (user.username, user.role, user.office_id) == ("aidos", "admin", None)
        enabled = {o.slug: o.enabled for o in session.scalars(select(Office).where(Office.slug != "demo"))}
        assert enabled["taraz"] and enabled["shu"] and enabled["region"]
        assert not enabled["merki"] and sum(enabled.values()) == 3
        assert session.scalar(select(AuditEntry.action).where(AuditEntry.action == "admin.setup"))
    # The disabled Merki office has no kiosk now; the wizard is gone and sign-in works.
    assert client.get("/kiosk/merki").status_code == 404
    assert client.get("/admin/setup").headers["Location"].endswith("/login")
    assert "/admin/setup" not in app.test_client().get("/").get_data(as_text=True)


def test_a_demo_installation_shows_its_banner_and_no_wizard(app, client):
    app.config["DEMO"] = True
    assert client.get("/admin/").headers["Location"].startswith("/login")
    assert client.get("/admin/setup").headers["Location"].endswith("/login")
    for path in ("/?lang=en", "/login?lang=en", "/kiosk/taraz?lang=en"):
        assert "Demo installation" in client.get(path).get_data(as_text=True), path


def test_a_production_installation_has_no_demo_banner(client):
    assert "Demo installation" not in client.get("/?lang=en").get_data(as_text=True)
