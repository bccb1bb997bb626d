"""Alert e-mail: a new alert reaches a local SMTP server for the managers who asked; a server that refuses
or is away is recorded and the alert stays on screen."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import User
from tests.alerts.conftest import free_port, text_of
from tests.alerts.helpers import busy_demo

pytest.importorskip("aiosmtpd", reason="the SMTP tests need aiosmtpd (the test extra)")


def manager_asks_for_mail(client, auth, address="mira@example.kz"):
    auth.login("mira")
    answer = client.post("/reports/alerts/email?lang=en", data={"email": address, "csrf_token": auth.token()})
    assert answer.status_code == 302
    return auth.token()


def check(client, office_id, token, clock, minutes):
    clock.moment += timedelta(minutes=minutes)
    return client.post(f"/reports/live/{office_id}/alerts?lang=en", headers={"X-CSRFToken": token}).get_data(as_text=True)


@pytest.fixture
def office(app, auth, clock):
    auth.create("aigul", "clerk", "demo")
    auth.create("mira", "manager", "demo")
    auth.create("zhanar", "manager", "taraz")  # another office's manager: not told
    return busy_demo(app, clock)[0]


def test_a_new_alert_is_e_mailed_to_the_managers_who_asked_once(app, client, auth, clock, smtp, office):
    inbox, port = smtp()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    token = manager_asks_for_mail(client, auth)
    assert 'data-due="1"' in check(client, office, token, clock, 8)
    ((to, message),) = inbox.messages
    assert to == ["mira@example.kz"]
    text = text_of(message)
    assert "Subject: Kezek alert: Demo office" in text and "B-002 has waited 8 of 10 minutes" in text
    assert f"/reports/live/{office}" in text
    check(client, office, token, clock, 1)
    assert len(inbox.messages) == 1  # the same alert is not mailed again
    record = client.get("/reports/alerts?lang=en").get_data(as_text=True)
    assert "e-mailed to mira@example.kz" in record


@pytest.mark.parametrize("away", [True, False], ids=["server away", "server refuses"])
def test_a_mail_server_that_refuses_or_is_away_does_not_stop_the_alert_on_screen(app, client, auth, clock, smtp, office,
                                                                               away):
    if away:
        port = free_port()  # nothing listens there
    else:
        _inbox, port = smtp(refuse="554 5.7.1 Refused")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    token = manager_asks_for_mail(client, auth)
    part = check(client, office, token, clock, 8)
    assert 'data-due="1"' in part and "B-002 has waited 8 of 10 minutes" in part
    record = client.get("/reports/alerts?lang=en").get_data(as_text=True)
    assert "not e-mailed to mira@example.kz" in record


def test_an_address_that_is_not_one_is_refused_and_an_empty_one_stops_the_mail(app, client, auth, office):
    auth.login("mira")
    for typed in ("mira", "mira@", "a b@example.kz", "x@y", "<x@example.kz>", "m@" + "e" * 200 + ".kz"):
        answer = client.post("/reports/alerts/email?lang=en", data={"email": typed, "csrf_token": auth.token()})
        assert answer.status_code == 400 and "does not look like an e-mail address" in answer.get_data(as_text=True)
    client.post("/reports/alerts/email", data={"email": "mira@example.kz", "csrf_token": auth.token()})
    assert re.search(r'name="email" value="mira@example.kz"', client.get("/reports/alerts").get_data(as_text=True))
    client.post("/reports/alerts/email", data={"email": "", "csrf_token": auth.token()})
    assert 'name="email" value=""' in client.get("/reports/alerts").get_data(as_text=True)


def test_check_alerts_raises_and_e_mails_with_no_live_floor_open(app, runner, auth, clock, smtp, office):
    inbox, port = smtp()
    app.config.update(SMTP_URL=f"smtp://127.0.0.1:{port}", PUBLIC_URL="https://kezek.example.kz")
    with app.app_context():
        kezek_db.session.scalar(select(User).where(User.username == "mira")).alert_email = "mira@example.kz"
        kezek_db.session.commit()
    clock.moment += timedelta(minutes=8)
    result = runner.invoke(args=["check-alerts"])
    assert result.exit_code == 0, result.output
    assert "1 alert(s)" in result.output
    ((to, message),) = inbox.messages
    assert to == ["mira@example.kz"] and f"https://kezek.example.kz/reports/live/{office}" in text_of(message)
    assert "Subject: Kezek ескертуі: Демо бөлім" in text_of(message)  # the installation's default language
    assert "0 alert(s)" in runner.invoke(args=["check-alerts"]).output  # shown already, not repeated yet
