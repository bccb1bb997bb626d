"""The cabinet feedback tablet works only enrolled for its cabinet; a manager voids a burst, audited by name."""
from __future__ import annotations

import re

from sqlalchemy import select

from kezek.extensions import db
from kezek.models import CANCELLED, WAITING, AuditEntry, Cabinet, Office, Ticket, TicketEvent
from kezek.models.reports import FeedbackAnswer
from tests.enrolment import enrol
from tests.reports.test_reports_feedback import serve

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def served_ticket(kiosk, app, clock) -> tuple[str, int]:
    assert kiosk.take("A").status_code == 303
    with app.app_context():
        code = db.session.scalar(select(Ticket.code).order_by(Ticket.id.desc()).limit(1))
    return code, serve(app, clock, code)


def test_an_unenrolled_tablet_shows_no_visitor_and_takes_no_answer(app, kiosk, clock, auth):
    _code, cabinet_id = served_ticket(kiosk, app, clock)
    tablet = app.test_client()
    page = tablet.get(f"/reports/feedback/cabinet/{cabinet_id}?lang=en")
    assert page.status_code == 403
    assert "A-001" not in page.get_data(as_text=True) and "not enrolled" in page.get_data(as_text=True)
    token = CSRF.search(tablet.get("/login").get_data(as_text=True))
    token = token.group(1) if token else re.search(r'value="([^"]{20,})"', tablet.get("/login").get_data(as_text=True)).group(1)
    answer = tablet.post(f"/reports/feedback/cabinet/{cabinet_id}",
                         data={"question": "process", "answer": "no", "ticket_id": "1", "csrf_token": token})
    assert answer.status_code == 403
    # ids do not tell which cabinets exist
    assert tablet.get("/reports/feedback/cabinet/99999").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(FeedbackAnswer)) is None


def test_a_tablet_of_another_cabinet_is_refused(app, kiosk, clock):
    _code, cabinet_id = served_ticket(kiosk, app, clock)
    with app.app_context():
        other = db.session.scalar(select(Cabinet.id).where(Cabinet.id != cabinet_id).order_by(Cabinet.id))
    tablet = app.test_client()
    enrol(tablet, app, "taraz", kind="tablet", cabinet=other)
    assert tablet.get(f"/reports/feedback/cabinet/{cabinet_id}").status_code == 403


def test_an_enrolled_tablet_records_one_set_of_answers_per_served_ticket(app, kiosk, clock):
    _code, cabinet_id = served_ticket(kiosk, app, clock)
    tablet = app.test_client()
    enrol(tablet, app, "taraz", kind="tablet", cabinet=cabinet_id)
    page = tablet.get(f"/reports/feedback/cabinet/{cabinet_id}?lang=en").get_data(as_text=True)
    assert "A-001" in page and "js/device.js" in page
    token = CSRF.search(page).group(1)
    ticket_id = re.search(r'name="ticket_id" value="(\d+)"', page).group(1)

    def tap(question, value):
        return tablet.post(f"/reports/feedback/cabinet/{cabinet_id}",
                           data={"question": question, "answer": value, "ticket_id": ticket_id, "csrf_token": token})

    assert tap("process", "yes").status_code == 303
    assert tap("process", "no").status_code == 409  # one answer per question of the ticket
    assert tap("information", "yes").status_code == 303 and tap("politeness", "no").status_code == 303
    assert tap("politeness", "yes").status_code == 409  # the set is complete: nothing more for this ticket
    with app.app_context():
        rows = db.session.scalars(select(FeedbackAnswer)).all()
        assert len(rows) == 1 and (rows[0].process, rows[0].information, rows[0].politeness) == (True, True, False)


def test_a_manager_voids_a_burst_and_the_audit_log_says_who(app, kiosk, clock, auth):
    kiosk.enrol()
    clock.set_local(2026, 11, 25, 10, 0)
    assert kiosk.take("A").status_code == 303  # a real visitor before the burst
    clock.set_local(2026, 11, 25, 10, 20)
    for _ in range(6):
        assert kiosk.take("A").status_code == 303
    clock.set_local(2026, 11, 25, 10, 40)
    auth.create("head", "manager", "taraz")
    auth.create("other", "manager", "merki")
    with app.app_context():
        taraz = db.session.scalar(select(Office.id).where(Office.slug == "taraz"))
        device = db.session.scalar(select(Ticket.device_id).limit(1))
    manager = app.test_client()
    from tests.conftest import AuthActions

    other = AuthActions(app.test_client(), app)
    other.login("other")
    assert other.client.get(f"/devices/offices/{taraz}/void").status_code == 403
    head = AuthActions(manager, app)
    head.login("head")
    window = {"source": str(device), "start": "2026-11-25T10:15", "end": "2026-11-25T10:25"}
    page = manager.get(f"/devices/offices/{taraz}/void", query_string={**window, "lang": "en"}).get_data(as_text=True)
    assert "6 tickets still waiting" in page and "A-002" in page and "A-001" not in page.split("still waiting")[1]
    token = CSRF.search(page).group(1)
    answer = manager.post(f"/devices/offices/{taraz}/void", data={**window, "csrf_token": token})
    assert answer.status_code == 303
    with app.app_context():
        statuses = db.session.execute(select(Ticket.number, Ticket.status).order_by(Ticket.number)).all()
        assert statuses == [(1, WAITING)] + [(n, CANCELLED) for n in range(2, 8)]
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "tickets.void_burst"))
        assert entry.username == "head" and entry.detail["count"] == 6 and entry.office_id == taraz
        assert entry.detail["tickets"][0] == "A-002"
        events = db.session.scalars(select(TicketEvent).where(TicketEvent.kind == "cancelled")).all()
        assert len(events) == 6 and {event.user_id for event in events} == {entry.user_id}
    # voiding again finds nothing left
    again = manager.get(f"/devices/offices/{taraz}/void", query_string={**window, "lang": "en"}).get_data(as_text=True)
    assert "0 tickets still waiting" in again
    for bad in ({"start": "garbage"}, {"start": "0001-01-01T00:00"}, {"end": "9999-12-31T23:59"},
                {"start": "2026-11-25T10:25", "end": "2026-11-25T10:15"}, {"source": "999999"}):
        assert manager.post(f"/devices/offices/{taraz}/void",
                            data={**window, **bad, "csrf_token": token}).status_code == 400
        assert manager.get(f"/devices/offices/{taraz}/void", query_string={**window, **bad}).status_code == 400
    assert manager.get("/devices/offices/99999999999999999999/void").status_code == 404
