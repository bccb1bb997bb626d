"""Loading the seed's directory into the database: values stored, re-loads keep administrators' edits."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from directory.editing import apply_changes, parse_changes
from directory.importer import parse_seed
from directory.loading import load_directory, packaged_seed_text
from kezek.models import AuditEntry, DirectoryChange, DirectoryEntry
from kezek.seeding import create_user


def entry(db, kind, district) -> DirectoryEntry:
    return db.scalar(select(DirectoryEntry).where(DirectoryEntry.kind == kind, DirectoryEntry.district == district))


def test_the_packaged_seed_is_the_resolution(seed_text):
    assert packaged_seed_text() == seed_text


def test_the_load_stores_every_entry_with_its_values(loaded, db):
    assert db.scalar(select(func.count(DirectoryEntry.id))) == 23
    baizak = entry(db, "department", "baizak")
    assert baizak.name_kk.startswith("Байзақ ауданының")
    assert baizak.name_ru == "Отдел занятости и социальных программ акимата Байзакского района"
    assert (baizak.settlement, baizak.street, baizak.house, baizak.cabinet) == (
        "Сарыкемер ауылы", "Байзақ батыр көшесі", "112", "102")
    assert [p["e164"] for p in baizak.phones] == ["+77263721971", "+77263722338"]
    assert baizak.emails == ["utzszn_baizak@topmail.kz"]
    assert baizak.hours == {"weekdays": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00",
                            "closes": "18:00", "lunch_start": "13:00", "lunch_end": "14:00"}
    assert baizak.seed_lines == [{"standard": 1, "part": "annex1", "first": 157, "last": 160},
                                 {"standard": 2, "part": "annex1", "first": 484, "last": 487}]
    shu = entry(db, "akimat", "shu")
    assert shu.street == "Төле би көшесі" and shu.house == "272"
    assert shu.review_reasons == ["conflict:differs:street", "conflict:missing_in_standard_2:house"]
    conflict = next(i for i in shu.seed_issues if i["field"] == "street")
    assert [v["text"] for v in conflict["values"]] == ["Төле би ауылы, Төле би көшесі 272",
                                                       "Төле би ауылы, Балуан Шолақ көшесі"]
    zhambyl = entry(db, "akimat", "zhambyl")
    invalid = [p for p in zhambyl.phones if not p["valid"]]
    assert [(p["source"], p["e164"]) for p in invalid] == [("211535", None)]
    region = entry(db, "regional", "region")
    assert region.emails == ["taraz@enbek.kz"] and region.hours["lunch_end"] == "15:00"
    assert region.receptions["head"]["weekdays"] == ["tue", "thu", "fri"]
    assert entry(db, "department", "ryskulov").emails == ["TRS2008@topmail.kz"]


def test_loading_twice_changes_nothing(loaded, db, seed, clock):
    result = load_directory(db, seed, clock() + timedelta(days=1))
    db.commit()
    assert (result.created, result.updated, result.kept) == ([], [], [])
    assert db.scalar(select(func.count(DirectoryChange.id))) == 0


def _edit(db, entry_, form, now, username="dana"):
    user = create_user(db, username, "x", "admin", None)
    changes, errors = parse_changes(entry_, form)
    assert not errors
    rows = apply_changes(db, entry_, changes, [], user, now)
    db.commit()
    return rows


def test_a_reload_keeps_an_administrators_edit_and_history_has_before_and_after(loaded, db, seed, seed_text, clock):
    shu = entry(db, "akimat", "shu")
    rows = _edit(db, shu, {"street": "Балуан Шолақ көшесі", "phones": "+7 72638 3-21-98\n87263831955"}, clock())
    assert [(r.field, r.before, r.after, r.username, r.origin) for r in rows][0] == (
        "street", "Төле би көшесі", "Балуан Шолақ көшесі", "dana", "admin")
    phones = next(r for r in rows if r.field == "phones")
    assert [p["e164"] for p in phones.before] == [p["e164"] for p in phones.after] == ["+77263832198", "+77263831955"]
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "directory_edit"))
    assert audit.username == "dana" and audit.detail == {"entry": "akimat:shu", "fields": ["street", "phones"]}

    # A later seed (here: the same text with the Shu akimat's house changed) refreshes only unedited fields.
    changed = parse_seed(seed_text.replace("Төле би көшесі 272", "Төле би көшесі 274"))
    result = load_directory(db, changed, clock() + timedelta(days=30))
    db.commit()
    shu = entry(db, "akimat", "shu")
    assert shu.street == "Балуан Шолақ көшесі"
    assert shu.house == "274"
    assert ("akimat:shu", "street") in result.kept and ("akimat:shu", "house") in result.updated
    seed_row = db.scalar(select(DirectoryChange).where(DirectoryChange.origin == "seed"))
    assert (seed_row.field, seed_row.before, seed_row.after) == ("house", "272", "274")
    assert seed_row.username == "" and seed_row.user_id is None


def test_resolved_review_reasons_stay_resolved_after_a_reload(loaded, db, seed, clock):
    shu = entry(db, "akimat", "shu")
    user = create_user(db, "dana", "x", "admin", None)
    apply_changes(db, shu, {}, ["conflict:differs:street"], user, clock())
    db.commit()
    assert shu.review_reasons == ["conflict:missing_in_standard_2:house"]
    load_directory(db, seed, clock())
    db.commit()
    assert entry(db, "akimat", "shu").review_reasons == ["conflict:missing_in_standard_2:house"]
    history = db.scalars(select(DirectoryChange).where(DirectoryChange.field == "review_reasons")).all()
    assert [(h.before, h.after) for h in history] == [
        (["conflict:differs:street", "conflict:missing_in_standard_2:house"], ["conflict:missing_in_standard_2:house"])]


def test_an_unchanged_form_changes_nothing(loaded, db, clock):
    from directory.editing import form_values

    taraz = entry(db, "department", "taraz")
    changes, errors = parse_changes(taraz, form_values(taraz))
    assert (changes, errors) == ({}, {})
