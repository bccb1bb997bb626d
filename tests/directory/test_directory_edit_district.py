"""An office's administrator edits only their own district's directory entries; a regional one edits all."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import DirectoryEntry
from kezek.seeding import create_user
from tests.conftest import office_by_slug
from tests.directory.conftest import csrf_token


def sign_in_admin(client, app, username: str, office_slug: str | None) -> None:
    with app.app_context():
        office = office_by_slug(kezek_db.session, office_slug) if office_slug else None
        create_user(kezek_db.session, username, "pass-1234", "admin", office)
        kezek_db.session.commit()
    answer = client.post("/login", data={"username": username, "password": "pass-1234",
                                         "csrf_token": csrf_token(client, "/login")})
    assert answer.status_code == 302


def head(app, kind: str, district: str) -> str:
    with app.app_context():
        return kezek_db.session.scalar(select(DirectoryEntry.head).where(
            DirectoryEntry.kind == kind, DirectoryEntry.district == district))


def edit(client, kind: str, district: str, new_head: str):
    url = f"/directory/{kind}/{district}/edit"
    token = csrf_token(client, "/login")
    return client.post(url, data={"csrf_token": token, "head": new_head})


@pytest.mark.parametrize("kind, district", [("department", "merki"), ("akimat", "merki"), ("regional", "region")])
def test_an_office_administrator_cannot_touch_another_district(client, loaded, kind, district):
    sign_in_admin(client, loaded, "taraz-admin", "taraz")
    before = head(loaded, kind, district)
    assert client.get(f"/directory/{kind}/{district}/edit").status_code == 403
    assert edit(client, kind, district, "Someone Else").status_code == 403
    assert head(loaded, kind, district) == before
    page = client.get(f"/directory/{kind}/{district}?lang=en").get_data(as_text=True)
    assert f"/directory/{kind}/{district}/edit" not in page


@pytest.mark.parametrize("kind", ["department", "akimat"])
def test_an_office_administrator_edits_their_own_district(client, loaded, kind):
    sign_in_admin(client, loaded, "taraz-admin", "taraz")
    assert f"/directory/{kind}/taraz/edit" in client.get(f"/directory/{kind}/taraz").get_data(as_text=True)
    assert edit(client, kind, "taraz", "New Head").status_code == 303
    assert head(loaded, kind, "taraz") == "New Head"


@pytest.mark.parametrize("kind, district", [("department", "merki"), ("akimat", "shu"), ("regional", "region")])
def test_a_regional_administrator_edits_every_entry(client, loaded, kind, district):
    sign_in_admin(client, loaded, "region-admin", None)
    assert edit(client, kind, district, "New Head").status_code == 303
    assert head(loaded, kind, district) == "New Head"
