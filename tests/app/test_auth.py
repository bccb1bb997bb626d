"""Staff sign-in: hashed passwords, CSRF, throttling, safe redirects, the audit trail."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kezek.models import AuditEntry, User
from kezek.seeding import create_user
from tests.conftest import office_by_slug

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def sign_in(client, username, password, next_path=None):
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    url = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"username": username, "password": password, "csrf_token": token})


@pytest.mark.full_cost_passwords
def test_a_clerk_signs_in_and_the_password_is_stored_hashed(client, db):
    create_user(db, "aigerim", "s3cret-pass", "clerk", office_by_slug(db, "taraz"))
    db.commit()
    stored = db.scalar(select(User).where(User.username == "aigerim")).password_hash
    # Werkzeug's default cost (the other tests hash at a lower one: tests/conftest.py)
    assert "s3cret-pass" not in stored and stored.startswith("scrypt:32768:8:1$")
    answer = sign_in(client, "aigerim", "s3cret-pass", next_path="/kiosk/taraz")
    assert answer.status_code == 302 and answer.headers["Location"] == "/kiosk/taraz"
    assert [e.action for e in db.scalars(select(AuditEntry))] == ["login"]


def test_wrong_password_unknown_user_and_foreign_redirects_are_refused(client, db):
    create_user(db, "aigerim", "s3cret-pass", "clerk", office_by_slug(db, "taraz"))
    db.commit()
    assert sign_in(client, "aigerim", "wrong").status_code == 401
    assert sign_in(client, "nobody", "wrong").status_code == 401
    answer = sign_in(client, "aigerim", "s3cret-pass", next_path="//evil.example/")
    assert answer.headers["Location"] == "/"


def test_sign_in_without_csrf_token_is_refused(client, db):
    create_user(db, "aigerim", "s3cret-pass", "clerk", office_by_slug(db, "taraz"))
    db.commit()
    answer = client.post("/login", data={"username": "aigerim", "password": "s3cret-pass"})
    assert answer.status_code == 400


def test_repeated_sign_in_attempts_are_throttled(client, db):
    create_user(db, "aigerim", "s3cret-pass", "clerk", office_by_slug(db, "taraz"))
    db.commit()
    codes = [sign_in(client, "nobody", f"guess{i}").status_code for i in range(12)]
    assert codes[:10] == [401] * 10
    assert codes[-1] == 429


def test_a_clerk_sees_only_their_office(db):
    taraz, merki = office_by_slug(db, "taraz"), office_by_slug(db, "merki")
    clerk = create_user(db, "c", "p", "clerk", taraz)
    regional = create_user(db, "r", "p", "regional_manager", None)
    assert clerk.may_see_office(taraz.id) and not clerk.may_see_office(merki.id)
    assert regional.may_see_office(merki.id)
