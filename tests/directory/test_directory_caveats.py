"""Doubtful values shown honestly: the other copy's phone, suspect web addresses, doubtful hours, one spelling."""
from __future__ import annotations

import re

from tests.directory.test_directory_search_http import found


def _main(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_regional_second_phone_is_shown_with_a_note_and_searchable(client, loaded):
    html = _main(client, "/directory/regional/region?lang=en")
    assert 'href="tel:+77262454494"' in html
    assert 'href="tel:+77262459713"' in html  # 45-97-13, written only in standard 2, line 456
    note = re.search(r'tel:\+77262459713.*?<span class="dir-doubt">(.*?)</span>', html, re.S).group(1)
    assert "two numbers" in note and "456" in note
    assert found(client, "45-97-13") == ["regional/region"]
    assert found(client, "8 (7262) 45 97 13") == ["regional/region"]


def test_the_second_phone_goes_once_the_conflict_is_resolved(admin, loaded):
    from kezek.extensions import db
    from kezek.models import DirectoryEntry

    with loaded.app_context():
        entry = db.session.query(DirectoryEntry).filter_by(kind="regional").one()
        entry.review_reasons = [r for r in entry.review_reasons if r != "conflict:differs:phones"]
        db.session.commit()
    assert "+77262459713" not in _main(admin, "/directory/regional/region")


def test_a_suspect_web_address_is_not_a_link_and_says_why(client, loaded):
    html = _main(client, "/directory/akimat/sarysu?lang=en")
    assert re.search(r'<li class="dir-suspect">www.sarysu.ku <span class="dir-doubt">[^<]*looks wrong', html)
    assert 'href="http://www.sarysu.ku"' not in html and "//www.sarysu.ku" not in html
    korday = _main(client, "/directory/akimat/korday?lang=en")
    assert "www.akimatkorday.kz" in korday and "looks wrong" not in korday


def test_doubtful_hours_are_marked(client, loaded):
    html = _main(client, "/directory/regional/region?lang=en")
    assert "Doubtful" in html and "weekend" in html
    assert "Doubtful" not in _main(client, "/directory/department/taraz?lang=en").split("Where complaints go")[0]


def test_one_spelling_of_each_name_and_the_other_still_found(client, loaded):
    html = _main(client, "/directory/?lang=kk")
    assert "Мойынқұм ауданының әкімиятының" in html and "Мойнқұм" not in html
    assert "akimat/moiynkum" in found(client, "Мойнқұм")


def test_the_export_says_what_is_doubtful(client, loaded):
    data = client.get("/directory/export.json").get_json()
    by_key = {f"{e['kind']}:{e['district']}": e for e in data["entries"]}
    assert [p["e164"] for p in by_key["regional:region"]["other_copy_phones"]] == ["+77262459713"]
    assert by_key["regional:region"]["hours_doubt"] == "weekends_not_excluded"
    assert by_key["akimat:sarysu"]["suspect_web_sites"] == {"www.sarysu.ku": "web_domain_suspect"}
