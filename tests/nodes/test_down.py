"""Down-sync: the office's settings changed at the centre reach its node, in one piece, when the line is back; a
setting changed at both ends keeps the centre's value, and the node's administrators see the conflict."""
from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry, Office
from kezek.nodes.down import CONFLICT
from kezek.nodes.sender import LinkDown
from kezek.seeding import create_user
from tests.conftest import CSRF


def _office(session) -> Office:
    return session.scalar(select(Office).where(Office.slug == "demo"))


def _at_node(node_app, **changes) -> dict:
    """Change the node's demo office (when `changes` are given); its recalls, English name and Monday's closing."""
    with node_app.app_context():
        office = _office(kezek_db.session)
        for name, value in changes.items():
            setattr(office, name, value)
        kezek_db.session.commit()
        monday = next(hours for hours in office.hours if hours.weekday == 0)
        return {"recalls": office.recalls_before_no_show, "name_en": office.name_en, "closes": monday.closes}


def test_a_setting_changed_at_the_centre_while_the_node_was_offline_reaches_it_when_it_is_back(
        node_app, db, sender):
    ship, link = sender
    assert ship.ship_once() == "idle"  # the node takes the centre's settings as they are
    link.down = True
    office = _office(db)
    office.recalls_before_no_show = 3
    next(hours for hours in office.hours if hours.weekday == 0).closes = time(16, 30)
    db.commit()
    with pytest.raises(LinkDown):
        ship.ship_once()
    assert _at_node(node_app)["recalls"] != 3  # nothing reaches a node whose line is down
    link.down = False
    assert ship.ship_once() == "idle"
    now = _at_node(node_app)
    assert now["recalls"] == 3 and now["closes"] == time(16, 30)  # both, in one transaction
    posts = link.posts
    assert ship.ship_once() == "idle" and link.posts == posts + 1  # the same version is not sent again


def test_a_setting_changed_at_both_ends_keeps_the_centres_value_and_the_conflict_is_shown(
        node_app, db, sender):
    ship, link = sender
    assert ship.ship_once() == "idle"
    _at_node(node_app, recalls_before_no_show=2, name_en="Demo office, node")  # the office's administrator
    office = _office(db)
    office.recalls_before_no_show = 4  # the region's administrator, meanwhile
    db.commit()
    assert ship.ship_once() == "idle"
    now = _at_node(node_app)
    assert now["recalls"] == 4  # changed at both: the centre is the last writer
    assert now["name_en"] == "Demo office, node"  # changed only at the office: it stays
    with node_app.app_context():
        session = kezek_db.session
        conflicts = list(session.scalars(select(AuditEntry).where(AuditEntry.action == CONFLICT)))
        assert [entry.detail["changes"] for entry in conflicts] == [{"recalls_before_no_show": [2, 4]}]
        create_user(session, "nodeadmin", "pass-1234", "admin", None)
        session.commit()
    browser = node_app.test_client()
    token = CSRF.search(browser.get("/login").get_data(as_text=True)).group(1)
    assert browser.post("/login", data={"username": "nodeadmin", "password": "pass-1234",
                                        "csrf_token": token}).status_code == 302
    page = browser.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "the centre&#39;s change is kept" in page and "Recalls before a no-show" in page
    create_user(db, "nodeadmin", "pass-1234", "admin", None)  # staff accounts are set up alike at both ends
    db.commit()
    assert ship.ship_once() == "sent"  # the conflict travels to the centre's audit log too
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == CONFLICT)) is not None
