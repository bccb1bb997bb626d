"""The monthly rollup: whole past months read from it give every figure the wait records give, and stay current."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from kezek.models import Office, Service, User
from kezek.models.rollup import WaitRollup
from kezek.reports import rollup
from kezek.reports.annex2 import table
from kezek.reports.compliance import Scope, compliance
from kezek.reports.decisions import record_decision
from tests.reports.conftest import Builder, local

NOW = datetime(2026, 12, 10, 6, 0, tzinfo=timezone.utc)
TODAY = date(2026, 12, 10)
CLOSED = rollup.closed_before(TODAY)
# October 15 to December 5: November whole (from the rollup), the two ends from the records.
FIRST, LAST = date(2026, 10, 15), date(2026, 12, 5)


def stats(s) -> tuple:
    return (s.tickets, s.called, s.within, s.share, s.share_40, s.mean, s.median, s.p95, s.longest, s.served, s.no_show)


def figures(report: dict) -> dict:
    """Every figure the compliance page shows, comparable."""
    shown = {name: {key: stats(s) for key, s in report[name].items()}
             for name in ("by_office", "by_service", "by_kind", "by_clerk", "by_limit", "by_weekday", "by_hour", "heat")}
    return {**shown, "total": stats(report["total"]), "daily": report["daily"], "breaches": report["breaches"]}


def annex(session, today=TODAY) -> list[tuple]:
    service = session.scalar(select(Service).where(Service.code == "social_assistance"))
    return [(r.code, r.numerator, r.denominator, r.value, r.beside) for r in table(session, service, 2026, 0, today)]


@pytest.fixture
def months(session, known):
    """The known November tickets plus one on 20 October and one on 2 December in Taraz."""
    builder = Builder(session)
    office = session.scalar(select(Office).where(Office.slug == "taraz"))
    clerk = session.get(User, known.clerk1)
    cabinet = office_cabinet(session, office)
    builder.ticket(office, "A", local(2026, 10, 20, 9, 0), calls=[(local(2026, 10, 20, 9, 41), clerk, cabinet)],
                   started=local(2026, 10, 20, 9, 42), finished=local(2026, 10, 20, 9, 50), documents_correct=True)
    builder.ticket(office, "B", local(2026, 12, 2, 15, 0), calls=[(local(2026, 12, 2, 15, 3), clerk, cabinet)],
                   recalls=[local(2026, 12, 2, 15, 5)], finished=local(2026, 12, 2, 15, 7), status="no_show")
    session.commit()
    return known


def office_cabinet(session, office):
    from kezek.models import Cabinet

    return session.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "1"))


def roll_up(session) -> int:
    count = rollup.bring_up_to_date(session, FIRST, LAST, None, CLOSED, NOW)
    session.commit()
    return count


@pytest.mark.parametrize("offices", ["region", "taraz"])
def test_rollup_gives_every_figure_the_records_give(session, months, offices):
    office_ids = None if offices == "region" else [months.office]
    from_records = compliance(session, Scope(FIRST, LAST, office_ids))
    records_annex = annex(session)
    assert roll_up(session) > 0
    assert rollup.plan(session, FIRST, LAST, office_ids, CLOSED).months == [date(2026, 11, 1)]
    assert session.scalar(select(func.count()).select_from(WaitRollup)) > 0
    from_rollup = compliance(session, Scope(FIRST, LAST, office_ids, closed_before=CLOSED))
    assert figures(from_rollup) == figures(from_records)
    assert annex(session) == records_annex
    # What the page shows for Taraz: eight tickets (the known six, October and December), the
    # transferred A-003 counted at its first call, C-001 (23:30 UTC on Monday) on Tuesday 04:00.
    if offices == "taraz":
        total = from_rollup["total"]
        assert (total.tickets, total.called, total.within, total.served, total.no_show) == (8, 7, 4, 5, 2)
        assert (total.median, total.p95, total.longest) == (10, 45, 45.0)
        assert from_rollup["heat"][(1, 4)].called == 1 and from_rollup["by_weekday"][1].called == 2
        assert [d["day"] for d in from_rollup["daily"]] == [date(2026, 10, 20), date(2026, 11, 23), date(2026, 11, 24),
                                                            date(2026, 12, 2)]
        assert [b["label"] for b in from_rollup["breaches"]["rows"]] == ["A-002", "A-001", "B-001"]  # +15, +11 (October), +2


def test_a_change_to_a_rolled_up_month_shows_at_once(session, months):
    roll_up(session)
    scope = Scope(FIRST, LAST, [months.office], closed_before=CLOSED)
    before = compliance(session, scope)["total"]
    assert {r[0]: r for r in annex(session)}["1.1"][1:4] == (0, 5, 0.0)
    # A late ticket of 23 November is written with its events, and A-003's decision date recorded.
    office = session.get(Office, months.office)
    clerk = session.get(User, months.clerk1)
    Builder(session).ticket(office, "D", local(2026, 11, 23, 16, 0), calls=[(local(2026, 11, 23, 16, 30), clerk,
                            office_cabinet(session, office))], started=local(2026, 11, 23, 16, 31),
                            finished=local(2026, 11, 23, 16, 40))
    record_decision(session, months.office, months.tickets["A-003"], date(2026, 11, 26), clerk, NOW, TODAY)
    session.commit()
    assert rollup.plan(session, FIRST, LAST, [months.office], CLOSED).months == []  # November is read from the records
    after = compliance(session, scope)["total"]
    assert (after.tickets, after.called, after.within, after.longest) == (before.tickets + 1, before.called + 1,
                                                                        before.within, 45.0)
    assert after.p95 == 45 and after.no_show == before.no_show
    decided = {r[0]: r for r in annex(session)}["1.1"]
    # Region: five served hand-ins past their 10-day term, only A-003 decided (in 3 days).
    assert decided[1:4] == (1, 5, 20.0)
    # Rolled up again, the month gives the same figures.
    roll_up(session)
    assert rollup.plan(session, FIRST, LAST, [months.office], CLOSED).months == [date(2026, 11, 1)]
    assert stats(compliance(session, scope)["total"]) == stats(after)
    assert {r[0]: r for r in annex(session)}["1.1"] == decided


def test_the_page_rolls_up_on_first_use_and_shows_todays_tickets(client, auth, months, app, clock):
    clock.set_local(2026, 12, 10, 11, 0)
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    url = "/reports/?start=2026-10-15&end=2026-12-10&lang=en"
    shown = lambda: dict(re.findall(r'data-figure="(\w+)">([^<]*)<', client.get(url).get_data(as_text=True)))  # noqa: E731
    first = shown()
    assert (first["served"], first["no_show"], first["breaches"]) == ("5", "2", "3")
    from kezek.extensions import db

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WaitRollup)) > 0  # November and October rolled up
        office = db.session.get(Office, months.office)
        clerk = db.session.get(User, months.clerk1)
        # A visitor served this morning after a 50-minute wait.
        Builder(db.session).ticket(office, "A", local(2026, 12, 10, 9, 0), calls=[(local(2026, 12, 10, 9, 50), clerk,
                                   office_cabinet(db.session, office))], started=local(2026, 12, 10, 9, 51),
                                   finished=local(2026, 12, 10, 10, 0))
        db.session.commit()
    now = shown()
    assert (now["served"], now["breaches"], now["longest"]) == ("6", "4", "50")


def test_breaches_list_the_furthest_over_first_when_read_by_band(session, known, monkeypatch):
    """Many breaches: the list reads only the band of minutes over that holds the first ones, same order."""
    from kezek.reports import compliance as rule

    office = session.get(Office, known.office)
    clerk = session.get(User, known.clerk1)
    builder = Builder(session)
    for n, wait in enumerate((31, 33, 70, 52, 47, 95)):  # A waits over the 30-minute limit, 09:00 onwards
        issued = local(2026, 11, 25, 9, n)
        builder.ticket(office, "A", issued, calls=[(issued + timedelta(minutes=wait), clerk, office_cabinet(session, office))])
    session.commit()
    scope = Scope(date(2026, 11, 23), date(2026, 11, 25), None)
    bands = []
    monkeypatch.setattr(rule, "_band_is_cheaper", lambda *args: bands.append(args[2]) or True)
    listed = rule.compliance(session, scope)["breaches"]
    shown = rule.breaches(session, scope, limit=3, count=listed["count"], by_limit=rule.compliance(session, scope)["by_limit"])
    assert bands and listed["count"] == 8
    assert [(b["label"], b["over"]) for b in shown["rows"]] == [("A-006", 65.0), ("A-003", 40.0), ("A-004", 22.0)]
    assert [b["label"] for b in listed["rows"]][:4] == ["A-006", "A-003", "A-004", "A-005"]


def test_rollup_command_rolls_up_closed_months_ahead(runner, months, app, clock):
    clock.set_local(2026, 12, 10, 11, 0)
    with app.app_context():
        from kezek.extensions import db

        before = figures(compliance(db.session, Scope(FIRST, LAST, None)))
    result = runner.invoke(args=["reports", "rollup"])
    assert result.exit_code == 0 and re.fullmatch(r"[1-9]\d* office-months\n", result.output)
    with app.app_context():
        assert rollup.plan(db.session, FIRST, LAST, None, CLOSED).months == [date(2026, 11, 1)]
        assert figures(compliance(db.session, Scope(FIRST, LAST, None, closed_before=CLOSED))) == before
    assert runner.invoke(args=["reports", "rollup"]).output == "0 office-months\n"  # nothing left to do
