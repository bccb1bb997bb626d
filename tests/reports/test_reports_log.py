"""The wait-time log: every ticket with local times, filters, keyset pages, CSV and XLSX exports."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from kezek.extensions import db
from kezek.models import AuditEntry
from kezek.reports.log import LogFilter, page

WEEK = dict(start="2026-11-23", end="2026-11-24")


def labels(rows):
    return [row.label for row in rows]


def test_log_rows_carry_local_times_waits_and_outcomes(session, known):
    rows, cursor = page(session, LogFilter(date(2026, 11, 23), date(2026, 11, 24), [known.office]))
    assert cursor is None
    assert labels(rows) == ["C-001", "A-004", "A-003", "A-002", "B-001", "A-001"]
    by = {row.label: row for row in rows}
    # Issued 23:30 UTC on the 23rd: shown as 04:30 on the 24th, Taraz time.
    assert (by["C-001"].issued, by["C-001"].wait, by["C-001"].service) == (datetime(2026, 11, 24, 4, 30), 6.0, 8.0)
    a3 = by["A-003"]
    assert (a3.called, a3.wait, a3.transferred, a3.clerk, a3.cabinet, a3.limit_held) == (
        datetime(2026, 11, 23, 10, 5), 5.0, True, "Bolat", "2", True)
    assert (by["A-002"].wait, by["A-002"].limit_held, by["A-002"].finished) == (45.0, False, datetime(2026, 11, 23, 10, 0))
    assert (by["B-001"].outcome, by["B-001"].recalls, by["B-001"].limit_held) == ("no_show", 1, False)
    assert (by["A-004"].outcome, by["A-004"].wait, by["A-004"].limit_held) == ("cancelled", None, None)


def test_filters(session, known):
    week = dict(first=date(2026, 11, 23), last=date(2026, 11, 24), office_ids=[known.office])
    assert labels(page(session, LogFilter(**week, outcome="no_show"))[0]) == ["B-001"]
    assert labels(page(session, LogFilter(**week, outcome="transferred"))[0]) == ["A-003"]
    assert labels(page(session, LogFilter(**week, clerk_id=known.clerk2))[0]) == ["C-001", "A-003"]
    a = known.kinds["A"]
    assert labels(page(session, LogFilter(**week, visit_kind_id=a))[0]) == ["A-004", "A-003", "A-002", "A-001"]
    unemployed = known.services["unemployed_certificate"]
    assert labels(page(session, LogFilter(**week, service_id=unemployed))[0]) == ["C-001"]
    assert labels(page(session, LogFilter(date(2026, 11, 24), date(2026, 11, 24), [known.office]))[0]) == ["C-001"]


def test_keyset_pages_cover_every_ticket_once(session, known):
    flt = LogFilter(date(2026, 11, 23), date(2026, 11, 24), [known.office])
    seen, cursor, pages = [], None, 0
    while True:
        rows, cursor = page(session, flt, cursor, size=4)
        seen += labels(rows)
        pages += 1
        if cursor is None:
            break
    assert pages == 2
    assert seen == ["C-001", "A-004", "A-003", "A-002", "B-001", "A-001"]


def test_log_page_and_bad_cursor(client, auth, known):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    html = client.get("/reports/log?start=2026-11-23&end=2026-11-24&lang=en").get_data(as_text=True)
    assert "2026-11-24 04:30" in html and "A-002" in html and "Shu" not in html.split('id="log"')[1]
    assert client.get("/reports/log?after=drop%20table").status_code == 400
    assert client.get("/reports/log?outcome=lost").status_code == 400


def test_csv_export_is_exactly_the_filtered_log_and_is_audited(client, auth, known, app):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    answer = client.get("/reports/log.csv?start=2026-11-23&end=2026-11-24&outcome=served&lang=en")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    assert table[0][:4] == ["Office", "Service and visit", "Number", "Issued"]
    assert [row[2] for row in table[1:]] == ["C-001", "A-003", "A-002", "A-001"]
    a2 = table[3]
    assert a2[3:11] == ["2026-11-23 09:05:00", "2026-11-23 09:50:00", "2026-11-23 09:51:00", "2026-11-23 10:00:00",
                        "45.0", "45.0", "9.0", "30"]
    assert a2[13:] == ["served", "no", "0", "no", ""]  # the last column: the clerk's note (none here)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reports.export.log.csv"))
    assert entry.username == "boss" and entry.detail["outcome"] == "served" and entry.detail["from"] == "2026-11-23"


def test_xlsx_export_has_real_dates_numbers_and_a_frozen_header(client, auth, known, app):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    answer = client.get("/reports/log.xlsx?start=2026-11-23&end=2026-11-24&lang=en")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Number" and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 30
    c1 = rows[1]
    assert c1[2:11] == ("C-001", datetime(2026, 11, 24, 4, 30), datetime(2026, 11, 24, 4, 36),
                        datetime(2026, 11, 24, 4, 37), datetime(2026, 11, 24, 4, 45), 6.0, 0.0, 8.0, 10)
    assert len(rows) == 7
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reports.export.log.xlsx")) is not None


def test_empty_menus_mean_any(client, auth, known):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    html = client.get("/reports/log?start=2026-11-23&end=2026-11-24&service=&visit_kind=&clerk=&outcome=").get_data(as_text=True)
    assert html.count("data-ticket=") == 6


def test_the_excel_form_of_the_csv_has_semicolons_and_decimal_commas(client, auth, known):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    page = client.get("/reports/log?start=2026-11-23&end=2026-11-24&lang=ru").get_data(as_text=True)
    assert 'id="export-csv-excel"' in page and "excel=1" in page
    answer = client.get("/reports/log.csv?start=2026-11-23&end=2026-11-24&outcome=served&excel=1&lang=ru")
    body = answer.get_data()
    assert body.startswith("\ufeff".encode("utf-8"))
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Отдел", "Услуга и вид приёма", "Номер"] and len(table[0]) == 18
    a2 = [row for row in table if row[2] == "A-002"][0]
    assert a2[7:11] == ["45,0", "45,0", "9,0", "30"]
