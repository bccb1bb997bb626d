"""Walk every route of the URL map as each kind of user: nothing answers 500, staff pages refuse outsiders."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kezek.models import Cabinet, Kiosk, Ticket
from tests.conftest import office_by_slug

# Where a signed-in role must be refused (403/404) or an anonymous visitor sent to sign in (302/401/403).
STAFF_PREFIXES = ("/console", "/reports", "/admin")
STAFF_SUFFIXES = ("/edit", "/printer-state")
# Public on purpose: the first-start wizard (only while no account exists) and the cabinet's feedback tablet.
PUBLIC = ("/admin/setup", "/reports/feedback")
# Clerks record decision dates (annex 2 indicator 1.1) for their own office.
CLERK_ALLOWED = ("/reports/decisions",)


def sample_values(app, kiosk) -> dict[str, str]:
    """A value for every URL variable name, pointing at real rows of the Taraz office."""
    from kezek.extensions import db

    answer = kiosk.take("A")
    code = answer.headers["Location"].split("/tickets/")[1].split("?")[0]
    with app.app_context():
        office = office_by_slug(db.session, "taraz")
        cabinet = db.session.scalar(select(Cabinet).where(Cabinet.office_id == office.id))
        ticket = db.session.scalar(select(Ticket).where(Ticket.code == code))
        kiosk_row = db.session.scalar(select(Kiosk).where(Kiosk.office_id == office.id))
        return {
            "office_slug": "taraz", "office": "taraz", "slug": "taraz", "district": "taraz",
            "service_code": "social_assistance", "code": code, "cabinet_id": str(cabinet.id),
            "ticket_id": str(ticket.id), "office_id": str(office.id), "kiosk_id": str(kiosk_row.id),
            "kind": "department", "id": "1", "user_id": "1", "service_id": "1", "visit_kind_id": "1",
            "filename": "css/base.css", "action": "call", "job_id": "1", "year": "2026", "entry_id": "1",
        }


def urls(app, values) -> list[tuple[str, str]]:
    """(rule, url) for every GET route whose variables we can fill."""
    found = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", values.get(name, "1"), url)
        found.append((rule.rule, url))
    return found


def protected(rule: str) -> bool:
    return (rule.startswith(STAFF_PREFIXES) or rule.endswith(STAFF_SUFFIXES)) and not rule.startswith(PUBLIC)


# Every walk runs in a browser enrolled as Taraz's kiosk (sample_values takes a ticket there);
# "tablet" walks as Taraz's enrolled feedback tablet instead. Neither device is a member of staff.
DEVICES = ("anonymous", "tablet")


@pytest.mark.parametrize("role", ["anonymous", "tablet", "clerk_elsewhere", "clerk", "manager", "admin"])
def test_every_route_as_every_role(app, client, kiosk, auth, role):
    values = sample_values(app, kiosk)
    if role == "tablet":
        from kezek.models import TABLET
        from tests.enrolment import enrol

        enrol(client, app, "taraz", kind=TABLET, cabinet=int(values["cabinet_id"]))
    elif role != "anonymous":
        office = "merki" if role == "clerk_elsewhere" else "taraz"
        auth.create(role, "clerk" if role.startswith("clerk") else role, None if role == "admin" else office)
        assert auth.login(role).status_code == 302
    failures = []
    for rule, url in urls(app, values):
        answer = client.get(url)
        if answer.status_code >= 500 and rule != "/readyz":  # 503 there: the test schema is not migrated
            failures.append(f"{url}: {answer.status_code}")
        if answer.mimetype.startswith(("text/", "application/json")) and b"Traceback" in answer.get_data():
            failures.append(f"{url}: stack trace shown")
        if protected(rule):
            if role in DEVICES and answer.status_code not in (302, 401, 403, 404):
                failures.append(f"{url}: {role} got {answer.status_code}")
            if role == "clerk_elsewhere" and "<" in rule and answer.status_code not in (403, 404, 302):
                failures.append(f"{url}: a clerk of another office got {answer.status_code}")
            if role in ("clerk", "clerk_elsewhere") and rule.startswith(("/reports", "/admin")) \
                    and not rule.startswith(CLERK_ALLOWED) and answer.status_code not in (403, 404):
                failures.append(f"{url}: a clerk got {answer.status_code}")
    assert failures == [], "\n".join(failures)
