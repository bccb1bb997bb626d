"""Visitors the kiosk turns away are counted per day and shown beside the share within the limit."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from kezek.models import TurnedAway
from kezek.queue.errors import NotFound, OfficeClosed, TooLateToday
from kezek.queue.turned_away import record_turned_away, turned_away_by_day
from kezek.reports.compliance import Scope, compliance
from tests.conftest import kind_by_prefix, office_by_slug


def test_a_ticket_refused_at_lunch_is_counted_as_turned_away_on_that_day(client, kiosk, clock, app):
    clock.set_local(2026, 11, 25, 13, 15)
    assert kiosk.take("A").status_code == 409
    assert kiosk.take("C").status_code == 409
    with app.app_context():
        from kezek.extensions import db

        rows = db.session.scalars(select(TurnedAway)).all()
        assert [(row.service_day, row.reason) for row in rows] == [(date(2026, 11, 25), "office_closed")] * 2
        office = office_by_slug(db.session, "taraz")
        assert turned_away_by_day(db.session, [office.id], date(2026, 11, 25), date(2026, 11, 25)) == {
            date(2026, 11, 25): {"office_closed": 2}}


def test_refusals_that_turn_nobody_away_are_not_counted(db, clock):
    office = office_by_slug(db, "taraz")
    assert record_turned_away(db, office, None, NotFound(what="office"), clock()) is None
    db.commit()
    assert db.scalars(select(TurnedAway)).all() == []


def test_the_compliance_report_counts_everyone_who_came_per_day(db, clock):
    office = office_by_slug(db, "taraz")
    kind = kind_by_prefix(db, "A")
    day = clock().date()
    for _ in range(3):
        record_turned_away(db, office, kind.id, TooLateToday(clock(), None), clock())
    record_turned_away(db, office, kind.id, OfficeClosed("lunch", clock()), clock() + timedelta(hours=3))
    db.commit()
    report = compliance(db, Scope(day, day, [office.id]))
    assert report["turned_away"] == 4
    today = [row for row in report["daily"] if row["day"] == day]
    assert today and today[0]["turned_away"] == 4
    # Nobody was called that day: counting those turned away, none of the 4 was served within the limit.
    assert today[0]["share_everyone"] == 0.0 and report["share_everyone"] == 0.0
    other = office_by_slug(db, "demo")
    assert compliance(db, Scope(day, day, [other.id]))["turned_away"] == 0


def test_the_compliance_page_shows_the_turned_away_beside_the_share(client, auth, app, clock):
    with app.app_context():
        from kezek.extensions import db

        record_turned_away(db.session, office_by_slug(db.session, "taraz"), None, TooLateToday(clock(), None), clock())
        db.session.commit()
    auth.create("boss", "manager", "taraz")
    auth.login("boss")
    day = clock().date().isoformat()
    page = client.get(f"/reports/?start={day}&end={day}&lang=en").get_data(as_text=True)
    assert 'data-figure="turned_away">1<' in page
    assert "turned away at the kiosk" in page


def test_before_lunch_the_kiosk_says_a_ticket_is_served_only_after_the_break(client, kiosk, clock, app):
    clock.set_local(2026, 11, 25, 12, 50)
    for _ in range(4):  # four A visitors ahead, one cabinet for A at Taraz: well past 13:00
        assert kiosk.take("A").status_code == 303
    page = client.get("/kiosk/taraz/service/social_assistance?lang=en").get_data(as_text=True)
    assert "data-after-lunch" in page and "you would be called after it, at about 14:" in page
    clock.set_local(2026, 11, 25, 10, 0)  # in the morning the same queue is served before lunch
    page = client.get("/kiosk/taraz/service/social_assistance?lang=en").get_data(as_text=True)
    assert "data-after-lunch" not in page
