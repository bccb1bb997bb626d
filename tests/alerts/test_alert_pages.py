"""Alerts on the live floor, in the clerks' consoles and in the record page, through the real views."""
from __future__ import annotations

import re
from datetime import timedelta

from kezek.extensions import socketio
from tests.alerts.helpers import busy_demo


def csrf(client, url):
    return re.search(r'data-csrf="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def test_an_alert_shows_on_the_floor_repeats_tells_the_consoles_and_stops_when_acknowledged(app, client, auth, clock):
    auth.create("aigul", "clerk", "demo")
    auth.create("mira", "manager", "demo")
    office_id, cabinet_id = busy_demo(app, clock)
    auth.login("mira")
    token = csrf(client, f"/reports/live/{office_id}?lang=en")
    check = lambda: client.post(f"/reports/live/{office_id}/alerts?lang=en", headers={"X-CSRFToken": token})  # noqa: E731
    assert 'data-due="0"' in check().get_data(as_text=True)
    assert client.post(f"/reports/live/{office_id}/alerts").status_code == 400  # no CSRF token

    console = socketio.test_client(app, namespace="/console", auth={"cabinet": cabinet_id}, flask_test_client=client)
    console.get_received("/console")
    clock.moment += timedelta(minutes=8)
    part = check().get_data(as_text=True)
    assert 'data-due="1"' in part and "B-002 has waited 8 of 10 minutes" in part and "open a cabinet for B" in part
    assert [item["name"] for item in console.get_received("/console")] == ["alert"]
    note = client.get(f"/console/{cabinet_id}/alerts?lang=en").get_data(as_text=True)
    assert "open a cabinet for B" in note

    clock.moment += timedelta(minutes=1)
    assert 'data-due="0"' in check().get_data(as_text=True)  # shown a minute ago: not yet again
    clock.moment += timedelta(minutes=1, seconds=30)
    part = check().get_data(as_text=True)
    assert 'data-due="1"' in part and "past the 10-minute limit" in part  # now a breach
    alert_id = re.search(r'data-alert="(\d+)" data-rule="breach"', part).group(1)
    answer = client.post(f"/reports/alerts/{alert_id}/acknowledge?lang=en", data={"csrf_token": token})
    assert "acknowledged at" in answer.get_data(as_text=True)
    assert "B-002" not in client.get(f"/console/{cabinet_id}/alerts?lang=en").get_data(as_text=True)
    clock.moment += timedelta(minutes=10)
    assert 'data-due="0"' in check().get_data(as_text=True)

    record = client.get("/reports/alerts?lang=en").get_data(as_text=True)
    assert re.findall(r'<tr data-kind="(\w+)">', record) == ["acknowledged", "raised", "ended", "raised"]
    assert "mira" in record


def test_other_offices_and_clerks_cannot_check_or_acknowledge(app, client, auth, clock):
    auth.create("aigul", "clerk", "demo")
    auth.create("zhanar", "manager", "taraz")
    office_id, _cabinet_id = busy_demo(app, clock)
    auth.login("zhanar")
    token = auth.token()
    assert client.post(f"/reports/live/{office_id}/alerts", headers={"X-CSRFToken": token}).status_code == 403
    assert client.post("/reports/alerts/99999/acknowledge", data={"csrf_token": token}).status_code == 404
    auth.login("aigul")
    assert client.get("/reports/alerts").status_code == 403


def test_an_office_sets_its_own_thresholds_and_the_alerts_follow_them(app, client, auth, clock):
    auth.create("aigul", "clerk", "demo")
    auth.create("mira", "manager", "demo")
    auth.create("zhanar", "manager", "taraz")
    office_id, _cabinet_id = busy_demo(app, clock)
    auth.login("mira")
    token = auth.token()
    page = client.get(f"/reports/live/{office_id}/alert-settings?lang=en").get_data(as_text=True)
    assert re.search(r'name="near_share"[^>]*value="80"', page)  # the defaults until the office sets its own
    for lang in ("kk", "ru", "en"):
        words = client.get(f"/reports/live/{office_id}/alert-settings?lang={lang}").get_data(as_text=True)
        assert ", % (50–99)" in words and "%%" not in words
    for bad in ({"near_share": "20"}, {"repeat_minutes": "0"}, {"queue_length": "many"}, {"near_share": ""}):
        fields = {"near_share": "50", "queue_length": "10", "pause_grace_minutes": "0", "repeat_minutes": "2",
                  **bad, "csrf_token": token}
        answer = client.post(f"/reports/live/{office_id}/alert-settings?lang=en", data=fields)
        assert answer.status_code == 400 and "were not saved" in answer.get_data(as_text=True)
    saved = client.post(f"/reports/live/{office_id}/alert-settings", data={
        "near_share": "50", "queue_length": "10", "pause_grace_minutes": "0", "repeat_minutes": "2", "csrf_token": token})
    assert saved.status_code == 302

    def check(minutes):
        clock.moment += timedelta(minutes=minutes)
        return client.post(f"/reports/live/{office_id}/alerts?lang=en", headers={"X-CSRFToken": token}).get_data(as_text=True)

    assert 'data-due="1"' in check(5) and "B-002 has waited 5 of 10 minutes" in check(0)  # 50 %, not 80 %
    assert 'data-due="0"' in check(1)
    assert 'data-due="1"' in check(1)  # again after 2 minutes, not 5

    auth.login("zhanar")
    assert client.get(f"/reports/live/{office_id}/alert-settings").status_code == 403


def test_the_regional_grid_shows_an_office_with_unacknowledged_alerts_in_red(app, client, auth, clock):
    auth.create("aigul", "clerk", "demo")
    auth.create("mira", "manager", "demo")
    auth.create("erlan", "regional_manager", None)
    office_id, _cabinet_id = busy_demo(app, clock)
    auth.login("mira")
    clock.moment += timedelta(minutes=8)
    client.post(f"/reports/live/{office_id}/alerts", headers={"X-CSRFToken": auth.token()})
    auth.login("erlan")
    tile = client.get(f"/reports/live/{office_id}/tile?lang=en").get_data(as_text=True)
    assert 'class="floor-tile level-over"' in tile and re.search(r'Alerts: <b>1</b>', tile)
    grid = client.get("/reports/live?lang=en").get_data(as_text=True)
    assert grid.count("level-over") == 1 and f'id="tile-{office_id}"' in grid
