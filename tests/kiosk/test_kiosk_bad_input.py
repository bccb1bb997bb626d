"""Bad input at the kiosk: a clear 4xx page, nothing stored, never a stack trace."""
from __future__ import annotations

import pytest

from tests.conftest import all_tickets


def no_tickets(app) -> bool:
    with app.app_context():
        from kezek.extensions import db

        return all_tickets(db.session) == []


@pytest.mark.parametrize("path", ["/kiosk/nowhere", "/kiosk/taraz/service/nothing", "/kiosk/region/service/social_assistance",
                                  "/kiosk/taraz/tickets/not-a-code", "/t/not-a-code", "/t/" + "x" * 500])
def test_unknown_office_service_or_ticket_is_a_404_page(kiosk_screen, path):
    client = kiosk_screen
    answer = client.get(path)
    assert answer.status_code == 404
    assert "Traceback" not in answer.get_data(as_text=True)


def test_wrong_method_is_refused(client):
    assert client.get("/kiosk/taraz/tickets").status_code == 405
    assert client.delete("/kiosk/taraz").status_code == 405


def test_a_form_without_the_csrf_token_issues_nothing(client, app, kiosk):
    answer = kiosk.take("A", csrf_token="")
    assert answer.status_code == 400
    assert no_tickets(app)


@pytest.mark.parametrize(
    "changes",
    [
        {"visit_kind": "abc"},
        {"visit_kind": "-1"},
        {"visit_kind": "99999999999999999999"},
        {"lang": "de"},
        {"lang": "<script>alert(1)</script>"},
        {"kiosk": "'; DROP TABLE ticket; --"},
    ],
)
def test_malformed_or_hostile_forms_are_refused(client, app, kiosk, changes):
    answer = kiosk.take("A", **changes)
    assert answer.status_code == 400
    body = answer.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "Traceback" not in body
    assert no_tickets(app)


def test_a_visit_kind_of_no_cabinet_here_is_not_found(client, app, kiosk):
    from kezek.extensions import db
    from kezek.models import Cabinet, Office

    with app.app_context():
        demo = db.session.query(Office).filter_by(slug="demo").one()
        cabinet = db.session.query(Cabinet).filter_by(office_id=demo.id, number="103").one()
        cabinet.visit_kinds = [k for k in cabinet.visit_kinds if k.prefix != "D"]
        db.session.commit()
    assert kiosk.take("D", office="demo").status_code == 404
    assert no_tickets(app)


def test_an_oversized_form_is_refused(client, app, kiosk):
    answer = kiosk.take("A", padding="x" * 200_000)
    assert answer.status_code == 413
    assert no_tickets(app)


def test_json_clients_get_json_errors(client):
    answer = client.get("/kiosk/nowhere", headers={"Accept": "application/json"})
    assert answer.status_code == 404 and answer.get_json()["error"] == "not_found"
