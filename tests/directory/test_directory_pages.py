"""The directory pages: every entry in three languages, links, hours, services, sources, print, kiosk, exports."""
from __future__ import annotations

import csv
import io
import re

import pytest


def page(client, url) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "title", "name"), [
    ("kk", "Жамбыл облысының жұмыспен қамту", "Тараз қаласы әкімиятының жұмыспен қамту"),
    ("ru", "Отделы занятости и социальных программ", "Отдел занятости и социальных программ акимата города Тараз"),
    ("en", "Employment and social programme offices", "Department of Employment and Social Programmes, Taraz city akimat"),
])
def test_the_list_shows_all_23_entries_in_each_language(client, loaded, lang, title, name):
    html = page(client, f"/directory/?lang={lang}")
    assert title in html and name in html
    assert html.count('class="dir-card') == 23


def test_an_entry_page_has_links_hours_services_complaints_and_sources(client, loaded):
    html = page(client, "/directory/department/taraz?lang=ru")
    assert '<a href="tel:+77262345124">8 (7262) 34 51 24</a>' in html and '<a href="mailto:sobes-taraz@mail.ru">' in html
    assert "пн–пт 09:00–18:00" in html
    assert "Сведения о составе семьи" in html and "Удостоверение безработного, выданное отделом" in html
    assert 'href="/directory/akimat/taraz"' in html and "Акимат города Тараз" in html
    assert 'href="/directory/regional/region"' in html
    assert "25 апреля 2008" in html or "25 April 2008" in html
    assert "151–154" in html and "478–481" in html
    assert "254" in html and "2010" in html


def test_an_invalid_number_never_becomes_a_tel_link(client, loaded):
    html = page(client, "/directory/akimat/zhambyl")
    assert "211535" not in html
    assert len(re.findall(r'href="tel:\+7\d{10}"', html)) == 1


def test_review_reasons_are_shown_to_administrators_only(loaded, admin):
    assert "Needs review" not in page(loaded.test_client(), "/directory/akimat/shu?lang=en")
    html = page(admin, "/directory/akimat/shu?lang=en")
    assert "missing in the second standard (House)" in html
    assert "the two standards give different values (Street)" in html


def test_unknown_entries_are_404(client, loaded):
    assert client.get("/directory/akimat/atlantis").status_code == 404
    assert client.get("/directory/castle/taraz").status_code == 404
    assert client.get("/directory/kiosk/atlantis").status_code == 404


def test_the_print_view_lists_every_entry_without_links(client, loaded):
    html = page(client, "/directory/print?lang=ru")
    assert html.count("dir-print-card") == 23 and "tel:" not in html
    assert "@media print" in page(client, "/static/css/directory.css")


def test_the_kiosk_start_has_a_directory_button_and_the_offices_own_entry(kiosk_screen, loaded):
    client = kiosk_screen
    html = page(client, "/kiosk/taraz?lang=ru")
    assert 'href="/directory/kiosk/taraz?lang=ru"' in html
    assert "пн–пт 09:00–18:00" in html and "Акимат города Тараз" in html


def test_the_kiosk_directory_in_large_type(client, loaded):
    html = page(client, "/directory/kiosk/baizak?lang=ru")
    assert "css/kiosk.css" in html and html.count("dir-kiosk-choice") == 23
    assert 'href="/directory/kiosk/baizak/department/baizak?lang=ru"' in html  # this office first
    html = page(client, "/directory/kiosk/baizak/department/baizak?lang=ru")
    assert "8 (72637) 2 19 71" in html and "+77263721971" not in html and "tel:" not in html and "Акимат Байзакского района" in html
    # The kiosk's language comes from its URL, so the next visitor starts in Kazakh.
    assert '<html lang="kk">' in page(client, "/directory/kiosk/baizak")


def test_the_json_export_has_every_entry_with_its_source(client, loaded):
    data = client.get("/directory/export.json").get_json()
    assert len(data["entries"]) == 23 and "254" in data["source"]["repealed_by"]
    shu = next(e for e in data["entries"] if (e["kind"], e["district"]) == ("department", "shu"))
    assert shu["complaints_to"] == "akimat:shu" and shu["regional_department"] == "regional:region"
    zhambyl = next(e for e in data["entries"] if (e["kind"], e["district"]) == ("akimat", "zhambyl"))
    assert {"e164": None, "source": "211535", "valid": False, "problem": "length"} in zhambyl["phones"]


def test_the_csv_export_has_a_row_per_entry(client, loaded):
    answer = client.get("/directory/export.csv")
    assert answer.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert len(rows) == 23
    taraz = next(r for r in rows if (r["kind"], r["district"]) == ("department", "taraz"))
    assert taraz["phones"] == "+77262345124; +77262342879" and taraz["lunch_start"] == "13:00"


def test_directory_pages_load_nothing_from_another_host(kiosk_screen, loaded):
    client = kiosk_screen
    for path in ("/directory/", "/directory/department/taraz", "/directory/print", "/directory/kiosk/taraz",
                 "/directory/kiosk/taraz/akimat/taraz", "/kiosk/taraz"):
        html = page(client, path)
        assert not re.search(r'(src|href)=["\'](https?:)?//', html), path
