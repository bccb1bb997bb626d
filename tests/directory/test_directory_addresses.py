"""Addresses in the reader's language: Russian forms where known, the Kazakh original labelled otherwise."""
from __future__ import annotations

import pytest

from directory.russian_addresses import SETTLEMENTS_RU, STREETS_RU, shown_address


def page(client, url) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.get_data(as_text=True)


def test_a_russian_page_shows_the_russian_address_of_an_entry_that_has_one(client, loaded):
    html = page(client, "/directory/akimat/taraz?lang=ru")
    assert "г. Тараз, площадь Достык, 3" in html
    assert "Достық алаңы" not in html and "(на казахском)" not in html


def test_a_russian_page_labels_an_address_with_no_known_russian_form(client, loaded):
    html = page(client, "/directory/department/moiynkum?lang=ru")
    assert '<span lang="kk">Мойынқұм ауылы, Көшенов көшесі 10</span> <span class="dir-lang-note">(на казахском)</span>' in html


def test_the_russian_list_shows_russian_forms_and_labels_the_rest(client, loaded):
    html = page(client, "/directory/?lang=ru")
    assert "с. Мерке, ул. Исмаилова, 157" in html and "г. Каратау, ул. Кунаева, 26" in html
    # The regional department (Қарахан көшесі) and the Moiynkum department (Көшенов көшесі) stay in Kazakh.
    assert html.count("(на казахском)") == 2


def test_an_english_page_labels_the_kazakh_address(client, loaded):
    html = page(client, "/directory/akimat/taraz?lang=en")
    assert "Тараз қаласы, Достық алаңы 3</span> <span class=\"dir-lang-note\">(in Kazakh)</span>" in html


def test_a_kazakh_page_shows_the_address_unlabelled(client, loaded):
    html = page(client, "/directory/department/moiynkum?lang=kk")
    assert "Мойынқұм ауылы, Көшенов көшесі 10" in html and "dir-lang-note" not in html


def test_the_kiosk_complaints_line_follows_the_same_rule(loaded, kiosk_screen):
    html = page(kiosk_screen, "/kiosk/taraz?lang=ru")
    assert "Куда подавать жалобы" in html
    assert "г. Тараз, площадь Достык, 3" in html


@pytest.mark.parametrize(("settlement", "street", "house", "text", "lang"), [
    ("Тараз қаласы", "Достық алаңы", "3", "г. Тараз, площадь Достык, 3", "ru"),
    ("Аса ауылы", "Абай көшесі", "123", "с. Аса, ул. Абая, 123", "ru"),
    ("Тараз қаласы", "", "14", "г. Тараз, 14", "ru"),
    # A street whose Russian form is unknown keeps the whole line Kazakh rather than half translated.
    ("Тараз қаласы", "Қарахан көшесі", "1", "Тараз қаласы, Қарахан көшесі 1", "kk"),
    ("Жаңа ауылы", "Абай көшесі", "5", "Жаңа ауылы, Абай көшесі 5", "kk"),
])
def test_russian_forms_are_used_only_when_every_part_is_known(settlement, street, house, text, lang):
    shown = shown_address("ru", settlement, street, house)
    assert (shown.text, shown.lang) == (text, lang)
    assert shown.labelled_for("ru") == (lang == "kk")


def test_every_russian_form_is_in_cyrillic_russian_letters_only():
    kazakh_only = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
    for value in (*SETTLEMENTS_RU.values(), *STREETS_RU.values()):
        assert not kazakh_only & set(value), value


def test_a_russian_street_name_finds_the_entry(client, loaded):
    from tests.directory.test_directory_search_http import found

    assert found(client, "ул. Достоевского", lang="ru")[0] == "department/taraz"
    assert found(client, "Кунаева 26", lang="ru")[0] == "department/talas"
