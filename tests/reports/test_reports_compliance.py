"""Every figure of the compliance page, from a known set of tickets."""
from __future__ import annotations

import re
from datetime import date

from kezek.extensions import db
from kezek.models import AuditEntry
from kezek.reports.compliance import Scope, compliance


def test_totals_shares_and_percentiles(session, known):
    report = compliance(session, Scope(date(2026, 11, 23), date(2026, 11, 24), [known.office]))
    t = report["total"]
    # Called: A-001 10, B-001 12, A-002 45, A-003 5 (first call, before the transfer), C-001 6; A-004 never called.
    assert (t.tickets, t.called, t.within) == (6, 5, 3)
    assert (t.share, t.mean, t.median, t.p95, t.longest) == (60.0, 15.6, 10, 45, 45.0)
    assert (t.served, t.no_show) == (4, 1)
    assert {limit: (s.called, s.share) for limit, s in report["by_limit"].items()} == {30: (3, 66.7), 10: (2, 50.0)}


def test_groups_by_kind_clerk_weekday_hour_and_heat(session, known):
    report = compliance(session, Scope(date(2026, 11, 23), date(2026, 11, 24), [known.office]))
    kinds = {kind_id: prefix for prefix, kind_id in known.kinds.items()}
    by_kind = {kinds[k]: (s.tickets, s.called, s.share, s.mean) for k, s in report["by_kind"].items()}
    assert by_kind == {"A": (4, 3, 66.7, 20.0), "B": (1, 1, 0.0, 12.0), "C": (1, 1, 100.0, 6.0)}
    by_clerk = {k: (s.called, s.share, s.longest) for k, s in report["by_clerk"].items()}
    assert by_clerk == {known.clerk1: (4, 50.0, 45.0), known.clerk2: (1, 100.0, 6.0)}
    # C-001 was issued at 23:30 UTC on Monday, but that is Tuesday 04:30 in Taraz: it counts on Tuesday.
    assert {k: s.called for k, s in report["by_weekday"].items()} == {0: 4, 1: 1}
    assert {k: s.called for k, s in report["by_hour"].items()} == {4: 1, 9: 3, 10: 1, 11: 0}
    assert report["heat"][(0, 9)].share == 33.3
    assert report["heat"][(1, 4)].share == 100.0
    assert report["heat"][(0, 11)].share is None
    # C-001 waited from 04:30 to 04:36, before the office opens at 09:00: none of it with closed periods left out.
    assert report["daily"] == [
        {"day": date(2026, 11, 23), "tickets": 5, "called": 4, "share": 50.0, "mean": 18.0, "turned_away": 0,
         "share_everyone": 50.0, "wait_seconds": 72 * 60, "mean_open": 18.0},
        {"day": date(2026, 11, 24), "tickets": 1, "called": 1, "share": 100.0, "mean": 6.0, "turned_away": 0,
         "share_everyone": 100.0, "wait_seconds": 6 * 60, "mean_open": 0.0},
    ]


def test_breaches_listed_furthest_over_first(session, known):
    breaches = compliance(session, Scope(date(2026, 11, 23), date(2026, 11, 24), [known.office]))["breaches"]
    assert breaches["count"] == 2
    assert [(b["label"], b["wait"], b["limit"], b["over"]) for b in breaches["rows"]] == [
        ("A-002", 45.0, 30, 15.0), ("B-001", 12.0, 10, 2.0)]


def test_range_follows_local_days(session, known):
    tuesday = compliance(session, Scope(date(2026, 11, 24), date(2026, 11, 24), [known.office]))["total"]
    assert (tuesday.tickets, tuesday.mean) == (1, 6.0)
    region = compliance(session, Scope(date(2026, 11, 23), date(2026, 11, 24), None))
    assert {k: s.called for k, s in region["by_office"].items()} == {known.office: 5, known.other: 1}


def test_manager_page_shows_the_figures_and_charts(client, auth, known, app):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    html = client.get("/reports/?start=2026-11-23&end=2026-11-24&lang=en").get_data(as_text=True)
    figures = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))
    # One rule for every wait: whole minutes, rounded half up (15.6 -> 16).
    assert figures == {"share": "60.0 %", "mean": "16", "median": "10", "p95": "45", "longest": "45",
                       "served": "4", "no_show": "1", "breaches": "2", "turned_away": "0",
                       "share_everyone": "60.0 %", "mean_open": "14", "longest_open": "45"}
    assert "Shu" not in html.split('id="summary"')[1]  # another office's tickets are not counted
    assert "+15.0" in html and "+2.0" in html
    assert "/static/vendor/chart.umd.min.js" in html and 'data-chart="trend"' in html
    assert "Aigul" in html and "Bolat" in html


def test_bad_ranges_are_refused(client, auth, known):
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    # A reversed, unreadable or too long range shows the form again with the reason, not a bare error page.
    reversed_ = client.get("/reports/?start=2026-11-24&end=2026-11-23&lang=en")
    assert reversed_.status_code == 400 and 'id="report-filters"' in reversed_.get_data(as_text=True)
    assert "The start date 2026-11-24 comes after the end date 2026-11-23. Swap them." in reversed_.get_data(as_text=True)
    unreadable = client.get("/reports/log?start=yesterday&lang=en")
    assert unreadable.status_code == 400 and "The dates could not be read." in unreadable.get_data(as_text=True)
    assert 'name="outcome"' in unreadable.get_data(as_text=True)  # the log's own filters
    too_long = client.get("/reports/?start=2000-01-01&end=2026-11-23&lang=en").get_data(as_text=True)
    assert "A report covers at most 1098 days." in too_long
    assert client.get("/reports/?office=99999").status_code == 404


def test_roles(client, auth, known, app):
    auth.create("clerk", "clerk", "taraz")
    auth.login("clerk")
    for path in ("/reports/", "/reports/log", "/reports/log.csv", "/reports/log.xlsx", "/reports/annex2", "/reports/annex2.xlsx"):
        assert client.get(path).status_code == 403, path
    client.post("/logout", data={"csrf_token": auth.token()})
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    assert client.get(f"/reports/?office={known.other}").status_code == 403
    assert client.get(f"/reports/log.csv?office={known.other}").status_code == 403
    with app.app_context():
        assert db.session.query(AuditEntry).filter(AuditEntry.action.like("reports.export%")).count() == 0
    client.post("/logout", data={"csrf_token": auth.token()})
    auth.create("region", "regional_manager", None)
    auth.login("region")
    html = client.get("/reports/?start=2026-11-23&end=2026-11-24&lang=en").get_data(as_text=True)
    assert re.search(r'data-figure="served">5<', html)  # Taraz's four and Shu's one
    assert client.get(f"/reports/?office={known.other}").status_code == 200
