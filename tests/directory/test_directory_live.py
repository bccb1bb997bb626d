"""Which office to visit now: the live state of each office in the directory, as JSON and on the pages."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from kezek.models import Office, Ticket, WaitRecord


def feed(client, path: str, **query) -> dict:
    answer = client.get(path, query_string=query)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    return answer.get_json()


def test_open_now_with_the_lunch_ahead_and_closing_time(client, loaded):
    data = feed(client, "/directory/live/taraz.json", lang="en")  # Wednesday 10:00 in Taraz
    status = data["status"]
    assert status["open"] and status["reason"] is None
    assert status["today"] == {"opens": "09:00", "closes": "18:00", "lunch_start": "13:00", "lunch_end": "14:00"}
    assert status["lunch_at"].startswith("2026-11-25T13:00") and status["closes_at"].startswith("2026-11-25T18:00")
    assert data["text"]["status"] == "Open now until 13:00, then lunch until 14:00; closes at 18:00."


@pytest.mark.parametrize(("local", "reason", "opens", "words"), [
    ((2026, 11, 25, 13, 30), "lunch", "2026-11-25T14:00", "Lunch break; opens again at 14:00."),
    ((2026, 11, 25, 8, 0), "before_opening", "2026-11-25T09:00", "Closed now; opens today at 09:00."),
    ((2026, 11, 25, 19, 0), "after_closing", "2026-11-26T09:00", "Closed now; opens Thursday 26 November at 09:00."),
    ((2026, 11, 28, 11, 0), "day_off", "2026-11-30T09:00", "Closed now; opens Monday 30 November at 09:00."),
    ((2026, 12, 16, 11, 0), "holiday", "2026-12-17T09:00", "Today is a public holiday"),  # Independence Day
])
def test_closed_says_why_and_when_it_opens(client, loaded, clock, local, reason, opens, words):
    clock.set_local(*local)
    data = feed(client, "/directory/live/taraz.json", lang="en")
    assert (data["status"]["open"], data["status"]["reason"]) == (False, reason)
    assert data["status"]["opens_at"].startswith(opens)
    assert words in data["text"]["status"]
    assert all(kind["estimate_minutes"] is None for s in data["services"] for kind in s["visit_kinds"])


def test_waiting_counts_and_a_newcomers_estimate_per_service(client, loaded, kiosk):
    before = feed(client, "/directory/live/taraz.json", lang="en")
    assert [s["waiting"] for s in before["services"]] == [0, 0]
    kiosk.take("A")
    kiosk.take("A")
    kiosk.take("C")
    after = feed(client, "/directory/live/taraz.json", lang="en")
    assert [s["code"] for s in after["services"]] == ["social_assistance", "unemployed_certificate"]
    assert [s["waiting"] for s in after["services"]] == [2, 1]
    hand_in = after["services"][0]["visit_kinds"][0]
    assert (hand_in["kind"], hand_in["waiting"], hand_in["wait_limit_minutes"]) == ("hand_in", 2, 30)
    assert hand_in["estimate_minutes"]["high"] > before["services"][0]["visit_kinds"][0]["estimate_minutes"]["high"]
    assert "2 waiting; a newcomer waits about" in after["text"]["services"][0]["lines"][0]


def test_the_feed_shows_nothing_about_any_visitor(client, loaded, kiosk):
    kiosk.take("A")
    from kezek.extensions import db
    from tests.conftest import all_tickets

    with loaded.app_context():
        ticket = all_tickets(db.session)[0]
        secrets = (ticket.code, ticket.label, f"/t/{ticket.code}")
    for path in ("/directory/live/taraz.json", "/directory/live.json"):
        body = client.get(path).get_data(as_text=True)
        assert not any(secret in body for secret in secrets), path
        assert "Set-Cookie" not in client.get(path).headers


def test_the_region_lists_every_office_regional_first(client, loaded):
    data = feed(client, "/directory/live.json", lang="ru")
    slugs = [o["office"] for o in data["offices"]]
    assert slugs == ["region", "taraz", "baizak", "merki", "ryskulov", "korday", "shu", "talas", "sarysu", "zhualy",
                     "zhambyl", "moiynkum"]
    regional = data["offices"][0]
    assert regional["status"]["today"]["closes"] == "19:00" and regional["status"]["today"]["lunch_end"] == "15:00"
    assert data["offices"][1]["text"]["lang"] == "ru"


@pytest.mark.parametrize(("path", "status"), [
    ("/directory/live/nowhere.json", 404), ("/directory/live/demo.json", 404),
    ("/directory/live/" + "x" * 300 + ".json", 404), ("/directory/live/taraz.json?lang=de", 400),
    ("/directory/live.json?lang=%00", 400),
])
def test_bad_input_gets_a_clear_error(client, loaded, path, status):
    answer = client.get(path)
    assert answer.status_code == status
    assert answer.get_json()["error"] in ("not_found", "bad_request")


def _records(db, office_id: int, weeks: int) -> None:
    """A wait log of `weeks` Wednesdays: long waits from 10:00 to 16:00, short ones at 16:00 and 17:00."""
    first = date(2026, 11, 25) - timedelta(weeks=weeks)
    number = 0
    for week in range(weeks):
        day = first + timedelta(weeks=week)
        for hour, wait in ((9, 900), (10, 1500), (11, 1500), (12, 1500), (14, 1500), (15, 1500), (16, 60), (17, 600)):
            number += 1
            moment = datetime(day.year, day.month, day.day, 6, tzinfo=timezone.utc)
            ticket = Ticket(office_id=office_id, visit_kind_id=1, service_day=day, prefix="A", number=number,
                            code=f"c{number}", wait_limit_minutes=30, issued_at=moment, queue_since=moment,
                            status="served")
            db.add(ticket)
            db.flush()
            db.add(WaitRecord(ticket_id=ticket.id, office_id=office_id, service_id=1, visit_kind_id=1, hand_in=True,
                              service_day=day, weekday=day.weekday(), hour=hour, wait_seconds=wait,
                              wait_limit_minutes=30, outcome="served"))
    db.commit()


def test_quietest_hours_only_with_enough_weeks(client, loaded, db):
    office = db.query(Office).filter_by(slug="taraz").one()
    _records(db, office.id, weeks=3)
    data = feed(client, "/directory/live/taraz.json", lang="en")
    assert data["quiet_hours"]["days"] == [] and data["quiet_hours"]["weeks_of_data"] == 3
    assert "once the office has 4 weeks" in data["text"]["quiet"][0]


def test_quietest_hours_of_a_weekday_from_the_wait_log(client, loaded, db):
    office = db.query(Office).filter_by(slug="taraz").one()
    _records(db, office.id, weeks=5)
    data = feed(client, "/directory/live/taraz.json", lang="en")
    # 16:00 had the shortest waits; 13:00 is lunch and never counts, however empty.
    assert data["quiet_hours"]["days"] == [{"weekday": 2, "hours": [16, 17]}]
    assert data["text"]["quiet"] == ["Wednesday: 16:00–17:00, 17:00–18:00"]
