"""The board page: its frame in two languages, the office hours, local assets only, 404 for unknown offices."""
from __future__ import annotations

import json
import re

from tests.realtime.helpers import Desk


def test_the_board_shows_the_office_its_hours_and_headings_in_kazakh_and_russian(client):
    page = client.get("/display/taraz").get_data(as_text=True)
    assert "Тараз" in page
    assert "09:00–18:00" in page and "13:00–14:00" in page
    assert page.index("Соңғы шақырулар") < page.index("Последние вызовы")


def test_russian_first_when_asked(client):
    page = client.get("/display/taraz?lang=ru").get_data(as_text=True)
    assert page.index("Последние вызовы") < page.index("Соңғы шақырулар")


def test_the_page_carries_the_first_state_with_current_calls_and_waiting_counts(app, client, kiosk):
    kiosk.take("A", office="demo")
    kiosk.take("A", office="demo")
    Desk(app).act("call")
    page = client.get("/display/demo").get_data(as_text=True)
    state = json.loads(re.search(r'<script type="application/json" id="board-state">(.*?)</script>', page, re.S)[1])
    assert [call["label"] for call in state["current"]] == ["A-001"]
    assert state["waiting"][0]["count"] == 1 and state["waiting"][0]["kinds"][0] == {
        "prefix": "A", "name": state["waiting"][0]["kinds"][0]["name"], "count": 1}


def test_every_asset_is_served_by_the_app(client):
    page = client.get("/display/demo").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset


def test_unknown_offices_get_a_plain_404(client):
    answer = client.get("/display/nowhere")
    assert answer.status_code == 404 and "Traceback" not in answer.get_data(as_text=True)
