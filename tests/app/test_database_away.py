"""A database that cannot be reached (restarting, or refusing past its connections): every page says to try again
in a moment (503), never a stack trace, and nothing is half-written; once it answers, pages work again."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from kezek.extensions import db
from kezek.services import services
from tests.conftest import all_tickets, kind_by_prefix


@contextmanager
def database_refusing(app):
    """New connections fail as a database past its max_connections, or in the middle of a restart, refuses them."""
    engine = services(app).engine
    refused = engine.dialect.loaded_dbapi.OperationalError  # the driver's own error: sqlite3's or psycopg's

    def refuse(*_args):
        raise refused("connection failed: FATAL:  sorry, too many clients already")

    engine.dispose()  # the pooled connections go: the next request must connect
    event.listen(engine, "do_connect", refuse)
    try:
        yield
    finally:
        event.remove(engine, "do_connect", refuse)


def _tap(app, kiosk) -> dict:
    """A filled take-ticket form of the Taraz kiosk (its page read while the database answered)."""
    kiosk.enrol()
    with app.app_context():
        kind = kind_by_prefix(db.session, "A")
        kind_id, service = kind.id, kind.service.code
    return {"visit_kind": kind_id, "lang": "en", "kiosk": "", "csrf_token": kiosk.token("taraz", service)}


def _tickets(app) -> int:
    with app.app_context():
        return len(all_tickets(db.session))


def test_a_kiosk_while_the_database_refuses_connections_is_asked_to_try_again(app, client, kiosk):
    form = _tap(app, kiosk)
    with database_refusing(app):
        answers = [client.get("/kiosk/taraz?lang=en"), client.post("/kiosk/taraz/tickets", data=form)]
    for answer in answers:
        page = answer.get_data(as_text=True)
        assert answer.status_code == 503
        assert "try again" in page and "Traceback" not in page and "too many clients" not in page
    assert _tickets(app) == 0  # nothing came of the refused tap
    assert client.get("/kiosk/taraz?lang=en").status_code == 200  # it answers again: so do the pages
    assert client.post("/kiosk/taraz/tickets", data=form).status_code == 303
    assert _tickets(app) == 1
