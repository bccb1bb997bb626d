"""A regional administrator brings a new office online from the browser; visitors and a clerk then use it."""
from __future__ import annotations

import re

from sqlalchemy import select

from admin_helpers import AdminPages
from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry, Cabinet, Kiosk, Office, Ticket, TicketEvent, User
from tests.conftest import AuthActions, kind_by_prefix


def test_an_office_set_up_in_the_browser_issues_calls_and_logs_tickets(app, client, auth, kiosk, tmp_path):
    auth.create("region-admin", "admin", None)
    auth.login("region-admin")
    pages = AdminPages(client)
    with app.app_context():
        kind_a, kind_c = (kind_by_prefix(kezek_db.session, p).id for p in "AC")

    answer = pages.submit("/admin/offices/new", {
        "slug": "tolebi", "district": "tolebi", "name_kk": "Төле би бөлімі", "name_ru": "Отдел Толе би",
        "name_en": "Tole bi department",
    })
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/admin/offices/tolebi")
    office_page = client.get("/admin/offices/tolebi?lang=en").get_data(as_text=True)
    assert "Tole bi department" in office_page and "/display/tolebi" in office_page

    # Saturday mornings too; the standards' Monday-Friday week is already filled in.
    answer = pages.submit("/admin/offices/tolebi/hours", {"days-5-open": True, "days-5-opens": "09:00",
                                                          "days-5-closes": "13:00"})
    assert answer.status_code == 303
    assert pages.submit("/admin/offices/tolebi/cabinets/new", {"number": "7", "visit_kinds": [kind_a, kind_c]}
                        ).status_code == 303
    printed = tmp_path / "hall-prints"
    app.config["LOCAL_PRINTERS"] = (f"dummy://{printed}",)  # a folder printer only from the server's settings
    assert pages.submit("/admin/offices/tolebi/kiosks/new", {
        "slug": "hall", "name": "Hall kiosk", "printer_url": f"dummy://{printed}", "paper_width_mm": 58,
    }).status_code == 303
    with app.app_context():
        session = kezek_db.session
        office = session.scalar(select(Office).where(Office.slug == "tolebi"))
        office_id = office.id
        cabinet_id = session.scalar(select(Cabinet.id).where(Cabinet.office_id == office_id))
        kiosk_id = session.scalar(select(Kiosk.id).where(Kiosk.office_id == office_id))
        assert [(h.weekday, h.opens.hour, h.closes.hour) for h in office.hours][-2:] == [(4, 9, 18), (5, 9, 13)]

    kiosk_page = client.get(f"/admin/kiosks/{kiosk_id}?lang=en").get_data(as_text=True)
    assert "Print a test page" in kiosk_page and "Ready" in kiosk_page
    answer = pages.press(f"/admin/kiosks/{kiosk_id}", f"/admin/kiosks/{kiosk_id}/test-page")
    assert answer.status_code == 303
    (test_page,) = printed.glob("*.bin")
    assert test_page.read_bytes().startswith(b"\x1b@")  # ESC @, then the raster test page

    answer = pages.submit(f"/admin/users/new?office={office_id}", {
        "username": "dana", "display_name": "Dana Seitova", "role": "clerk", "office_id": office_id,
        "password": "dana-pass-1",
    })
    assert answer.status_code == 303

    # A visitor takes a ticket at the new office's kiosk; the clerk calls it from cabinet 7.
    taken = kiosk.take("A", office="tolebi", kiosk="hall")
    assert taken.status_code == 303 and "/kiosk/tolebi/tickets/" in taken.headers["Location"]
    clerk_client = app.test_client()
    clerk = AuthActions(clerk_client, app)
    assert clerk.login("dana", "dana-pass-1").status_code == 302
    assert f"/console/{cabinet_id}" in clerk_client.get("/console/").get_data(as_text=True)
    for action in ("open", "call"):
        answer = clerk_client.post(f"/console/{cabinet_id}/{action}", data={"csrf_token": clerk.token()},
                                   headers={"X-Console": "panel"})
        assert answer.status_code == 200
    assert re.search(r'class="current-number">A-001<', answer.get_data(as_text=True))

    # The wait-time log has the ticket with its kiosk, cabinet, clerk and the limit it was issued under.
    with app.app_context():
        session = kezek_db.session
        ticket = session.scalar(select(Ticket).where(Ticket.office_id == office_id))
        dana = session.scalar(select(User).where(User.username == "dana"))
        assert (ticket.label, ticket.status, ticket.kiosk_id, ticket.cabinet_id, ticket.clerk_id) == (
            "A-001", "called", kiosk_id, cabinet_id, dana.id)
        assert ticket.wait_limit_minutes == 30 and ticket.called_at is not None
        events = session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)).all()
        assert events == ["issued", "called"]
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.office_id == office_id)
                                  .order_by(AuditEntry.id)).all()
    assert actions[:6] == ["admin.office.create", "admin.hours.update", "admin.cabinet.create",
                           "admin.kiosk.create", "admin.kiosk.test_page", "admin.user.create"]
    # The clerk serves the visitor; the manager's wait-time log shows the visit with its 30-minute limit.
    for action in ("start", "finish"):
        clerk_client.post(f"/console/{cabinet_id}/{action}", data={"csrf_token": clerk.token(), "ticket_id": ticket.id})
    report = client.get("/reports/log.csv?lang=en")
    assert report.status_code == 200
    (row,) = [line for line in report.get_data(as_text=True).splitlines() if "A-001" in line]
    assert "Tole bi department" in row and "Dana Seitova" in row and ",30," in row and "served" in row
    audit = client.get(f"/admin/audit?office={office_id}&lang=en").get_data(as_text=True)
    assert "Added cabinet " in audit and "Called A-001 to cabinet " in audit
