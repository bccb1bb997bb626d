"""The administration refuses changes that would harm the running queue, says why, and changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from admin_helpers import AdminPages
from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry, Cabinet, Service, Ticket, VisitKind
from tests.conftest import kind_by_prefix, office_by_slug


@pytest.fixture
def pages(client, auth):
    auth.create("region-admin", "admin", None)
    auth.login("region-admin")
    return AdminPages(client)


def snapshot(app, model, row_id):
    """The row's columns and the number of audit entries, to show nothing changed."""
    with app.app_context():
        row = kezek_db.session.get(model, row_id)
        columns = None if row is None else {c.key: getattr(row, c.key) for c in model.__table__.columns}
        return columns, kezek_db.session.scalar(select(func.count()).select_from(AuditEntry))


def kind_id(app, prefix):
    with app.app_context():
        return kind_by_prefix(kezek_db.session, prefix).id


def taraz_cabinet(app):
    with app.app_context():
        office = office_by_slug(kezek_db.session, "taraz")
        return kezek_db.session.scalar(select(Cabinet.id).where(Cabinet.office_id == office.id))


@pytest.mark.parametrize("limit", ["0", "-5", "abc", "2.5", "100000", ""])
def test_a_wait_limit_must_be_a_positive_number_of_minutes(app, pages, limit):
    a = kind_id(app, "A")
    before = snapshot(app, VisitKind, a)
    answer = pages.submit(f"/admin/kinds/{a}?lang=en", {"wait_limit_minutes": limit})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Nothing was saved" in page or "whole number of minutes" in page
    assert snapshot(app, VisitKind, a) == before


def test_a_prefix_used_by_another_visit_kind_is_refused(app, pages):
    a = kind_id(app, "A")
    before = snapshot(app, VisitKind, a)
    answer = pages.submit(f"/admin/kinds/{a}?lang=en", {"prefix": "B"})
    assert answer.status_code == 409
    assert "The prefix B is already used by" in answer.get_data(as_text=True)
    assert snapshot(app, VisitKind, a) == before
    # a new visit kind with a clashing prefix is not created either
    with app.app_context():
        service_id = kezek_db.session.get(VisitKind, a).service_id
        kinds = kezek_db.session.scalar(select(func.count()).select_from(VisitKind))
    answer = pages.submit(f"/admin/services/{service_id}/kinds/new?lang=en", {
        "name_kk": "Х", "name_ru": "Х", "name_en": "X", "prefix": "c", "wait_limit_minutes": 15,
        "default_service_minutes": 5})
    assert answer.status_code == 409
    with app.app_context():
        assert kezek_db.session.scalar(select(func.count()).select_from(VisitKind)) == kinds


def test_a_visit_kind_with_waiting_tickets_is_closed_not_deleted(app, pages, kiosk):
    assert kiosk.take("A").status_code == 303
    a = kind_id(app, "A")
    before = snapshot(app, VisitKind, a)
    answer = pages.press(f"/admin/kinds/{a}?lang=en", f"/admin/kinds/{a}/delete")
    assert answer.status_code == 409
    assert "1 visitor with a ticket of A is still in the queue" in answer.get_data(as_text=True)
    assert snapshot(app, VisitKind, a) == before
    # closing it for new tickets works, and the kiosk then refuses A tickets while the waiting one stays
    assert pages.submit(f"/admin/kinds/{a}", {"accepting": False}).status_code == 303
    assert kiosk.take("A").status_code == 409
    with app.app_context():
        assert [t.status for t in kezek_db.session.scalars(select(Ticket))] == ["waiting"]


def test_an_unused_visit_kind_can_be_deleted(app, pages):
    assert pages.submit("/admin/services/new", {"code": "advice", "name_kk": "Кеңес", "name_ru": "Консультация",
                                                "name_en": "Advice", "service_term_days": 1}).status_code == 303
    with app.app_context():
        service_id = kezek_db.session.scalar(select(Service.id).where(Service.code == "advice"))
    assert pages.submit(f"/admin/services/{service_id}/kinds/new", {
        "name_kk": "Кеңес", "name_ru": "Консультация", "name_en": "Advice", "prefix": "E",
        "wait_limit_minutes": 15, "default_service_minutes": 5}).status_code == 303
    e = kind_id(app, "E")
    assert pages.press(f"/admin/kinds/{e}", f"/admin/kinds/{e}/delete").status_code == 303
    assert snapshot(app, VisitKind, e)[0] is None


def test_a_cabinet_serving_a_visitor_cannot_be_removed_or_deactivated(app, client, pages, kiosk, auth):
    cabinet = taraz_cabinet(app)
    kiosk.take("A")
    auth.create("aigerim", "clerk", "taraz")
    clerk_client = app.test_client()
    from tests.conftest import AuthActions

    clerk = AuthActions(clerk_client, app)
    clerk.login("aigerim")
    for action in ("open", "call"):
        clerk_client.post(f"/console/{cabinet}/{action}", data={"csrf_token": clerk.token()})
    before = snapshot(app, Cabinet, cabinet)
    answer = pages.press(f"/admin/cabinets/{cabinet}?lang=en", f"/admin/cabinets/{cabinet}/delete")
    assert answer.status_code == 409
    assert "is serving A-001 right now" in answer.get_data(as_text=True)
    answer = pages.submit(f"/admin/cabinets/{cabinet}?lang=en", {"active": False})
    assert answer.status_code == 409
    assert snapshot(app, Cabinet, cabinet) == before
    # Once the visit is over the cabinet stays (the log names it) but can be taken out of use.
    with app.app_context():
        ticket_id = kezek_db.session.scalar(select(Ticket.id))
    clerk_client.post(f"/console/{cabinet}/start", data={"csrf_token": clerk.token(), "ticket_id": ticket_id})
    clerk_client.post(f"/console/{cabinet}/finish", data={"csrf_token": clerk.token(), "ticket_id": ticket_id})
    answer = pages.press(f"/admin/cabinets/{cabinet}?lang=en", f"/admin/cabinets/{cabinet}/delete")
    assert answer.status_code == 409 and "Deactivate it instead" in answer.get_data(as_text=True)
    # The office's only cabinet: taking it out of use leaves the kiosk with nothing to offer, so it asks first.
    warned = pages.submit(f"/admin/cabinets/{cabinet}?lang=en", {"active": False})
    assert warned.status_code == 200 and "no cabinet of the office serves any visit" in warned.get_data(as_text=True)
    assert snapshot(app, Cabinet, cabinet)[0]["active"] is True
    assert pages.submit(f"/admin/cabinets/{cabinet}", {"active": False, "confirmed": "1"}).status_code == 303
    assert snapshot(app, Cabinet, cabinet)[0]["active"] is False
    assert f"/console/{cabinet}" not in clerk_client.get("/console/").get_data(as_text=True)


def test_a_changed_limit_applies_to_new_tickets_and_the_log_keeps_each_tickets_limit(app, pages, kiosk):
    a = kind_id(app, "A")
    kiosk.take("A")
    assert pages.submit(f"/admin/kinds/{a}", {"wait_limit_minutes": 20}).status_code == 303
    kiosk.take("A")
    with app.app_context():
        session = kezek_db.session
        limits = {t.label: t.wait_limit_minutes for t in session.scalars(select(Ticket).order_by(Ticket.id))}
        assert limits == {"A-001": 30, "A-002": 20}
        assert session.get(VisitKind, a).wait_limit_minutes == 20
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "admin.visit_kind.update"))
        assert entry.username == "region-admin"
        assert entry.detail["changes"] == {"wait_limit_minutes": [30, 20]}
