"""The staffing plan page: a manager sees the week's cabinets per hour, downloads it, sets the office's target."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from kezek.extensions import db as kezek_db
from tests.conftest import office_by_slug
from tests.planning.history import write_history


@pytest.fixture
def taraz(app):
    """Taraz with three weeks of history; plans played with a few simulated days (the search is tested apart)."""
    app.config["PLAN_SEEDS"] = 4
    with app.app_context():
        office = office_by_slug(kezek_db.session, "taraz")
        write_history(kezek_db.session, office, date(2026, 11, 2), date(2026, 11, 24))
        return office.id


def test_a_manager_sees_the_week_s_cabinets_per_hour_as_a_table_and_a_heat_map(client, auth, taraz):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    page = client.get("/reports/plan?week=2026-W49&lang=en").get_data(as_text=True)
    assert "Staffing plan" in page and 'aria-current="page">Staffing plan' in page  # the reports menu has it
    table = page.split('id="plan-table"')[1].split('id="plan-heat"')[0]
    monday = table.split('data-day="2026-11-30"')[1].split("</tr>")[0]
    assert len(re.findall(r'data-cabinets="(\d+)"', monday)) == 8  # 09:00 to 18:00 without the lunch hour
    assert 'data-day="2026-12-05"' in table and "closed" in table.split('data-day="2026-12-05"')[1]
    heat = page.split('id="plan-heat"')[1]
    assert len(re.findall(r'class="heat-cell heat-\d+"', heat)) == 5 * 8
    assert re.search(r'data-figure="plan-\d+">\d+(\.\d)? %', page)  # the expected share with the plan
    assert re.search(r'data-figure="opened-\d+">\d+(\.\d)? %', page)  # and with the cabinets of last week
    assert "With the cabinets open in the week of Nov 16, 2026" in page  # the last whole week before today


def test_the_plan_downloads_as_a_workbook_with_the_table(client, auth, taraz):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    response = client.get(f"/reports/plan.xlsx?office={taraz}&week=2026-W49&target=90&lang=en")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "90 %" in rows[1][0]
    header = rows[3]
    assert header[4] == "Cabinets to open"
    mondays = [row for row in rows[4:] if row[1] == "Monday"]
    assert [row[2] for row in mondays][:2] == ["09:00–10:00", "10:00–11:00"] and len(mondays) == 8
    assert all(isinstance(row[4], int) and row[4] >= 1 for row in mondays)
    assert [row[5] for row in rows[4:] if row[1] == "Saturday"] == ["closed"]


def test_a_regional_manager_chooses_the_office(client, auth, taraz):
    auth.create("region", "regional_manager", None)
    auth.login("region")
    page = client.get("/reports/plan").get_data(as_text=True)
    assert "data-choose" in page and 'id="plan-table"' not in page
    page = client.get(f"/reports/plan?office={taraz}&week=2026-12-02").get_data(as_text=True)
    assert 'data-day="2026-11-30"' in page  # any day of the week plans from its Monday


def test_clerks_and_other_offices_managers_are_refused(client, auth, taraz):
    auth.create("clerk1", "clerk", "taraz")
    auth.create("other", "manager", "baizak")
    auth.login("clerk1")
    assert client.get("/reports/plan").status_code == 403
    assert client.get(f"/reports/plan.xlsx?office={taraz}").status_code == 403
    client.post("/logout", data={"csrf_token": auth.token()})
    auth.login("other")
    assert client.get(f"/reports/plan?office={taraz}").status_code == 403
    assert client.get(f"/reports/plan.xlsx?office={taraz}").status_code == 403


@pytest.mark.parametrize("query, status, words", [
    ("office=99999", 404, ""),
    ("office=abc", 400, "office could not be read"),
    ("week=2026-W60", 400, "week could not be read"),
    ("week=next", 400, "week could not be read"),
    ("target=100", 400, "from 50 to 99"),
    ("target=9x", 400, "from 50 to 99"),
])
def test_bad_input_is_a_clear_refusal(client, auth, taraz, query, status, words):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    response = client.get(f"/reports/plan?{query}&lang=en")
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


def test_a_manager_sets_the_office_s_own_target(client, auth, taraz):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    token = auth.token()
    response = client.post(f"/reports/plan/{taraz}/target?week=2026-W49", data={"target": "90", "csrf_token": token})
    assert response.status_code == 303
    page = client.get("/reports/plan?week=2026-W49&lang=en").get_data(as_text=True)
    assert 'name="target" min="50" max="99" step="1" value="90"' in page
    assert "at least 90 %" in page
    refused = client.post(f"/reports/plan/{taraz}/target", data={"target": "120", "csrf_token": token})
    assert refused.status_code == 400


def test_the_plan_is_worked_out_once_until_what_it_is_made_from_changes(client, auth, taraz, app, monkeypatch):
    import kezek.reports.plan_routes as plan_routes
    from kezek.models import Office

    made = []
    real = plan_routes.week_plan
    monkeypatch.setattr(plan_routes, "week_plan", lambda *args, **kw: made.append(1) or real(*args, **kw))
    auth.create("boss", "manager", "taraz")
    auth.login("boss")

    def cabinets() -> list[str]:
        page = client.get("/reports/plan?week=2026-W49&lang=en").get_data(as_text=True)
        return re.findall(r'data-cabinets="(\d+)"', page.split('id="plan-table"')[1])

    first = cabinets()
    assert cabinets() == first and client.get(f"/reports/plan.xlsx?office={taraz}&week=2026-W49").status_code == 200
    assert len(made) == 1  # the page again and its workbook: the same plan, not seconds of simulation again
    with app.app_context():
        kezek_db.session.get(Office, taraz).call_policy = "fifo"  # the office changes its call order
        kezek_db.session.commit()
    cabinets()
    assert len(made) == 2  # a plan for the new call order
    client.get("/reports/plan?week=2026-W49&target=80&lang=en")
    assert len(made) == 3  # another target is another plan


def test_a_kept_plan_is_worked_out_again_after_its_time():
    from kezek.planning.cache import PlanCache

    now = [0.0]
    cache: PlanCache[str] = PlanCache(size=2, keep_seconds=600, clock=lambda: now[0])
    assert cache.get("a", lambda: "first") == "first"
    now[0] = 599
    assert cache.get("a", lambda: "second") == "first"
    now[0] = 601
    assert cache.get("a", lambda: "third") == "third"  # kept too long: made again
    cache.get("b", lambda: "b")
    cache.get("c", lambda: "c")
    assert cache.get("a", lambda: "fourth") == "fourth"  # the oldest of three went when two are kept
