"""Spoken calls from prerecorded fragments: which files, in which order, say "A-015, cabinet 201"."""
from __future__ import annotations

import re

LANGUAGES = ("kk", "ru")
CHIME = "chime"

_UNITS = {
    "kk": ["нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"],
    "ru": ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
}
_TENS = {
    "kk": ["он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"],
    "ru": ["десять", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
           "девяносто"],
}
_TEENS_RU = ["одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
             "семнадцать", "восемнадцать", "девятнадцать"]
_HUNDREDS = {
    "kk": ["жүз"] + [f"{unit} жүз" for unit in _UNITS["kk"][2:]],
    "ru": ["сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"],
}
# Ticket prefixes are Latin letters; both languages read them by their Latin names.
_LETTERS = {"kk": {"A": "а", "B": "бэ", "C": "цэ", "D": "дэ"}, "ru": {"A": "а", "B": "бэ", "C": "цэ", "D": "дэ"}}
_WORDS = {
    "kk": {"talon": "нөмірлі талон", "cabinet": "кабинет"},
    "ru": {"talon": "талон номер", "cabinet": "кабинет"},
}


def fragments() -> dict[str, tuple[str, str]]:
    """Every fragment as name -> (language, text to speak), for rendering the files ahead of time."""
    table: dict[str, tuple[str, str]] = {}
    for lang in LANGUAGES:
        for digit, text in enumerate(_UNITS[lang]):
            table[f"{lang}/{digit}"] = (lang, text)
        for index, text in enumerate(_TENS[lang]):
            table[f"{lang}/{(index + 1) * 10}"] = (lang, text)
        for index, text in enumerate(_HUNDREDS[lang]):
            table[f"{lang}/{(index + 1) * 100}"] = (lang, text)
        for letter, text in _LETTERS[lang].items():
            table[f"{lang}/letter-{letter.lower()}"] = (lang, text)
        for word, text in _WORDS[lang].items():
            table[f"{lang}/{word}"] = (lang, text)
    for index, text in enumerate(_TEENS_RU):
        table[f"ru/{index + 11}"] = ("ru", text)
    return table


def number_parts(number: int, lang: str) -> list[str]:
    """Fragment names that say `number` (0-999) in `lang`."""
    if number == 0:
        return [f"{lang}/0"]
    hundreds, rest = divmod(number, 100)
    parts = [f"{lang}/{hundreds * 100}"] if hundreds else []
    if lang == "ru" and 11 <= rest <= 19:
        return parts + [f"ru/{rest}"]
    tens, units = divmod(rest, 10)
    if tens:
        parts.append(f"{lang}/{tens * 10}")
    if units:
        parts.append(f"{lang}/{units}")
    return parts


def _spell(text: str, lang: str) -> list[str]:
    """Fragments for a ticket or cabinet number: a whole number when it is one, else its characters."""
    if text.isdigit() and int(text) < 1000:
        return number_parts(int(text), lang)
    parts: list[str] = []
    for piece in re.findall(r"\d{1,3}|[A-Za-z]", text):
        if piece.isdigit():
            parts += number_parts(int(piece), lang)
        elif piece.upper() in _LETTERS[lang]:
            parts.append(f"{lang}/letter-{piece.lower()}")
    return parts


def spell(text: str, lang: str) -> list[str]:
    """Fragment names that read a ticket number such as "A-015" (letters, then the number) in `lang`."""
    return _spell(text.replace("-", ""), lang)


def announcement(label: str, cabinet: str, lang: str) -> list[str]:
    """The fragment names of "<label>, cabinet <cabinet>" in `lang` (kk or ru), in speaking order."""
    number = _spell(label.replace("-", ""), lang)
    room = _spell(cabinet, lang)
    if lang == "kk":
        return number + [f"{lang}/talon"] + room + [f"{lang}/cabinet"]
    return [f"{lang}/talon"] + number + [f"{lang}/cabinet"] + room


def call_sounds(label: str, cabinet: str, base_url: str, extension: str = "ogg") -> list[list[str]]:
    """The URLs a board plays for one call, in groups with a pause between: chime, Kazakh, Russian."""
    groups = [[CHIME]] + [announcement(label, cabinet, lang) for lang in LANGUAGES]
    base = base_url.rstrip("/")
    return [[f"{base}/{name}.{extension}" for name in group] for group in groups]
