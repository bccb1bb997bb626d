"""Alerts: which conditions raise one, repeating until acknowledged or ended, and the record kept of each."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.alerts.engine import acknowledge, check, open_alerts, record
from kezek.alerts.rules import Thresholds
from kezek.models import AlertEvent, Cabinet, Device
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.seeding import create_user
from tests.conftest import kind_by_prefix, office_by_slug


@pytest.fixture
def demo(db):
    office = office_by_slug(db, "demo")
    cabinets = {c.number: c for c in db.scalars(select(Cabinet).where(Cabinet.office_id == office.id))}
    user = create_user(db, "aigul", "pw", "clerk", office)
    manager = create_user(db, "mira", "pw", "manager", office)
    db.commit()
    return office, cabinets, user, manager


def take(db, office, prefix, at):
    ticket = issue_ticket(db, office, kind_by_prefix(db, prefix), at).ticket
    db.commit()
    return ticket


def rules(checked):
    return sorted((alert.rule, alert.detail.get("label") or alert.detail.get("prefix") or alert.detail.get("cabinet"))
                  for alert in checked.due)


def test_a_visitor_at_80_percent_with_every_cabinet_busy_raises_an_alert_that_repeats_until_acknowledged(db, demo, clock):
    office, cabinets, user, manager = demo
    start = clock()
    clerk.set_cabinet_state(db, cabinets["103"], user, "open", now=start)  # the only cabinet for B
    db.commit()
    first = take(db, office, "B", start)
    take(db, office, "B", start)
    clerk.call_next(db, cabinets["103"], user, start)  # 103 busy with B-001
    db.commit()
    assert check(db, office, start + timedelta(minutes=7)).due == []  # 7 of 10 minutes: not yet
    raised = check(db, office, start + timedelta(minutes=8))
    db.commit()
    assert rules(raised) == [("near_limit", "B-002")]
    assert check(db, office, start + timedelta(minutes=9)).due == []  # shown a minute ago
    # Past the limit the near-limit alert ends and a breach is raised; it repeats every 5 minutes.
    later = check(db, office, start + timedelta(minutes=11))
    assert rules(later) == [("breach", "B-002")] and [a.rule for a in later.ended] == ["near_limit"]
    assert check(db, office, start + timedelta(minutes=15)).due == []
    again = check(db, office, start + timedelta(minutes=16))
    assert rules(again) == [("breach", "B-002")] and again.due[0].times_shown == 2
    assert acknowledge(db, again.due[0], manager, start + timedelta(minutes=17))
    assert not acknowledge(db, again.due[0], manager, start + timedelta(minutes=17))
    db.commit()
    assert check(db, office, start + timedelta(minutes=30)).due == []  # acknowledged: quiet
    clerk.finish(db, cabinets["103"], user, first.id, start + timedelta(minutes=31))
    clerk.call_next(db, cabinets["103"], user, start + timedelta(minutes=31))
    db.commit()
    done = check(db, office, start + timedelta(minutes=32))
    db.commit()
    assert [a.rule for a in done.ended] == ["breach"] and open_alerts(db, office.id) == []
    kinds = [event.kind for event, _alert in reversed(record(db, [office.id], start))]
    assert kinds == ["raised", "ended", "raised", "repeated", "acknowledged", "ended"]
    assert db.scalar(select(AlertEvent).where(AlertEvent.kind == "acknowledged")).user_id == manager.id


def test_a_free_cabinet_for_the_visitor_raises_nothing(db, demo, clock):
    office, cabinets, user, _manager = demo
    start = clock()
    clerk.set_cabinet_state(db, cabinets["103"], user, "open", now=start)
    db.commit()
    take(db, office, "B", start)
    assert check(db, office, start + timedelta(minutes=9)).due == []  # 103 is free: someone only has to call


def test_long_queues_long_pauses_and_devices_raise_alerts_with_the_office_thresholds(db, demo, clock):
    office, cabinets, user, _manager = demo
    start = clock()
    for _ in range(4):
        take(db, office, "C", start)
    clerk.set_cabinet_state(db, cabinets["101"], user, "paused", pause="break", now=start)  # back in 15 min
    device = db.scalar(select(Device).where(Device.office_id == office.id, Device.kind == "board"))
    device.credential_hash, device.last_seen_at = "x" * 64, start - timedelta(minutes=5)
    db.commit()
    found = rules(check(db, office, start + timedelta(minutes=1), Thresholds(queue_length=3)))
    assert ("queue_length", "C") in found and ("device_offline", None) in found
    assert not any(rule == "long_pause" for rule, _ in found)
    late = rules(check(db, office, start + timedelta(minutes=16), Thresholds(queue_length=3)))
    assert ("long_pause", "101") in late
