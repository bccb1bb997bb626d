"""Waits with the office's closed periods left out, shown beside the waits as lived, labelled."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select

from kezek.extensions import db
from kezek.models import Cabinet, Office, User
from kezek.queue.hours import DaySchedule
from kezek.reports.closed_time import closed_seconds, open_minutes
from kezek.reports.compliance import Scope, compliance
from kezek.reports.log import LogFilter, page

from tests.reports.conftest import ALMATY, Builder, local


def _day() -> DaySchedule:
    at = lambda hour, minute=0: datetime(2026, 11, 23, hour, minute, tzinfo=ALMATY)  # noqa: E731
    return DaySchedule(date(2026, 11, 23), at(9), at(18), at(13), at(14))


def test_the_lunch_hour_and_the_time_before_opening_are_left_out():
    day = _day()
    assert open_minutes(day, local(2026, 11, 23, 12, 50), local(2026, 11, 23, 14, 5)) == 15.0
    assert closed_seconds(day, local(2026, 11, 23, 8, 50), local(2026, 11, 23, 9, 10)) == 10 * 60
    assert open_minutes(day, local(2026, 11, 23, 17, 50), local(2026, 11, 23, 18, 20)) == 10.0
    # A wait wholly in open hours reads the same both ways; a day without hours leaves nothing out.
    assert open_minutes(day, local(2026, 11, 23, 10, 0), local(2026, 11, 23, 10, 25)) == 25.0
    assert open_minutes(None, local(2026, 11, 23, 12, 50), local(2026, 11, 23, 14, 5)) == 75.0


def _held_over_lunch(session, known) -> None:
    office = session.get(Office, known.office)
    cabinet = session.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "2"))
    clerk = session.get(User, known.clerk2)
    builder = Builder(session)
    builder.numbers[(office.id, date(2026, 11, 23), "C")] = 10
    builder.ticket(office, "C", local(2026, 11, 23, 12, 50), calls=[(local(2026, 11, 23, 14, 5), clerk, cabinet)],
                   started=local(2026, 11, 23, 14, 6), finished=local(2026, 11, 23, 14, 10))
    session.commit()


def test_compliance_gives_both_readings_of_a_wait_held_over_lunch(session, known):
    _held_over_lunch(session, known)
    report = compliance(session, Scope(date(2026, 11, 23), date(2026, 11, 24), [known.office]))
    total, closed = report["total"], report["closed_left_out"]
    # As lived, C-011 waited 75 min through the lunch hour: the day's longest wait. Without the lunch hour it
    # waited 15 min, and the longest is A-002's 45 min in open hours; C-001 (04:30, before opening) waited none.
    assert (total.longest, closed.longest) == (75.0, 45.0)
    assert (total.mean, closed.mean) == (25.5, 14.5)  # 153 min lived, 153 - 60 - 6 = 87 left, over 6 called
    monday = report["daily"][0]
    assert (monday["mean"], monday["mean_open"]) == (29.4, 17.4)
    assert total.within == 3  # the share within the limit keeps the lived reading: C-011 is a breach


def test_pages_label_the_second_reading_beside_the_lived_wait(client, auth, known, app):
    with app.app_context():  # its own context: the pages' requests push theirs
        _held_over_lunch(db.session, known)
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    html = client.get("/reports/?start=2026-11-23&end=2026-11-24&lang=en").get_data(as_text=True)
    figures = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))
    assert (figures["longest"], figures["longest_open"]) == ("75", "45")
    assert "longest wait with closed periods left out, min" in html
    assert "the lunch break included" in html
    log = client.get("/reports/log?start=2026-11-23&end=2026-11-23&lang=en").get_data(as_text=True)
    assert "Wait, closed periods left out, min" in log
    row = log.split('data-ticket="')[1]
    assert "C-011" in row and "<td>75.0</td><td data-wait-open>15.0</td>" in row


def test_the_log_rows_carry_both_readings(session, known):
    _held_over_lunch(session, known)
    rows, _cursor = page(session, LogFilter(date(2026, 11, 23), date(2026, 11, 23), [known.office]))
    by = {row.label: (row.wait, row.wait_open) for row in rows}
    assert by["C-011"] == (75.0, 15.0) and by["A-002"] == (45.0, 45.0) and by["A-004"] == (None, None)


def test_a_range_longer_than_a_quarter_says_to_choose_a_shorter_one_for_the_second_reading(client, auth, known, app):
    """The closed-periods reading goes through waits one by one: a region's year took seconds and hundreds of
    MB, so it is read for ranges of up to 92 days and the page says so beyond; the lived figures stay."""
    with app.app_context():
        _held_over_lunch(db.session, known)
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    html = client.get("/reports/?start=2026-01-01&end=2026-12-31&lang=en").get_data(as_text=True)
    figures = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))
    assert figures["longest"] == "75" and figures["longest_open"].strip() in ("—", "")
    assert "data-closed-too-long" in html and "up to 92 days" in html
    short = client.get("/reports/?start=2026-09-01&end=2026-11-30&lang=en").get_data(as_text=True)  # 91 days
    assert "data-closed-too-long" not in short
    assert dict(re.findall(r'data-figure="(\w+)">([^<]*)<', short))["longest_open"] == "45"
