"""Down-sync of everything the region owns: services, visit kinds and their limits, calendar days, the directory and
the office's staff accounts changed at the centre while the node was offline reach it when it is back, in one
transaction (a failure half-way leaves the old version whole), and at the node those pages are read-only."""
from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry, CalendarDay, CentreLink, DirectoryEntry, Office, User, VisitKind, utcnow
from kezek.nodes import down_staff
from kezek.nodes.down import CONFLICT
from kezek.nodes.sender import LinkDown
from kezek.seeding import create_user
from tests.conftest import CSRF

HOLIDAY = date(2026, 12, 16)


def _office(session) -> Office:
    return session.scalar(select(Office).where(Office.slug == "demo"))


def _sign_in(client, username: str, password: str = "pass-1234") -> int:
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token}).status_code


def _node_state(node_app) -> dict:
    """What the node has of the region's data now."""
    with node_app.app_context():
        session = kezek_db.session
        session.expire_all()
        office = _office(session)
        kind = session.scalar(select(VisitKind).order_by(VisitKind.id))
        day = session.scalar(select(CalendarDay).where(CalendarDay.office_id == office.id, CalendarDay.day == HOLIDAY))
        entry = session.scalar(select(DirectoryEntry).where(DirectoryEntry.kind == "department",
                                                            DirectoryEntry.district == "demo"))
        users = {user.username: user.active for user in session.scalars(select(User))}
        return {"limit": kind.wait_limit_minutes, "service": kind.service.name_en, "recalls": office.recalls_before_no_show,
                "holiday": (day.closed, day.note) if day else None, "directory": entry.street if entry else None,
                "users": users, "version": session.get(CentreLink, 1).down_version}


def _change_at_centre(db) -> None:
    office = _office(db)
    kind = db.scalar(select(VisitKind).order_by(VisitKind.id))
    kind.wait_limit_minutes = 25
    kind.service.name_en = "Targeted assistance (renamed)"
    office.recalls_before_no_show = 3
    db.add(CalendarDay(office_id=office.id, day=HOLIDAY, closed=True, note="Independence Day, moved"))
    db.add(DirectoryEntry(kind="department", district="demo", name_kk="Демо бөлімі", street="Abay 1",
                          created_at=utcnow()))
    db.scalar(select(User).where(User.username == "nodeclerk")).active = False
    create_user(db, "newclerk", "pass-5678", "clerk", office)
    db.commit()


def _sync(ship) -> str:
    """Ship what waits (sign-ins are audited, and travel up), then take the centre's data: the round's last state."""
    while (state := ship.ship_once()) == "sent":
        pass
    return state


def test_what_the_centre_changed_while_the_node_was_offline_reaches_it_when_it_is_back(node_app, db, sender):
    ship, link = sender
    assert ship.ship_once() == "idle"  # the node takes the centre's data as it is
    before = _node_state(node_app)
    browser = node_app.test_client()
    assert _sign_in(browser, "nodeclerk") == 302  # the clerk works at the node
    link.down = True
    _change_at_centre(db)
    with pytest.raises(LinkDown):
        ship.ship_once()
    assert _node_state(node_app) == before  # nothing reaches a node whose line is down
    link.down = False
    assert _sync(ship) == "idle"
    now = _node_state(node_app)
    assert now["limit"] == 25 and now["service"] == "Targeted assistance (renamed)" and now["recalls"] == 3
    assert now["holiday"] == (True, "Independence Day, moved")
    assert now["directory"] == "Abay 1"
    assert now["users"]["nodeclerk"] is False and now["users"]["newclerk"] is True
    assert now["version"] != before["version"]
    # The clerk disabled at the centre is signed out at the node and cannot sign in again; the new one can.
    assert browser.get("/console/").status_code in (302, 401, 403)
    assert _sign_in(node_app.test_client(), "nodeclerk") == 401  # refused
    assert _sign_in(node_app.test_client(), "newclerk", "pass-5678") == 302
    posts = link.posts
    assert _sync(ship) == "idle" and link.posts <= posts + 3  # the same version is not taken again


def test_a_failure_half_way_through_applying_leaves_the_old_version_whole(node_app, db, sender, monkeypatch):
    ship, link = sender
    assert ship.ship_once() == "idle"
    before = _node_state(node_app)
    _change_at_centre(db)

    def broken(*_args):
        raise ValueError("the disk filled up half-way")

    monkeypatch.setattr(down_staff, "take_staff", broken)  # after the settings, services and directory were written
    with pytest.raises(LinkDown, match="could not be applied"):
        ship.ship_once()
    assert _node_state(node_app) == before  # neither the limit nor the settings nor the version: nothing
    monkeypatch.undo()
    assert ship.ship_once() == "idle"  # asked again at the next round, and taken whole
    assert _node_state(node_app)["limit"] == 25 and _node_state(node_app)["users"]["nodeclerk"] is False


def test_a_calendar_day_changed_at_both_ends_keeps_the_centres_and_the_conflict_is_shown(node_app, db, sender):
    ship, link = sender
    assert ship.ship_once() == "idle"
    other = date(2026, 12, 30)
    with node_app.app_context():  # the office's administrator, while the line was down
        session = kezek_db.session
        office_id = _office(session).id
        session.add(CalendarDay(office_id=office_id, day=HOLIDAY, closed=True, note="heating repair"))
        session.add(CalendarDay(office_id=office_id, day=other, closed=False, opens=time(9), closes=time(13)))
        session.commit()
    office = _office(db)  # the region's administrator, meanwhile, the same date
    db.add(CalendarDay(office_id=office.id, day=HOLIDAY, closed=False, opens=time(10), closes=time(14), note="short"))
    db.commit()
    assert ship.ship_once() == "idle"
    with node_app.app_context():
        session = kezek_db.session
        days = {row.day: row for row in session.scalars(select(CalendarDay).where(CalendarDay.office_id == office_id))}
        assert days[HOLIDAY].closed is False and days[HOLIDAY].note == "short"  # the centre is the last writer
        assert days[other].closes == time(13)  # changed only at the office: it stays
        conflict = session.scalar(select(AuditEntry).where(AuditEntry.action == CONFLICT))
        assert conflict.detail["changes"] == {
            f"calendar {HOLIDAY}": [[str(HOLIDAY), True, None, None, "heating repair"],
                                    [str(HOLIDAY), False, "10:00", "14:00", "short"]]}
        create_user(session, "nodeadmin", "pass-1234", "admin", None)
        session.commit()
    browser = node_app.test_client()
    assert _sign_in(browser, "nodeadmin") == 302
    page = browser.get("/admin/audit?lang=en").get_data(as_text=True)
    assert f"Own calendar, {HOLIDAY}" in page and "closed (heating repair)" in page and "10:00–14:00 (short)" in page


def test_at_a_node_the_regions_services_and_staff_are_read_only_and_the_pages_say_so(node_app, db, sender):
    ship, _link = sender
    assert ship.ship_once() == "idle"
    with node_app.app_context():
        session = kezek_db.session
        create_user(session, "nodeadmin", "pass-1234", "admin", None)
        session.commit()
        kind = session.scalar(select(VisitKind).order_by(VisitKind.id))
        kind_id, limit = kind.id, kind.wait_limit_minutes
    browser = node_app.test_client()
    assert _sign_in(browser, "nodeadmin") == 302
    page = browser.get(f"/admin/kinds/{kind_id}?lang=en").get_data(as_text=True)
    assert "change them there" in page
    token = CSRF.search(page).group(1)
    answer = browser.post(f"/admin/kinds/{kind_id}?lang=en", data={"csrf_token": token, "wait_limit_minutes": "5"})
    assert answer.status_code == 409 and "from the regional centre" in answer.get_data(as_text=True)
    with node_app.app_context():
        assert kezek_db.session.get(VisitKind, kind_id).wait_limit_minutes == limit  # nothing changed
    assert browser.get("/admin/users?lang=en").get_data(as_text=True).count("change them there") == 1
    with node_app.app_context():  # revoked: the node is on its own again, and its pages are its own
        kezek_db.session.get(CentreLink, 1).revoked_at = utcnow()
        kezek_db.session.commit()
    assert "change them there" not in browser.get(f"/admin/kinds/{kind_id}?lang=en").get_data(as_text=True)


def test_a_password_set_at_the_centre_ends_the_accounts_sessions_at_the_node(node_app, db, sender):
    ship, _link = sender
    assert _sync(ship) == "idle"
    browser = node_app.test_client()
    assert _sign_in(browser, "nodeclerk") == 302  # the first version took the centre's hash of the same password
    assert browser.get("/console/").status_code == 200
    create_user(db, "nodeclerk", "new-pass-9876", "clerk", _office(db))  # the region's administrator resets it
    db.commit()
    assert _sync(ship) == "idle"
    assert browser.get("/console/").status_code in (302, 401)  # signed out at the node
    assert _sign_in(node_app.test_client(), "nodeclerk") == 401
    assert _sign_in(node_app.test_client(), "nodeclerk", "new-pass-9876") == 302


def test_visit_kinds_that_swapped_their_letters_at_the_centre_swap_them_at_the_node(node_app, db, sender):
    ship, _link = sender
    assert _sync(ship) == "idle"
    first, second = db.scalars(select(VisitKind).order_by(VisitKind.id).limit(2)).all()
    pair = {first.id: second.prefix, second.id: first.prefix}
    first.prefix = "ZZ"  # the region's administrator swaps the two letters, one after the other
    db.flush()
    second.prefix = pair[second.id]
    db.flush()
    first.prefix = pair[first.id]
    db.commit()
    assert _sync(ship) == "idle"
    with node_app.app_context():
        prefixes = dict(kezek_db.session.execute(select(VisitKind.id, VisitKind.prefix)).all())
        assert prefixes[first.id] == pair[first.id] and prefixes[second.id] == pair[second.id]


def test_an_account_with_an_authenticator_at_the_centre_needs_its_code_at_the_node_too(node_app, db, sender):
    """The second step travels with the account: no signing in at the node with the password alone."""
    import pyotp

    from kezek.models import TwoFactor

    ship, _link = sender
    clerk = db.scalar(select(User).where(User.username == "nodeclerk"))
    secret = pyotp.random_base32()
    db.add(TwoFactor(user_id=clerk.id, secret=secret, enabled_at=utcnow()))
    db.commit()
    assert _sync(ship) == "idle"

    def lands(username: str = "nodeclerk") -> str:
        browser = node_app.test_client()
        token = CSRF.search(browser.get("/login").get_data(as_text=True)).group(1)
        answer = browser.post("/login", data={"username": username, "password": "pass-1234", "csrf_token": token})
        return answer.headers.get("Location", "")

    assert "/login/code" in lands()  # the password alone is not enough at the node either
    with node_app.app_context():
        node_clerk = kezek_db.session.scalar(select(User).where(User.username == "nodeclerk"))
        assert kezek_db.session.get(TwoFactor, node_clerk.id).secret == secret  # the same authenticator works
    db.delete(db.get(TwoFactor, clerk.id))  # the region's administrator turns the second step off
    db.commit()
    assert _sync(ship) == "idle"
    assert "/login/code" not in lands() and lands() != ""
