"""Common and trivial passwords are refused wherever one is set, with the reason in the page's language."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from admin_helpers import AdminPages
from kezek.extensions import db as kezek_db
from kezek.models import User
from kezek.passwords import weakness
from tests.conftest import AuthActions

TOO_EASY = {"en": "This password is too easy to guess.", "ru": "Этот пароль слишком легко угадать.",
            "kk": "Бұл құпиясөзді болжау тым оңай."}


@pytest.mark.parametrize("password, why", [
    ("12345678", "common"), ("aaaaaaaa", "repeat"), ("password", "common"), ("qwertyuiop", "common"),
    ("abcdefgh", "sequence"), ("йцукенгш", "common"), ("01.01.1990", "date"), ("nurlan2026", "personal"),
])
def test_weak_passwords_are_named_with_their_reason(password, why):
    assert weakness(password, ["nurlan", "Nurlan Abenov"]) == why


@pytest.mark.parametrize("password", ["pass-1234", "fresh-pass-9", "x7#Kp2!m-q", "үш алма бір есік"])
def test_passwords_hard_to_guess_are_kept(password):
    assert weakness(password, ["nurlan"]) is None


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("password", ["12345678", "aaaaaaaa"])
def test_an_administrator_cannot_give_a_new_account_a_trivial_password(app, client, auth, lang, password):
    auth.create("root", "admin", None)
    auth.login("root")
    answer = AdminPages(client).submit(f"/admin/users/new?lang={lang}", {
        "username": "nurlan", "role": "clerk", "office_id": "1", "password": password})
    assert answer.status_code == 400
    assert TOO_EASY[lang] in answer.get_data(as_text=True)
    with app.app_context():
        assert kezek_db.session.scalar(select(User).where(User.username == "nurlan")) is None


def test_a_password_reset_to_a_common_password_is_refused_and_the_old_one_stays(app, client, auth):
    auth.create("root", "admin", None)
    auth.create("aigerim", "clerk", "taraz")
    auth.login("root")
    with app.app_context():
        aigerim = kezek_db.session.scalar(select(User.id).where(User.username == "aigerim"))
    pages = AdminPages(client)
    refused = pages.submit(f"/admin/users/{aigerim}?lang=en", {"password": "aigerim123"},
                           action=f"/admin/users/{aigerim}/password")
    assert refused.status_code == 400
    assert "built on the username" in refused.get_data(as_text=True)
    assert AuthActions(app.test_client(), app).login("aigerim", "pass-1234").status_code == 302


def test_the_first_administrator_cannot_choose_a_trivial_password(app, client):
    refused = AdminPages(client).submit("/admin/setup?lang=ru", {"username": "aidos", "password": "12345678",
                                                                 "offices": ["taraz"]})
    assert refused.status_code == 400 and TOO_EASY["ru"] in refused.get_data(as_text=True)
    with app.app_context():
        assert kezek_db.session.scalar(select(User)) is None
