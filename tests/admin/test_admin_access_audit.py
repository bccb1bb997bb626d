"""Who may administer what, password resets, hours and holidays, and the audit log of every change."""
from __future__ import annotations

from sqlalchemy import func, select

from admin_helpers import AdminPages
from kezek.audit import record
from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry, CalendarDay, Office, User
from tests.conftest import AuthActions, office_by_slug


def test_only_administrators_enter_and_an_office_administrator_stays_in_their_office(app, client, auth):
    auth.create("aigerim", "clerk", "taraz")
    auth.create("boss", "admin", "taraz")
    assert "/login" in client.get("/admin/").headers["Location"]
    auth.login("aigerim")
    assert client.get("/admin/").status_code == 403
    auth.login("boss")
    assert client.get("/admin/").headers["Location"].endswith("/admin/offices/taraz")
    for path in ("/admin/offices/merki", "/admin/offices/new", "/admin/services/new", "/admin/kinds/1"):
        assert client.get(path).status_code == 403, path
    with app.app_context():
        merki = office_by_slug(kezek_db.session, "merki").id
        taraz = office_by_slug(kezek_db.session, "taraz").id
    pages = AdminPages(client)
    # An office administrator adds staff to their own office only, and never with a regional role.
    answer = pages.submit("/admin/users/new", {"username": "nurlan", "role": "clerk", "office_id": merki,
                                               "password": "nurlan-pass"})
    assert answer.status_code == 400  # another office is not a choice the form offers
    answer = pages.submit("/admin/users/new", {"username": "nurlan", "role": "clerk", "password": "nurlan-pass"})
    assert answer.status_code == 303
    answer = pages.submit("/admin/users/new", {"username": "boss2", "role": "regional_manager",
                                               "password": "boss2-pass-1"})
    assert answer.status_code == 400  # not a choice the form offers
    with app.app_context():
        users = {u.username: u.office_id for u in kezek_db.session.scalars(select(User))}
    assert users == {"aigerim": taraz, "boss": taraz, "nurlan": taraz}
    assert "merki" not in client.get("/admin/audit").get_data(as_text=True)


def test_a_password_reset_lets_the_clerk_in_with_the_new_password_only(app, client, auth):
    auth.create("root", "admin", None)
    auth.create("aigerim", "clerk", "taraz")
    auth.login("root")
    with app.app_context():
        aigerim = kezek_db.session.scalar(select(User.id).where(User.username == "aigerim"))
    pages = AdminPages(client)
    short = pages.submit(f"/admin/users/{aigerim}?lang=en", {"password": "short"},
                         action=f"/admin/users/{aigerim}/password")
    assert short.status_code == 400 and "at least 8 characters" in short.get_data(as_text=True)
    assert pages.submit(f"/admin/users/{aigerim}", {"password": "fresh-pass-9"},
                        action=f"/admin/users/{aigerim}/password").status_code == 303
    other = AuthActions(app.test_client(), app)
    assert other.login("aigerim", "pass-1234").status_code == 401
    assert other.login("aigerim", "fresh-pass-9").status_code == 302
    with app.app_context():
        entry = kezek_db.session.scalar(select(AuditEntry).where(AuditEntry.action == "admin.user.password_reset"))
        assert entry.username == "root" and "fresh-pass-9" not in str(entry.detail)


def test_an_administrator_cannot_lock_themselves_out(app, client, auth):
    auth.create("root", "admin", None)
    auth.login("root")
    with app.app_context():
        root = kezek_db.session.scalar(select(User.id).where(User.username == "root"))
    answer = AdminPages(client).submit(f"/admin/users/{root}?lang=en", {"active": False})
    assert answer.status_code == 409 and "lock yourself out" in answer.get_data(as_text=True)
    with app.app_context():
        assert kezek_db.session.get(User, root).active is True


def test_hours_holidays_and_the_offices_own_days_decide_when_the_kiosk_issues(app, client, auth, kiosk, clock):
    auth.create("root", "admin", None)
    auth.login("root")
    pages = AdminPages(client)
    page = client.get("/admin/offices/taraz/hours?lang=en").get_data(as_text=True)
    assert "Public holidays" in page and "Nowruz" in page and "2027" in page  # from the holidays package
    assert "Наурыз мейрамы" in client.get("/admin/offices/taraz/hours?lang=kk").get_data(as_text=True)
    # Named in the reader's language; a lunar holiday's date is said to be expected, not "estimated" in a Kazakh word.
    russian = client.get("/admin/offices/taraz/hours?lang=ru").get_data(as_text=True)
    assert "Курбан айт (ожидаемая дата)" in russian and "Құрбан" not in russian and "бағаланған" not in russian
    # Closing before opening is refused and nothing changes.
    answer = pages.submit("/admin/offices/taraz/hours?lang=en", {"days-2-opens": "18:00", "days-2-closes": "09:00"})
    assert answer.status_code == 400 and "must open before it closes" in answer.get_data(as_text=True)
    assert kiosk.take("A").status_code == 303
    # Today (Wednesday 25 November 2026) closed by the office: the kiosk stops issuing.
    answer = pages.submit("/admin/offices/taraz/hours", {"day": "2026-11-25", "closed": True, "note": "Inventory"},
                          action="/admin/offices/taraz/days")
    assert answer.status_code == 303
    assert kiosk.take("A").status_code == 409
    with app.app_context():
        day = kezek_db.session.scalar(select(CalendarDay))
        assert (str(day.day), day.closed, day.note) == ("2026-11-25", True, "Inventory")
        day_id = day.id
    assert pages.press("/admin/offices/taraz/hours", f"/admin/days/{day_id}/delete").status_code == 303
    assert kiosk.take("A").status_code == 303


def test_the_audit_log_shows_before_and_after_filters_and_pages(app, client, auth):
    auth.create("root", "admin", None)
    auth.login("root")
    assert AdminPages(client).submit("/admin/offices/merki", {"recalls_before_no_show": 3}).status_code == 303
    page = client.get("/admin/audit?lang=en").get_data(as_text=True)
    # A sentence with the office's name and the field as the form calls it; the codes only in the export.
    assert "Changed the office Merki district department" in page or "Changed the office " in page
    assert "admin.office.update" not in page and "recalls_before_no_show" not in page
    assert "<dt>Recalls before a no-show</dt><dd><del>1</del> → <ins>3</ins></dd>" in page
    export = client.get("/admin/audit.csv").get_data(as_text=True)
    assert "admin.office.update" in export and '"recalls_before_no_show": [1, 3]' in export.replace('""', '"')
    with app.app_context():
        session = kezek_db.session
        taraz = office_by_slug(session, "taraz")
        someone = session.scalar(select(User))
        for n in range(60):
            record(session, someone, "console.call", {"cabinet": "201", "ticket": f"A-{n:03d}"}, office_id=taraz.id)
        session.commit()
        taraz_id = taraz.id
        total = session.scalar(select(func.count()).select_from(AuditEntry))
    first = client.get(f"/admin/audit?office={taraz_id}&lang=en").get_data(as_text=True)
    assert first.count("Called A-0") == 50 and "Page 1 of 2" in first
    assert "Changed the office" not in first  # that change was in Merki
    second = client.get(f"/admin/audit?office={taraz_id}&page=2&lang=en").get_data(as_text=True)
    assert second.count("Called A-0") == 10
    by_user = client.get("/admin/audit?user=nobody&lang=en").get_data(as_text=True)
    assert "0 entries" in by_user
    everything = client.get("/admin/audit?user=root&lang=en").get_data(as_text=True)
    assert f"{total} entries" in everything
    with app.app_context():
        assert kezek_db.session.scalar(select(Office.recalls_before_no_show).where(Office.slug == "merki")) == 3


def test_regional_staff_have_no_office_and_clerks_must_have_one(app, client, auth):
    auth.create("root", "admin", None)
    auth.login("root")
    pages = AdminPages(client)
    answer = pages.submit("/admin/users/new", {"username": "gulnara", "role": "regional_manager", "office_id": "",
                                               "password": "region-pass-1"})
    assert answer.status_code == 303
    answer = pages.submit("/admin/users/new?lang=en", {"username": "erlan", "role": "clerk", "office_id": "",
                                                       "password": "clerk-pass-1"})
    assert answer.status_code == 400 and "Clerks and managers belong to an office" in answer.get_data(as_text=True)
    with app.app_context():
        users = {u.username: (u.role, u.office_id) for u in kezek_db.session.scalars(select(User))}
    assert users == {"root": ("admin", None), "gulnara": ("regional_manager", None)}
