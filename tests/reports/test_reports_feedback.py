"""Visitor feedback after a finished visit: on the phone page and a cabinet tablet, one answer per question."""
from __future__ import annotations

import re

from sqlalchemy import select

from kezek.extensions import db
from kezek.models import Cabinet, Office, Ticket, User
from kezek.queue import clerk
from kezek.models.reports import FeedbackAnswer, WaitRecord

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def serve(app, clock, code: str, finish: bool = True) -> int:
    """Call, start and (optionally) finish the ticket at a Taraz cabinet, as a clerk would."""
    with app.app_context():
        session = db.session
        office = session.scalar(select(Office).where(Office.slug == "taraz"))
        ticket = session.scalar(select(Ticket).where(Ticket.code == code))
        cabinet = Cabinet(office_id=office.id, number="7", visit_kinds=[ticket.visit_kind], state="open")
        user = User(username="c7", password_hash="x", role="clerk", office_id=office.id)
        session.add_all([cabinet, user])
        session.flush()
        clerk.call_next(session, cabinet, user, clock())
        clerk.start(session, cabinet, user, ticket.id, clock())
        if finish:
            clerk.finish(session, cabinet, user, ticket.id, clock(), documents_correct=True)
        session.commit()
        return cabinet.id


def take(kiosk, app, prefix: str, lang: str = "kk") -> str:
    """Take a ticket at the Taraz kiosk; its unguessable code."""
    assert kiosk.take(prefix, lang=lang).status_code == 303
    with app.app_context():
        return db.session.scalar(select(Ticket.code).order_by(Ticket.id.desc()).limit(1))


def test_phone_page_asks_after_the_visit_and_keeps_one_answer(client, kiosk, app, clock):
    code = take(kiosk, app, "A", "ru")
    page = client.get(f"/t/{code}?lang=ru").get_data(as_text=True)
    assert 'class="feedback" data-when="over" hidden' in page
    serve(app, clock, code)
    page = client.get(f"/t/{code}?lang=ru").get_data(as_text=True)
    assert "Были ли сотрудники вежливы?" in page and 'class="feedback" data-when="over" hidden' not in page
    token = CSRF.search(page).group(1)
    tap = lambda q, a: client.post(f"/reports/feedback/{code}", data={"question": q, "answer": a, "csrf_token": token})  # noqa: E731
    assert tap("politeness", "yes").status_code == 303
    assert tap("politeness", "no").status_code == 409  # one answer per question
    assert tap("process", "no").status_code == 303
    assert tap("mood", "yes").status_code == 400
    assert client.post("/reports/feedback/not-a-code", data={"question": "process", "answer": "yes", "csrf_token": token}).status_code == 404
    with app.app_context():
        row = db.session.scalar(select(FeedbackAnswer))
        assert (row.process, row.information, row.politeness) == (False, None, True)
        record = db.session.get(WaitRecord, row.ticket_id)
        assert (record.wait_seconds, record.outcome, record.documents_correct) == (0, "served", True)
    page = client.get(f"/t/{code}?lang=ru").get_data(as_text=True)
    assert page.count("Спасибо за ответ.") == 2


def test_no_feedback_before_the_visit_is_finished(client, kiosk, app, clock):
    code = take(kiosk, app, "A")
    serve(app, clock, code, finish=False)
    page = client.get("/login").get_data(as_text=True)
    token = CSRF.search(page).group(1) if CSRF.search(page) else re.search(r'value="([^"]{20,})"', page).group(1)
    answer = client.post(f"/reports/feedback/{code}", data={"question": "process", "answer": "yes", "csrf_token": token})
    assert answer.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(FeedbackAnswer)) is None


def test_cabinet_tablet_asks_the_visitor_just_served(client, kiosk, app, clock):
    from tests.enrolment import enrol

    code = take(kiosk, app, "A")
    cabinet_id = serve(app, clock, code)
    client = app.test_client()
    enrol(client, app, "taraz", kind="tablet", cabinet=cabinet_id)  # only the cabinet's enrolled tablet asks
    page = client.get(f"/reports/feedback/cabinet/{cabinet_id}?lang=en").get_data(as_text=True)
    assert "A-001" in page and "Were the staff polite?" in page
    token = CSRF.search(page).group(1)
    ticket_id = re.search(r'name="ticket_id" value="(\d+)"', page).group(1)
    for question in ("process", "information", "politeness"):
        answer = client.post(f"/reports/feedback/cabinet/{cabinet_id}",
                             data={"question": question, "answer": "yes", "ticket_id": ticket_id, "csrf_token": token})
        assert answer.status_code == 303
    page = client.get(f"/reports/feedback/cabinet/{cabinet_id}?lang=en").get_data(as_text=True)
    assert "A-001" not in page and "Thank you!" in page
    assert client.get("/reports/feedback/cabinet/99999").status_code == 403  # not this tablet's cabinet
