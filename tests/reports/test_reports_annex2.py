"""Annex 2: the seed's normative values and targets, measured values to the percent, manager entries."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone

from openpyxl import load_workbook
from sqlalchemy import select

from kezek.extensions import db
from kezek.models import AuditEntry, Service, Ticket, User
from kezek.reports.annex2 import table
from kezek.reports.decisions import record_decision
from kezek.reports.feedback import answer

NOW = datetime(2026, 12, 10, 6, 0, tzinfo=timezone.utc)


def service(session, code):
    return session.scalar(select(Service).where(Service.code == code))


def rated(session, known):
    t = {label: session.get(Ticket, ticket_id) for label, ticket_id in known.tickets.items()}
    clerk = session.get(User, known.clerk1)
    record_decision(session, known.office, t["A-001"].id, date(2026, 11, 30), clerk, NOW, date(2026, 12, 10))
    record_decision(session, known.office, t["A-002"].id, date(2026, 12, 5), clerk, NOW, date(2026, 12, 10))
    for question, yes in (("process", True), ("information", True), ("politeness", True)):
        answer(session, t["A-001"], question, yes, NOW)
    answer(session, t["A-002"], "process", False, NOW)
    answer(session, t["A-002"], "information", True, NOW)
    session.commit()


def test_measured_values_and_seed_norms(session, known):
    rated(session, known)
    rows = {row.code: row for row in table(session, service(session, "social_assistance"), 2026, known.office, date(2026, 12, 10))}
    # 1.1: A-001 decided in 7 days (in time), A-002 in 12 (late), A-003 undecided and past its 10 days (late).
    assert (rows["1.1"].numerator, rows["1.1"].denominator, rows["1.1"].value) == (1, 3, 33.3)
    # 1.2: waits 10, 45, 12 and 5 minutes: three of four within 40 minutes.
    assert (rows["1.2"].numerator, rows["1.2"].denominator, rows["1.2"].value) == (3, 4, 75.0)
    assert [(b["hand_in"], b["limit"], b["within"], b["called"], b["share"]) for b in rows["1.2"].beside] == [
        (True, 30, 2, 3, 66.7), (False, 10, 0, 1, 0.0)]
    assert (rows["2.1"].value, rows["3.1"].value, rows["5.1"].value) == (50.0, 100.0, 100.0)
    assert (rows["3.2"].numerator, rows["3.2"].denominator, rows["3.2"].value) == (2, 3, 66.7)
    assert [(code, rows[code].normative, rows[code].target) for code in ("1.1", "3.2", "3.3", "4.1", "4.2", "4.3", "5.1")] == [
        ("1.1", 100, 100), ("3.2", 99, 100), ("3.3", 100, 100), ("4.1", 1, 0), ("4.2", 1, 0), ("4.3", 100, 100),
        ("5.1", 98, 100)]
    assert rows["2.2"].value is None and not rows["2.2"].measured
    other = {row.code: row for row in table(session, service(session, "unemployed_certificate"), 2026, known.office, date(2026, 12, 10))}
    assert (other["1.2"].value, other["3.3"].normative, other["4.3"].normative, other["5.1"].normative) == (100.0, None, 0, 99)


def test_pending_cases_wait_for_their_term(session, known):
    rows = {row.code: row for row in table(session, service(session, "social_assistance"), 2026, known.office, date(2026, 11, 25))}
    assert (rows["1.1"].denominator, rows["1.1"].beside[0]["pending"]) == (0, 3)


def test_manager_enters_values_and_edits_norms_with_who_and_when(client, auth, known, app):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    social = known.services["social_assistance"]
    url = f"/reports/annex2?service={social}&year=2026"
    answer_ = client.post(url, data={"indicator": "4.1", "normative": "1", "target": "0.5", "value": "0.4", "csrf_token": auth.token()})
    assert answer_.status_code == 303
    html = client.get(url + "&lang=en").get_data(as_text=True)
    row = re.search(r'data-indicator="4.1">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'data-col="target">0.5<', row) and "<strong>0.4</strong>" in row and "Last edited by boss" in row
    # A measured value cannot be typed over.
    client.post(url, data={"indicator": "1.2", "value": "100", "csrf_token": auth.token()})
    assert "<strong>75.0</strong>" in re.search(r'data-indicator="1.2">(.*?)</tr>', client.get(url).get_data(as_text=True), re.S).group(1)
    assert client.post(url, data={"indicator": "9.9", "value": "1", "csrf_token": auth.token()}).status_code == 400
    assert client.post(url, data={"indicator": "4.1", "value": "250", "csrf_token": auth.token()}).status_code == 400
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reports.annex2.save"))
    assert entry.detail["value"] == 0.4


def test_annex2_xlsx(client, auth, known, app):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    social = known.services["social_assistance"]
    answer_ = client.get(f"/reports/annex2.xlsx?service={social}&year=2026&lang=en")
    sheet = load_workbook(io.BytesIO(answer_.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    # What the sheet is about, above the table: the annex, the service, the office (here the manager's) and the year.
    assert [row[0] for row in rows[:4]] == ["Annex 2: quality and accessibility indicators of the public service",
                                             "Targeted social assistance",
                                             "Department of Employment and Social Programmes, Taraz city akimat",
                                             "Year 2026"]
    table = rows[5:]
    assert table[0][0] == "Indicator" and sheet.freeze_panes == "A7"
    assert table[2][0] == "1.2" and table[2][2:5] == (100, 100, 75.0)
    # The legal 30- and 10-minute limits beside the 40-minute rule, as on the page.
    assert [(row[0], row[1], row[4], row[6]) for row in table[3:5]] == [
        ("1.2", "Legal limit for handing in, 30 min", 66.7, "2 / 3"),
        ("1.2", "Legal limit for collecting, 10 min", 0.0, "0 / 1")]
    assert table[-1][0] == "5.1" and table[-1][2:4] == (98, 100) and len(table) == 15
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reports.export.annex2.xlsx")) is not None


def test_clerk_records_a_decision_date(client, auth, known, clock):
    clock.set_local(2026, 11, 30, 10, 0)
    auth.login("aigul")
    html = client.get("/reports/decisions").get_data(as_text=True)
    assert "A-002" in html and "C-001" in html
    a1 = known.tickets["A-001"]
    post = lambda day: client.post("/reports/decisions", data={"ticket_id": a1, "decided_on": day, "csrf_token": auth.token()})  # noqa: E731
    assert post("2026-11-27").status_code == 303
    assert post("2026-11-01").status_code == 400  # before the hand-in
    assert post("2026-12-25").status_code == 400  # in the future
    assert client.post("/reports/decisions", data={"ticket_id": known.tickets["shu A-001"], "decided_on": "2026-11-27",
                                                   "csrf_token": auth.token()}).status_code == 404
    assert 'value="2026-11-27"' in client.get("/reports/decisions").get_data(as_text=True)
