"""The kiosk as a visitor uses it: three languages, three taps to a ticket, honest closed screens."""
from __future__ import annotations

import time

import pytest

from tests.conftest import all_tickets

# The client is the office's enrolled kiosk (tests/devices covers screens that are not).
pytestmark = pytest.mark.usefixtures("kiosk_screen")


@pytest.mark.parametrize(
    ("lang", "question", "service"),
    [
        ("kk", "Қандай қызметке келдіңіз?", "Мемлекеттік атаулы әлеуметтік көмек тағайындау"),
        ("ru", "С какой услугой вы пришли?", "Назначение государственной адресной социальной помощи"),
        ("en", "What have you come for?", "Targeted social assistance"),
    ],
)
def test_start_screen_in_each_language(client, lang, question, service):
    page = client.get(f"/kiosk/taraz?lang={lang}").get_data(as_text=True)
    assert question in page and service in page
    assert f'<html lang="{lang}">' in page


def test_kazakh_is_the_default_and_the_next_visitor_starts_in_kazakh(client):
    client.get("/kiosk/taraz?lang=ru")
    page = client.get("/kiosk/taraz").get_data(as_text=True)
    assert "Қандай қызметке келдіңіз?" in page


def test_service_screen_shows_documents_people_ahead_estimate_and_limit(client, kiosk):
    kiosk.take("A")
    page = client.get("/kiosk/taraz/service/social_assistance?lang=ru").get_data(as_text=True)
    assert "Сдать документы" in page and "Получить уведомление" in page
    assert "Сведения о составе семьи" in page
    assert "Предел ожидания по закону" in page and "30 мин" in page and "10 мин" in page
    assert "<dt>Перед вами</dt><dd>1</dd>" in page


def test_taking_a_ticket_shows_the_number_and_a_qr_code_and_returns_to_start(client, kiosk, app):
    answer = kiosk.take("C", lang="en")
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'id="ticket-number">C-001<' in page
    assert "<svg" in page and "Scan with your phone" in page
    assert 'data-idle-seconds="20"' in page and 'data-idle-url="/kiosk/taraz"' in page
    with app.app_context():
        from kezek.extensions import db

        (ticket,) = all_tickets(db.session)
    assert ticket.lang == "en" and ticket.label == "C-001"


def test_each_ticket_becomes_a_print_job_on_the_dummy_printer(client, kiosk, app, tmp_path):
    answer = kiosk.take("A")
    code = answer.headers["Location"].split("/tickets/")[1].split("?")[0]
    state = {}
    for _ in range(100):
        state = client.get(f"/kiosk/taraz/tickets/{code}/print").get_json()
        if state["state"] != "queued":
            break
        time.sleep(0.05)
    assert state == {"state": "sent", "error": ""}
    printed = list((tmp_path / "prints").glob("*.bin"))
    assert len(printed) == 1 and printed[0].stat().st_size > 1000


def test_the_phone_status_page_from_the_qr_shows_the_place_in_the_queue(client, kiosk):
    kiosk.take("A")
    answer = kiosk.take("A", lang="ru")
    code = answer.headers["Location"].split("/tickets/")[1].split("?")[0]
    page = client.get(f"/t/{code}?lang=ru").get_data(as_text=True)
    assert "A-002" in page and "Перед вами: 1" in page
    assert "A-001" not in page


def test_at_lunch_the_kiosk_says_when_the_office_reopens_and_issues_nothing(client, kiosk, clock, app):
    clock.set_local(2026, 11, 25, 13, 15)
    page = client.get("/kiosk/taraz?lang=ru").get_data(as_text=True)
    assert "Обеденный перерыв" in page and "Откроется сегодня в 14:00" in page
    service = client.get("/kiosk/taraz/service/social_assistance?lang=ru").get_data(as_text=True)
    assert service.count("disabled") >= 2
    answer = kiosk.take("A", lang="ru")
    assert answer.status_code == 409
    assert "Талон не выдан." in answer.get_data(as_text=True)
    with app.app_context():
        from kezek.extensions import db

        assert all_tickets(db.session) == []


def test_on_saturday_the_kiosk_names_the_day_it_reopens(client, clock):
    clock.set_local(2026, 11, 28, 10, 0)
    page = client.get("/kiosk/taraz?lang=ru").get_data(as_text=True)
    assert "Выходной день" in page and "понедельник" in page and "09:00" in page


def test_office_hours_come_from_the_offices_data(client):
    page = client.get("/kiosk/taraz?lang=ru").get_data(as_text=True)
    assert "пн–пт 09:00–18:00 (обед 13:00–14:00)" in page
