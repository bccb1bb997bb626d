"""Spoken calls: the phrase's fragments in Kazakh and Russian, and every fragment file exists and is small."""
from __future__ import annotations

from pathlib import Path

import pytest

from display.speech import CHIME, announcement, call_sounds, fragments, number_parts

SOUNDS = Path(__file__).resolve().parents[2] / "static" / "sounds"


def test_a_call_in_kazakh_then_russian():
    assert announcement("A-015", "201", "kk") == ["kk/letter-a", "kk/10", "kk/5", "kk/talon", "kk/200", "kk/1",
                                                  "kk/cabinet"]
    assert announcement("A-015", "201", "ru") == ["ru/talon", "ru/letter-a", "ru/15", "ru/cabinet", "ru/200", "ru/1"]
    assert call_sounds("A-015", "201", "/static/sounds")[0] == ["/static/sounds/chime.ogg"]


@pytest.mark.parametrize(("number", "kk", "ru"), [
    (7, ["kk/7"], ["ru/7"]), (10, ["kk/10"], ["ru/10"]), (11, ["kk/10", "kk/1"], ["ru/11"]),
    (40, ["kk/40"], ["ru/40"]), (100, ["kk/100"], ["ru/100"]), (999, ["kk/900", "kk/90", "kk/9"],
                                                                 ["ru/900", "ru/90", "ru/9"]),
])
def test_numbers_are_built_from_hundreds_tens_and_units(number, kk, ru):
    assert number_parts(number, "kk") == kk and number_parts(number, "ru") == ru


def test_cabinets_that_are_not_plain_numbers_are_spelled():
    assert announcement("B-002", "12A", "ru")[-2:] == ["ru/12", "ru/letter-a"]
    assert announcement("B-002", "", "kk")[-1] == "kk/cabinet"


def test_every_number_a_ticket_can_have_has_its_fragments_on_disk():
    names = {name for number in range(1, 1000) for lang in ("kk", "ru") for name in number_parts(number, lang)}
    assert names <= set(fragments())
    for name in set(fragments()) | {CHIME}:
        assert (SOUNDS / f"{name}.ogg").stat().st_size > 500, name
    total = sum(path.stat().st_size for path in SOUNDS.rglob("*") if path.is_file())
    assert total < 3 * 1024 * 1024
