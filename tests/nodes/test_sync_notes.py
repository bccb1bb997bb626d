"""The centre's annex 2, live floor, compliance report and staffing plan say, per office served by a node, when it last synced and how far behind it
is; a region-wide report lists the offices whose figures are incomplete and the report days affected."""
from __future__ import annotations

import re
from datetime import timedelta

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Node, Office
from kezek.nodes.registry import add_node, enrol, new_enrolment
from kezek.seeding import create_user
from kezek.reports.behind import incomplete_offices, sync_notes
from tests.nodes.conftest import node_batch, serve_a_morning
from tests.nodes.test_apply import post


@pytest.fixture
def enrolled(app, clock):
    """The centre_node fixture's node, made without keeping an app context open (pages then follow ?lang=)."""
    with app.app_context():
        office = kezek_db.session.scalar(select(Office).where(Office.slug == "demo"))
        create_user(kezek_db.session, "nodeclerk", "pass-1234", "clerk", office)
        node = add_node(kezek_db.session, None, office, "demo-node", clock())
        node, credential = enrol(kezek_db.session, new_enrolment(kezek_db.session, None, node, clock()), clock())
        kezek_db.session.commit()
        return SimpleNamespace(id=node.id, office_id=node.office_id), credential


def ship(client, node_app, credential, node_id, after=0, limit=1000):
    batch = node_batch(node_app, after, limit)
    assert post(client, batch, credential, node_id).status_code == 200
    return batch


def test_annex_2_and_the_live_floor_say_when_the_node_last_synced_and_what_waited_there(
        node_app, app, client, clock, enrolled, auth):
    node, credential = enrolled
    serve_a_morning(node_app, clock)
    batch = ship(client, node_app, credential, node.id, limit=5)
    waiting = batch["head"] - 5
    auth.create("region-boss", "regional_manager", None)
    auth.login("region-boss")
    office_id = node.office_id
    clock.moment += timedelta(minutes=3)

    annex = client.get("/reports/annex2?lang=en").get_data(as_text=True)  # the whole region: each node's office
    assert f'data-sync-office="{office_id}"' in annex and "3 min ago" in annex
    assert f"{waiting} changes were still waiting at the node then." in annex and "may be incomplete" in annex
    assert "3 min ago" in client.get(f"/reports/annex2?office={office_id}&lang=en").get_data(as_text=True)
    other = client.get("/reports/annex2?office=1&lang=en").get_data(as_text=True)
    assert "data-sync-office" not in other  # an office served directly has no note

    floor = client.get(f"/reports/live/{office_id}?lang=en").get_data(as_text=True)
    assert "last synced at" in floor and "may be incomplete" in floor
    tile = client.get(f"/reports/live/{office_id}/tile?lang=en").get_data(as_text=True)
    assert re.search(rf'waiting at the node: <b>{waiting}</b>', tile) and "figures may be incomplete" in tile
    grid = client.get("/reports/live?lang=en").get_data(as_text=True)
    assert grid.count("data-sync-office") == 1

    ship(client, node_app, credential, node.id, after=5)  # everything arrived
    tile = client.get(f"/reports/live/{office_id}/tile?lang=en").get_data(as_text=True)
    assert "Last synced" in tile and "may be incomplete" not in tile and "waiting at the node" not in tile
    clock.moment += timedelta(minutes=20)  # and then nothing for 20 minutes: whatever it did since is not here
    tile = client.get(f"/reports/live/{office_id}/tile?lang=en").get_data(as_text=True)
    assert "figures may be incomplete" in tile
    compliance = client.get("/reports/?lang=en").get_data(as_text=True)  # the same rule on the compliance report
    assert "(20 min ago)" in compliance and "data-incomplete" in compliance
    app.config["PLAN_SEEDS"] = 2
    plan = client.get(f"/reports/plan?office={office_id}&lang=en").get_data(as_text=True)  # learned from synced rows
    assert f'data-sync-office="{office_id}"' in plan and "(20 min ago)" in plan and "data-incomplete" in plan
    assert "data-sync-office" not in client.get("/reports/plan?office=1&lang=en").get_data(as_text=True)


def test_the_region_wide_report_lists_offices_behind_with_the_days_affected(
        node_app, app, client, clock, enrolled, auth):
    node, credential = enrolled
    auth.create("region-boss", "regional_manager", None)
    auth.create("boss", "manager", "demo")
    auth.login("region-boss")
    page = client.get("/reports/incomplete?lang=en").get_data(as_text=True)
    assert "Offices with incomplete figures" in page and "never" in page  # enrolled, never synced

    clock.set_local(2026, 12, 7, 10, 0)  # Monday morning
    serve_a_morning(node_app, clock)
    ship(client, node_app, credential, node.id)
    page = client.get("/reports/incomplete?lang=en").get_data(as_text=True)
    assert 'id="incomplete-none"' in page  # all shipped, just now

    clock.set_local(2026, 12, 9, 11, 0)  # two days later, nothing since Monday
    page = client.get("/reports/incomplete?lang=en").get_data(as_text=True)
    row = re.search(rf'<tr data-office="{node.office_id}">(.*?)</tr>', page, re.S).group(1)
    assert "demo-node" in row and "(3 days)" in row and 'data-col="waiting">0<' in row
    assert "Incomplete figures" in page  # in the menu of regional staff

    auth.login("boss")  # an office's manager: not region-wide
    assert client.get("/reports/incomplete").status_code == 403
    assert "Incomplete figures" not in client.get("/reports/annex2?lang=en").get_data(as_text=True)


def test_rows_waiting_at_the_node_mark_the_days_from_the_newest_change_the_centre_has(
        node_app, app, db, clock, centre_node, client):
    node, credential = centre_node
    clock.set_local(2026, 12, 7, 10, 0)
    serve_a_morning(node_app, clock)
    ship(client, node_app, credential, node.id, limit=3)  # a batch of Monday's, the rest still at the node
    clock.set_local(2026, 12, 7, 10, 30)
    now = clock()
    notes = sync_notes(db, None, now)
    assert notes[node.office_id].waiting > 0 and notes[node.office_id].minutes_ago is not None
    (behind,) = incomplete_offices(db, None, now)
    assert behind.note.incomplete and behind.days == 1 and behind.first_day.isoformat() == "2026-12-07"
    db.expire_all()
    assert db.scalar(select(Node).where(Node.id == node.id)).head_seq is not None
