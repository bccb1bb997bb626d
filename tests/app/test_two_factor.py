"""Optional two-factor sign-in: an administrator enrols an authenticator app, then sign-in asks for its code."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry

SECRET = re.compile(r"<code data-secret>([A-Z2-7 ]+)</code>")


def enrol(client, auth, clock) -> pyotp.TOTP:
    """Open the two-factor page, read the key, confirm with the app's code; the app as a TOTP."""
    page = client.get("/account/two-factor?lang=en").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page  # the QR code is drawn by the server, not fetched
    totp = pyotp.TOTP(SECRET.search(page).group(1).replace(" ", ""))
    wrong = client.post("/account/two-factor", data={"code": "000000", "csrf_token": auth.token()})
    assert wrong.status_code == 400
    answer = client.post("/account/two-factor", data={"code": totp.at(clock()), "csrf_token": auth.token()})
    assert answer.status_code == 303
    return totp


def sign_out(client, auth):
    client.post("/logout", data={"csrf_token": auth.token()})


def test_an_administrator_enrols_and_then_signs_in_with_password_and_code(app, client, auth, clock):
    auth.create("root", "admin", None)
    auth.login("root")
    totp = enrol(client, auth, clock)
    assert "Two-factor sign-in is on" in client.get("/account/two-factor?lang=en").get_data(as_text=True)
    sign_out(client, auth)
    clock.moment += timedelta(seconds=60)

    first = auth.login("root")
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
    assert "/login" in client.get("/admin/").headers["Location"], "the password alone signs nobody in"
    assert client.post("/login/code", data={"code": "123456", "csrf_token": auth.token()}).status_code == 401
    assert client.get("/admin/").status_code == 302
    answer = client.post("/login/code", data={"code": totp.at(clock()), "csrf_token": auth.token()})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        actions = [e.action for e in kezek_db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert "auth.two_factor.on" in actions and actions[-1] == "login"


def test_a_code_is_good_once_and_the_next_page_is_kept(app, client, auth, clock):
    auth.create("root", "admin", None)
    auth.login("root")
    totp = enrol(client, auth, clock)
    sign_out(client, auth)
    clock.moment += timedelta(seconds=60)
    code = totp.at(clock())
    token = auth.token()
    client.post("/login?next=/admin/users", data={"username": "root", "password": "pass-1234", "csrf_token": token})
    answer = client.post("/login/code", data={"code": code, "csrf_token": auth.token()})
    assert answer.headers["Location"] == "/admin/users"
    sign_out(client, auth)
    auth.login("root")
    replay = client.post("/login/code", data={"code": code, "csrf_token": auth.token()})
    assert replay.status_code == 401, "a code seen once (over a shoulder, in a log) does not open a second session"


def test_wrong_codes_send_back_to_the_password_and_the_code_step_expires(app, client, auth, clock):
    auth.create("root", "admin", None)
    auth.login("root")
    totp = enrol(client, auth, clock)
    sign_out(client, auth)
    clock.moment += timedelta(seconds=60)
    auth.login("root")
    answers = [client.post("/login/code", data={"code": "111111", "csrf_token": auth.token()}) for _ in range(5)]
    assert [a.status_code for a in answers] == [401, 401, 401, 401, 302]
    assert answers[-1].headers["Location"].endswith("/login")
    late = client.post("/login/code", data={"code": totp.at(clock()), "csrf_token": auth.token()})
    assert late.status_code == 302 and late.headers["Location"].endswith("/login")
    assert client.get("/admin/").status_code == 302
    auth.login("root")
    clock.moment += timedelta(minutes=6)
    expired = client.post("/login/code", data={"code": totp.at(clock()), "csrf_token": auth.token()})
    assert expired.headers["Location"].endswith("/login") and client.get("/admin/").status_code == 302


def test_without_enrolment_sign_in_asks_for_the_password_only_and_two_factor_can_be_turned_off(app, client, auth, clock):
    auth.create("root", "admin", None)
    assert auth.login("root").headers["Location"] == "/"
    totp = enrol(client, auth, clock)
    clock.moment += timedelta(seconds=60)
    off = client.post("/account/two-factor", data={"code": totp.at(clock()), "csrf_token": auth.token()})
    assert off.status_code == 303
    sign_out(client, auth)
    assert auth.login("root").headers["Location"] == "/"


def test_the_page_is_translated_and_needs_sign_in(client, auth):
    assert "/login" in client.get("/account/two-factor").headers["Location"]
    auth.create("root", "admin", None)
    auth.login("root")
    assert "Екі қадамды кіру" in client.get("/account/two-factor?lang=kk").get_data(as_text=True)
    assert "Двухэтапный вход" in client.get("/account/two-factor?lang=ru").get_data(as_text=True)


def test_the_operator_turns_off_two_factor_of_a_lost_phone(app, client, auth, clock, runner):
    auth.create("root", "admin", None)
    auth.login("root")
    enrol(client, auth, clock)
    sign_out(client, auth)
    result = runner.invoke(args=["auth", "reset-two-factor", "root"])
    assert result.exit_code == 0, result.output
    assert auth.login("root").headers["Location"] == "/"
    assert runner.invoke(args=["auth", "reset-two-factor", "nobody"]).exit_code != 0


def test_code_guesses_are_limited_per_account_whatever_the_address(app, client, auth, clock):
    auth.create("root", "admin", None)
    auth.login("root")
    totp = enrol(client, auth, clock)
    sign_out(client, auth)
    clock.moment += timedelta(seconds=60)
    statuses = []
    for address in range(7):
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{address + 1}"
        assert auth.login("root").headers["Location"].endswith("/login/code")
        for _ in range(5):
            statuses.append(client.post("/login/code", data={"code": "999999", "csrf_token": auth.token()}).status_code)
            if statuses[-1] != 401:
                break
        if statuses[-1] == 429:
            break
    assert statuses[-1] == 429 and statuses.count(429) == 1 and len(statuses) == 31
    right = client.post("/login/code", data={"code": totp.at(clock()), "csrf_token": auth.token()})
    assert right.status_code == 429 and client.get("/admin/").status_code == 302
