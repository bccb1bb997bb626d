"""Administrators edit entries with a history; everyone else is refused; hostile input changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from kezek.extensions import db as kezek_db
from kezek.models import AuditEntry, DirectoryChange, DirectoryEntry
from tests.directory.conftest import csrf_token, sign_in

EDIT = "/directory/akimat/shu/edit"


def post(client, data, url=EDIT):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def shu(app) -> dict:
    with app.app_context():
        item = kezek_db.session.scalar(select(DirectoryEntry).where(
            DirectoryEntry.kind == "akimat", DirectoryEntry.district == "shu"))
        return {"street": item.street, "head": item.head, "phones": item.phones, "name_kk": item.name_kk,
                "review_reasons": item.review_reasons, "edited_fields": item.edited_fields}


def changes(app) -> int:
    with app.app_context():
        return kezek_db.session.scalar(select(func.count(DirectoryChange.id)))


def test_an_administrator_edits_and_the_page_shows_who_changed_what(admin, loaded):
    answer = post(admin, {"street": "Балуан Шолақ көшесі", "phones": "8 (72638) 3-21-98",
                          "resolved": "conflict:differs:street"})
    assert answer.status_code == 303
    after = shu(loaded)
    assert after["street"] == "Балуан Шолақ көшесі"
    assert [p["e164"] for p in after["phones"]] == ["+77263832198"]
    assert after["review_reasons"] == ["conflict:missing_in_standard_2:house"]
    assert after["edited_fields"] == ["phones", "street"]
    html = admin.get(EDIT + "?lang=en").get_data(as_text=True)
    assert "Балуан Шолақ көшесі" in html and "dana" in html
    assert "Төле би көшесі" in html  # the value before
    public = loaded.test_client().get("/directory/akimat/shu?lang=en").get_data(as_text=True)
    assert "Changed by an administrator on November 25, 2026" in public and "dana" not in public
    with loaded.app_context():
        (audit,) = kezek_db.session.scalars(select(AuditEntry).where(AuditEntry.action == "directory_edit"))
        assert audit.detail["fields"] == ["street", "phones", "review_reasons"]


def test_clerks_and_anonymous_visitors_cannot_edit(client, loaded):
    assert client.get(EDIT).status_code == 302  # to the sign-in page
    assert client.post(EDIT, data={"street": "x"}).status_code in (302, 400)
    sign_in(client, loaded, "clerk1", "clerk")
    assert client.get(EDIT).status_code == 403
    assert client.post(EDIT, data={"street": "x"}).status_code in (400, 403)
    assert shu(loaded)["street"] == "Төле би көшесі" and changes(loaded) == 0


def test_a_post_without_csrf_token_changes_nothing(admin, loaded):
    assert admin.post(EDIT, data={"street": "x"}).status_code == 400
    assert shu(loaded)["street"] == "Төле би көшесі"


def test_very_long_strings_are_refused_and_change_nothing(admin, loaded):
    before = shu(loaded)
    for data in ({"street": "ж" * 5000}, {"head": "a" * 301}, {"phones": "87263832198\n" * 11},
                 {"name_kk": ""}):
        answer = post(admin, {**data, "house": "1"})
        assert answer.status_code == 400, data
    assert admin.post(EDIT, data={"street": "x" * 70_000}).status_code == 413
    assert shu(loaded) == before and changes(loaded) == 0


def test_markup_is_refused_and_shown_escaped(admin, loaded):
    answer = post(admin, {"head": '<script>alert("x")</script>'})
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert shu(loaded)["head"] == "" and changes(loaded) == 0


def test_sql_fragments_are_stored_as_plain_text_only_where_typed(admin, loaded):
    fragment = "x'; DROP TABLE directory_entry; --"
    assert post(admin, {"head": fragment}).status_code == 303
    after = shu(loaded)
    assert after["head"] == fragment and after["street"] == "Төле би көшесі"
    with loaded.app_context():
        assert kezek_db.session.scalar(select(func.count(DirectoryEntry.id))) == 23
    html = loaded.test_client().get("/directory/akimat/shu").get_data(as_text=True)
    assert "x&#39;; DROP TABLE directory_entry; --" in html


def test_invalid_values_are_refused_with_the_reason(admin, loaded):
    cases = [
        ({"phones": "211535"}, "not a valid Kazakh number"),
        ({"emails": "not-an-address"}, "e-mail address is not valid"),
        ({"web_sites": "javascript:alert(1)"}, "web address is not valid"),
        ({"hours_days": "mon", "hours_opens": "18:00", "hours_closes": "09:00"}, "HH:MM"),
        ({"hours_days": "caturday", "hours_opens": "09:00", "hours_closes": "18:00"}, "Choose the days"),
        ({"resolved": "anomaly:made_up:field"}, "not open on this entry"),
        ({"street": "a\x00b"}, "cannot be shown"),
    ]
    before = shu(loaded)
    for data, message in cases:
        answer = admin.post(EDIT + "?lang=en", data={"csrf_token": csrf_token(admin, EDIT), **data})
        assert answer.status_code == 400, data
        assert message in answer.get_data(as_text=True), data
    assert shu(loaded) == before and changes(loaded) == 0


def test_hours_can_be_edited(admin, loaded):
    answer = post(admin, {"hours_days": ["mon", "tue", "wed", "thu", "fri"], "hours_opens": "09:00",
                          "hours_closes": "18:00", "hours_lunch_start": "13:00", "hours_lunch_end": "14:00"})
    assert answer.status_code == 303
    html = loaded.test_client().get("/directory/akimat/shu?lang=ru").get_data(as_text=True)
    assert "пн–пт 09:00–18:00" in html


def test_hostile_search_words_are_escaped_or_refused(client, loaded):
    answer = client.get("/directory/", query_string={"q": '<img src=x onerror=alert(1)>'})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    answer = client.get("/directory/", query_string={"q": "' OR '1'='1' --"})
    assert answer.status_code == 200 and 'class="dir-card' not in answer.get_data(as_text=True)
    assert client.get("/directory/", query_string={"q": "ж" * 5000}).status_code == 400
    assert client.get("/directory/", query_string={"q": "a\x00b"}).status_code == 400
    assert client.get("/directory/", query_string={"district": "taraz' --"}).status_code == 400
    assert client.get("/directory/kiosk/taraz", query_string={"q": "x" * 300}).status_code == 400
    with loaded.app_context():
        assert kezek_db.session.scalar(select(func.count(DirectoryEntry.id))) == 23
