"""The demo's past: days made through the queue rules fill the reports, with a consistent event log."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kezek.demo_history import MARK, has_history, make_history, working_days
from kezek.models import SERVED, AuditEntry, Cabinet, Ticket, TicketEvent, User
from kezek.models.reports import FeedbackAnswer
from tests.conftest import office_by_slug

DAYS = 2  # Monday 23 and Tuesday 24 November 2026 before the fixture's Wednesday morning


def _make(app, clock, auth):
    auth.create("boss", "manager", "demo")
    from kezek.extensions import db

    with app.app_context():
        office = office_by_slug(db.session, "demo")
        boss = db.session.scalar(select(User).where(User.username == "boss"))
        summary = make_history(db.session, office, clock(), boss, most_recent=DAYS)
        again = make_history(db.session, office, clock(), boss, most_recent=DAYS)
        assert has_history(db.session, office)
    return summary, again


def test_history_fills_every_report_page_of_the_demo_office(app, client, clock, auth):
    summary, again = _make(app, clock, auth)
    assert (summary.days, str(summary.first_day), str(summary.last_day)) == (2, "2026-11-23", "2026-11-24")
    assert summary.tickets > 100 and again.tickets == 0  # a second start adds nothing
    auth.login("boss")
    page = client.get("/reports/?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    breaches = int(re.search(r'data-figure="breaches">(\d+)<', page).group(1))
    assert breaches > 0  # the Monday rush breaks the 10-minute limits
    assert len(re.findall(r'class="heat-cell', page)) >= 10  # the heat map has hours of both days
    assert "2026-11-23" in page and "2026-11-24" in page  # the trend's days
    annex = client.get("/reports/annex2?year=2026").get_data(as_text=True)
    values = re.findall(r'data-col="value"><strong>([^<]*)<', annex)
    assert sum(1 for value in values if value.strip() not in ("", "—")) >= 4  # waits, feedback, documents


def test_history_log_is_consistent(app, db, clock, auth):
    _make(app, clock, auth)
    office = office_by_slug(db, "demo")
    tickets = list(db.scalars(select(Ticket).where(Ticket.office_id == office.id)))
    events = defaultdict(list)
    for event in db.scalars(select(TicketEvent).order_by(TicketEvent.at, TicketEvent.id)):
        events[event.ticket_id].append(event.kind)
    numbers = defaultdict(list)
    for ticket in tickets:
        numbers[(ticket.service_day, ticket.prefix)].append(ticket.number)
        kinds = events[ticket.id]
        assert kinds[0] == "issued"
        if ticket.status == SERVED:
            assert kinds.index("called") < kinds.index("started") < kinds.index("finished")
            assert ticket.issued_at <= ticket.called_at <= ticket.started_at <= ticket.finished_at
    for key, taken in numbers.items():
        assert sorted(taken) == list(range(1, len(taken) + 1)), key
    statuses = {ticket.status for ticket in tickets}
    assert statuses == {"served", "no_show"}  # nobody left waiting at the end of a day
    zone = ZoneInfo(office.timezone)
    hours = Counter((ticket.service_day.weekday(), ticket.issued_at.astimezone(zone).hour) for ticket in tickets)
    assert hours[(0, 9)] > 1.5 * hours[(1, 9)]  # the Monday-morning rush
    assert hours[(1, 13)] < hours[(1, 10)] / 2  # the lunch gap
    cabinet = db.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "101"))
    lunch_calls = [ticket for ticket in tickets if ticket.cabinet_id == cabinet.id
                   and time(13, 5) <= ticket.called_at.astimezone(zone).time() <= time(13, 55)]
    assert not lunch_calls  # the clerk of 101 was at lunch
    assert any("transferred" in kinds for kinds in events.values())
    assert db.scalar(select(FeedbackAnswer.id).limit(1)) is not None
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == MARK)).detail["days"] == 2
    from werkzeug.security import check_password_hash

    for username in ("demo-clerk-2", "demo-clerk-3"):  # clerks of the past only: nobody can sign in as them
        stored = db.scalar(select(User.password_hash).where(User.username == username))
        assert not any(check_password_hash(stored, guess) for guess in ("", "!", username))


def test_weekends_and_public_holidays_stay_closed():
    from datetime import date

    days = working_days(date(2026, 12, 20), weeks=2)
    assert date(2026, 12, 16) not in days and date(2026, 12, 12) not in days  # Independence Day, a Saturday
    assert date(2026, 12, 15) in days and len(days) == 9


def test_setup_demo_refuses_a_bad_number_of_weeks(app, runner, db):
    refused = runner.invoke(args=["setup-demo", "--history-weeks", "-1"])
    assert refused.exit_code == 2 and "history-weeks" in refused.output
    assert db.scalar(select(Ticket.id).limit(1)) is None


def test_kezek_demo_s_today_is_a_morning_in_progress_on_the_live_floor(app, client, db, clock, auth):
    """`kezek demo` started at 10:00 on a Wednesday: today's visitors so far came, some are still in the hall
    (waiting or at a cabinet), the cabinets are open, and nothing after 10:00 has happened yet."""
    from kezek.extensions import db as kezek_db
    from kezek.models import CLOSED

    auth.create("boss", "manager", "demo")
    with app.app_context():
        office = office_by_slug(kezek_db.session, "demo")
        boss = kezek_db.session.scalar(select(User).where(User.username == "boss"))
        summary = make_history(kezek_db.session, office, clock(), boss, most_recent=1, today_so_far=True)
    assert (summary.days, str(summary.last_day)) == (2, "2026-11-25")  # Tuesday, and Wednesday until now
    office = office_by_slug(db, "demo")
    today = list(db.scalars(select(Ticket).where(Ticket.office_id == office.id, Ticket.service_day == clock().date())))
    assert today and max(ticket.issued_at for ticket in today) <= clock()
    assert "served" in {ticket.status for ticket in today}  # the first visitors already went home
    assert all(ticket.called_at is None or ticket.called_at <= clock() for ticket in today)
    states = set(db.scalars(select(Cabinet.state).where(Cabinet.office_id == office.id, Cabinet.number.in_(["101", "102"]))))
    assert CLOSED not in states  # the clerks are at work
    auth.login("boss")
    floor = client.get(f"/reports/live/{office.id}?lang=en").get_data(as_text=True)
    in_the_hall = [ticket for ticket in today if ticket.status in ("waiting", "called", "serving")]
    assert in_the_hall and all(ticket.label in floor for ticket in in_the_hall)  # the live floor shows the morning
