"""Searching the directory over HTTP: a Russian keyboard finds Kazakh entries, case does not matter."""
from __future__ import annotations

import re

import pytest


def found(client, query, **extra) -> list[str]:
    answer = client.get("/directory/", query_string={"q": query, **extra})
    assert answer.status_code == 200
    return re.findall(r'<h2><a href="/directory/(\w+/\w+)"', answer.get_data(as_text=True).split("dir-tools")[1])


@pytest.mark.parametrize("query", ["Мойынқұм", "мойынкум", "МОЙЫНКУМ", "мОйЫнКұМ"])
def test_kazakh_letters_typed_as_russian_ones_and_any_case(client, loaded, query):
    assert "department/moiynkum" in found(client, query)
    assert "akimat/moiynkum" in found(client, query)


@pytest.mark.parametrize(("query", "entry"), [
    ("қордай", "akimat/korday"), ("кордай", "akimat/korday"),  # қ as к
    ("төле би", "akimat/shu"), ("толе би", "akimat/shu"),  # ө as о
    ("Рысқұлов", "department/ryskulov"), ("рыскулов", "department/ryskulov"),  # ұ as у
    ("Сарыкемер", "department/baizak"),  # a settlement
    ("Бейбітшілік", "akimat/sarysu"), ("бейбитшилик", "akimat/sarysu"),  # і as и
    ("Байзакский", "department/baizak"),  # the Russian district name
    ("шу ауданынын", "akimat/shu"),  # ң as н
    ("әкімияты", "akimat/taraz"), ("акимияты", "akimat/taraz"),  # ә as а
])
def test_one_word_finds_an_entry(client, loaded, query, entry):
    assert entry in found(client, query)


def test_search_by_phone_in_any_writing(client, loaded):
    for query in ("345124", "34-51-24", "8-7262-345124", "+77262345124"):
        assert found(client, query) == ["department/taraz"], query


def test_search_by_district_filter(client, loaded):
    assert found(client, "", district="merki") == ["department/merki", "akimat/merki"]
    assert found(client, "тараз", district="shu") == []


def test_nothing_found_says_so(client, loaded):
    html = client.get("/directory/?q=Астана&lang=ru").get_data(as_text=True)
    assert "Ничего не найдено" in html or "Nothing found" in html
