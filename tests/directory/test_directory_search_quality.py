"""Search quality: queries as visitors type them find the right office among the first three results."""
from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.ranking import SearchIndex
from tests.directory.search_queries import QUERIES

TOP = 3
REQUIRED_SHARE = 0.97


@pytest.fixture(scope="module")
def index(seed_entries):
    return SearchIndex(seed_entries)


def _top(index, query: str) -> list[str]:
    return [f"{index.entries[hit.position].kind}:{index.entries[hit.position].district}"
            for hit in index.search(query)[:TOP]]


def test_there_are_enough_queries_of_every_kind():
    kinds = Counter(kind for kind, _q, _a in QUERIES)
    assert len(QUERIES) >= 150
    assert set(kinds) >= {"name", "prefix", "phone", "typo", "latin", "ending", "punctuation", "house", "alias",
                          "topic"}
    assert len({query for _k, query, _a in QUERIES}) == len(QUERIES), "each query once"


def test_share_found_in_the_top_three(index, capsys):
    missed = [(kind, query, answers, _top(index, query)) for kind, query, answers in QUERIES
              if not answers & set(_top(index, query))]
    share = 1 - len(missed) / len(QUERIES)
    with capsys.disabled():
        print(f"\nsearch quality: {len(QUERIES) - len(missed)} of {len(QUERIES)} queries "
              f"({share:.1%}) found in the top {TOP}")
        for kind, query, answers, top in missed:
            print(f"  missed {kind}: {query!r} wanted {sorted(answers)}, got {top}")
    assert share >= REQUIRED_SHARE


@pytest.mark.parametrize("query", ["Астана", "Алматы", "zzzz", "13", "кабинет 999", "Абай 124"])
def test_what_the_directory_does_not_hold_finds_nothing(index, query):
    assert index.search(query) == []


def test_exact_name_before_a_word_that_only_contains_it(index):
    """Шу is a district; Момышұлы (Жуалы) only contains the letters."""
    assert _top(index, "Шу")[:2] == ["department:shu", "akimat:shu"]
    assert not any("zhualy" in key for key in _top(index, "Шу"))


def test_exact_before_fuzzy(index):
    """Тараз itself comes before Талас, one letter away from a typo of it."""
    assert _top(index, "Тараз")[0].endswith(":taraz")
    assert all("talas" not in key for key in _top(index, "Тараз"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_gets_an_answer(index, text):
    for hit in index.search(text):
        assert 0 <= hit.position < len(index.entries) and hit.matched >= 1
