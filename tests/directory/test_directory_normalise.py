"""Each normalisation of the directory search on its own: invisible characters, phones, letters, endings, typos."""
from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from directory.normalise import fold, kazakh_stem, key, national, phone_digits, variants, visible, words
from directory.ranking import typos_allowed


@pytest.mark.parametrize("typed", ["Мой\u200bынқұм", "Мой\u200cынқұм", "Мой\u200dынқұм", "Мой\u00adынқұм",
                                   "\ufeffМойынқұм", "Мойынқұм\u2060", "Мой\u200eынқұм", "Мой\u034fынқұм"])
def test_invisible_characters_are_removed(typed):
    assert visible(typed) == "Мойынқұм"
    assert words(typed) == ["мойынкум"]


def test_every_format_character_of_unicode_is_invisible():
    """The hand-written list of invisible characters covers Unicode's whole "format" category here."""
    missed = [hex(c) for c in range(sys.maxunicode + 1)
              if unicodedata.category(chr(c)) == "Cf" and visible(chr(c))]
    assert missed == []


def test_punctuation_separates_words_and_numbers_stand_alone():
    assert words("«Тараз», Достоевский-14;каб.N201") == ["тараз", "достоевский", "14", "каб", "n", "201"]
    assert words("Т.Рысқұлов") == ["т", "рыскулов"]


@pytest.mark.parametrize(("typed", "digits"), [
    ("8 7262 45 44 94", "7262454494"), ("87262454494", "7262454494"), ("8 (7262) 45-44-94", "7262454494"),
    ("+7 7262 454494", "7262454494"), ("+7 (7262) 45-44-94", "7262454494"), ("7 7262 45 44 94", "7262454494"),
    ("8-72637-21971", "7263721971"), ("45-97-13", "459713"), ("8\u00a0(72637)\u00a02\u201119\u201171", "7263721971"),
])
def test_phone_numbers_in_any_form(typed, digits):
    assert phone_digits(typed) == [digits]


def test_short_numbers_are_not_phones():
    assert phone_digits("Абай 123, кабинет 201") == []
    assert national("87262454494") == national("77262454494") == "7262454494"


@pytest.mark.parametrize(("spellings", "common"), [
    (["Қордай", "кордай", "Qordai", "Korday", "Kordai"], "kordai"),
    (["Мойынқұм", "Moiynqūm", "Moyynkum", "Moiynkum", "мойынкум", "Мойнқұм"], "moinkum"),
    (["Байзақ", "Baizaq", "Bayzak", "Baizak"], "baizak"),
    (["Жуалы", "Zhualy", "Jualy", "Juali"], "juali"),
    (["Жамбыл", "Jambyl", "Zhambyl"], "jambil"),
    (["Шу", "Şu", "Shu"], "şu"),
    (["Рысқұлов", "Rysqūlov", "Ryskulov"], "riskulov"),
    (["Момышұлы", "Momyşūly", "Momyshuly"], "momişuli"),
    (["Қарахан", "Qarahan", "Karakhan"], "karahan"),
])
def test_kazakh_and_russian_letters_and_both_latin_alphabets_share_one_key(spellings, common):
    assert {key(fold(spelling)) for spelling in spellings} == {common}


def test_one_wrong_letter_is_one_edit_in_the_key():
    """ш is one letter of the key, as з is, so Тараш is one edit from Тараз."""
    assert (len(key("тараш")), len(key("тараз"))) == (5, 5)


@pytest.mark.parametrize(("word", "stem"), [
    ("ауданынын", "аудан"), ("мойынкумда", "мойынкум"), ("жанатаста", "жанатас"), ("таразга", "тараз"),
    ("кулан", "кулан"), ("аса", "аса"), ("шу", "шу"),
])
def test_kazakh_endings(word, stem):
    assert kazakh_stem(word) == stem


@pytest.mark.parametrize(("typed", "indexed"), [
    ("достоевского", "достоевский"), ("кордайского", "кордайский"), ("таразе", "тараз"),
    ("луговой", "луговое"), ("безработным", "безработный"),
])
def test_russian_endings_share_a_stem(typed, indexed):
    assert set(variants(typed)[1:2]) == set(variants(indexed)[1:2])


def test_typos_forgiven_grow_with_the_word():
    assert [typos_allowed(n) for n in (2, 3, 4, 6, 7, 12)] == [0, 0, 1, 1, 2, 2]


@given(st.text())
def test_fold_is_idempotent_and_words_never_crash(text):
    assert fold(fold(text)) == fold(text)
    for word in words(text):
        assert variants(word)
