"""The manager's live floor: what it computes, who may see it, and its socket channel."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.extensions import socketio
from kezek.models import Cabinet
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.reports.floor import office_floor
from kezek.seeding import create_user
from tests.conftest import kind_by_prefix, office_by_slug

NAMESPACE = "/floor"


@pytest.fixture
def demo(db):
    office = office_by_slug(db, "demo")
    cabinets = {c.number: c for c in db.scalars(select(Cabinet).where(Cabinet.office_id == office.id))}
    user = create_user(db, "aigul", "pw", "clerk", office, display_name="Aigul")
    db.commit()
    return office, cabinets, user


def take(db, office, prefix, at):
    ticket = issue_ticket(db, office, kind_by_prefix(db, prefix), at).ticket
    db.commit()
    return ticket


def test_the_floor_counts_waiting_visitors_per_visit_kind_with_the_longest_wait_coloured(db, demo, clock):
    office, _cabinets, _user = demo
    start = clock()
    take(db, office, "A", start)
    take(db, office, "A", start + timedelta(minutes=5))
    take(db, office, "B", start + timedelta(minutes=2))
    floor = office_floor(db, office, start + timedelta(minutes=11))
    lines = {line.visit_kind.prefix: line for line in floor.kinds}
    assert (lines["A"].waiting, lines["A"].longest.minutes, lines["A"].longest.level) == (2, 11, "ok")
    assert (lines["B"].waiting, lines["B"].longest.minutes, lines["B"].longest.level) == (1, 9, "near")  # 9 of 10
    assert lines["C"].waiting == 0 and lines["C"].longest is None
    assert floor.waiting == 3
    assert (floor.longest.label, floor.level) == ("B-001", "near")  # closest to its limit, not the longest in minutes
    assert office_floor(db, office, start + timedelta(minutes=13)).level == "over"


def test_cabinets_show_their_state_since_when_their_clerk_and_whom_they_serve(db, demo, clock):
    office, cabinets, user = demo
    start = clock()
    take(db, office, "A", start)
    clerk.set_cabinet_state(db, cabinets["101"], user, "open", now=start)
    clerk.call_next(db, cabinets["101"], user, start + timedelta(minutes=1))
    other = create_user(db, "dana", "pw", "clerk", office, display_name="Dana")
    clerk.set_cabinet_state(db, cabinets["102"], other, "paused", pause="lunch", now=start + timedelta(minutes=2))
    db.commit()
    floor = office_floor(db, office, start + timedelta(minutes=7))
    lines = {line.number: line for line in floor.cabinets}
    assert (lines["101"].state, lines["101"].clerk, lines["101"].serving, lines["101"].serving_status,
            lines["101"].serving_minutes) == ("open", "Aigul", "A-001", "called", 6)
    assert (lines["102"].state, lines["102"].clerk, lines["102"].since_minutes) == ("paused", "Dana", 5)
    assert lines["102"].paused_until == start + timedelta(minutes=62)
    assert (lines["103"].state, lines["103"].clerk, lines["103"].serving) == ("closed", None, None)
    assert floor.cabinets_in("open") == 1


def test_visitors_the_estimate_expects_past_their_limit_within_ten_minutes_are_named(db, demo, clock):
    office, cabinets, user = demo
    start = clock()
    clerk.set_cabinet_state(db, cabinets["103"], user, "open", now=start)  # the only cabinet: B, C and D
    db.commit()
    for minute in range(4):
        take(db, office, "B", start + timedelta(minutes=minute))
    clerk.call_next(db, cabinets["103"], user, start + timedelta(minutes=4))  # B-001 leaves the queue
    db.commit()
    # One cabinet, visits of 4 minutes: of B-002..B-004 (limits at 11, 12 and 13 min) not all can make it.
    floor = office_floor(db, office, start + timedelta(minutes=5))
    assert floor.at_risk and {visitor.label for visitor in floor.at_risk} <= {"B-003", "B-004"}
    assert all(visitor.expected_minutes > visitor.minutes_left for visitor in floor.at_risk)
    assert (floor.level, floor.attention) == ("ok", "near")  # the regional tile turns amber before anyone is late
    # With nobody waiting long and three cabinets able to serve A, nobody is at risk.
    assert office_floor(db, office, start).at_risk == []


def test_today_counts_served_visitors_and_the_share_called_within_each_limit(db, demo, clock):
    office, cabinets, user = demo
    start = clock()
    clerk.set_cabinet_state(db, cabinets["103"], user, "open", now=start)
    first = take(db, office, "B", start)
    take(db, office, "B", start)
    clerk.call_next(db, cabinets["103"], user, start + timedelta(minutes=3))
    clerk.finish(db, cabinets["103"], user, first.id, start + timedelta(minutes=5))
    clerk.call_next(db, cabinets["103"], user, start + timedelta(minutes=12))  # past the 10-minute limit
    db.commit()
    floor = office_floor(db, office, start + timedelta(minutes=13))
    assert floor.served_today == 1
    assert [(share.limit_minutes, share.called, share.within, share.share) for share in floor.shares] == [(10, 2, 1, 50)]


def manager_in(app, auth, name="mira", role="manager", office="demo"):
    auth.create(name, role, office)
    auth.login(name)


def test_a_manager_opens_their_office_floor_and_no_other(app, client, auth):
    manager_in(app, auth)
    with app.app_context():
        demo = office_by_slug(kezek_db.session, "demo").id
        taraz = office_by_slug(kezek_db.session, "taraz").id
    page = client.get("/reports/live")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/reports/live/{demo}")
    page = client.get(f"/reports/live/{demo}?lang=en").get_data(as_text=True)
    assert "Live floor" in page and "Waiting by visit kind" in page and 'data-cabinet="101"' in page
    assert client.get(f"/reports/live/{taraz}").status_code == 403
    assert client.get(f"/reports/live/{taraz}/part").status_code == 403
    assert client.get("/reports/live/999999").status_code == 404
    assert client.get("/reports/live/abc").status_code == 404


def test_the_regional_manager_sees_every_office_as_a_tile_and_opens_one(app, client, auth, kiosk):
    kiosk.take("A")  # a visitor waiting in Taraz
    manager_in(app, auth, "erlan", "regional_manager", None)
    page = client.get("/reports/live?lang=en").get_data(as_text=True)
    tiles = re.findall(r'<a class="floor-tile[^"]*" id="tile-(\d+)"', page)
    assert len(tiles) >= 12  # the 11 district departments and the demo office
    with app.app_context():
        taraz = office_by_slug(kezek_db.session, "taraz").id
    tile = client.get(f"/reports/live/{taraz}/tile").get_data(as_text=True)
    assert re.search(r'class="tile-waiting">1<', tile)
    assert client.get(f"/reports/live/{taraz}").status_code == 200


def test_clerks_and_strangers_may_not_open_the_floor_or_its_channel(app, client, auth):
    assert client.get("/reports/live").status_code in (302, 401)  # to the sign-in page
    assert not socketio.test_client(app, namespace=NAMESPACE, auth={"office": 1},
                                    flask_test_client=client).is_connected(NAMESPACE)
    auth.create("kasym", "clerk", "demo")
    auth.login("kasym")
    assert client.get("/reports/live").status_code == 403
    assert not socketio.test_client(app, namespace=NAMESPACE, auth={"office": "all"},
                                    flask_test_client=client).is_connected(NAMESPACE)


def test_the_floor_channel_says_at_once_which_office_changed(app, client, auth, kiosk):
    manager_in(app, auth, "zhanar", "manager", "taraz")
    with app.app_context():
        taraz = office_by_slug(kezek_db.session, "taraz").id
        demo = office_by_slug(kezek_db.session, "demo").id
    for asked in (demo, "x", None, True, -1):  # another office, or nothing that names one
        assert not socketio.test_client(app, namespace=NAMESPACE, auth={"office": asked},
                                        flask_test_client=client).is_connected(NAMESPACE)
    socket = socketio.test_client(app, namespace=NAMESPACE, auth={"office": taraz}, flask_test_client=client)
    assert [item["name"] for item in socket.get_received(NAMESPACE)] == ["hello"]
    kiosk.take("A")
    changes = [item["args"][0] for item in socket.get_received(NAMESPACE) if item["name"] == "changed"]
    assert [(change["office"], change["kind"]) for change in changes] == [(taraz, "issued")]
    page = client.get(f"/reports/live/{taraz}/part").get_data(as_text=True)
    assert f'data-version="{changes[0]["version"]}"' in page


def test_the_part_shows_today_s_share_within_each_limit(app, client, auth, kiosk, clock):
    manager_in(app, auth, "zhanar", "manager", "taraz")
    with app.app_context():
        office = office_by_slug(kezek_db.session, "taraz")
        cabinet = kezek_db.session.scalars(select(Cabinet).where(Cabinet.office_id == office.id)).first()
        user = create_user(kezek_db.session, "bolat", "pw", "clerk", office)
        clerk.set_cabinet_state(kezek_db.session, cabinet, user, "open", now=clock())
        kezek_db.session.commit()
        kind = cabinet.visit_kinds[0]
        take(kezek_db.session, office, kind.prefix, clock())
        clerk.call_next(kezek_db.session, cabinet, user, clock() + timedelta(minutes=1))
        kezek_db.session.commit()
        office_id, limit = office.id, kind.wait_limit_minutes
    page = client.get(f"/reports/live/{office_id}/part?lang=en").get_data(as_text=True)
    assert re.search(rf'<th scope="row">{limit}</th><td>1</td><td class="share">100%</td>', page)
