"""Search helpers: fold Kazakh and Russian text so a Russian keyboard finds Kazakh entries."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_KAZAKH_TO_RUSSIAN = str.maketrans(
    {
        "қ": "к",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "і": "и",
        "ғ": "г",
        "ң": "н",
        "ә": "а",
        "һ": "х",
        "ё": "е",
    }
)
_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().translate(_KAZAKH_TO_RUSSIAN)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Fold text for search: case, Kazakh letters to Russian ones, ё to е, spaces collapsed."""
    text = text or ""
    for _ in range(8):  # NFKC and casefold can each expose work for the other; stop when stable
        folded = _fold_once(text)
        if folded == text:
            break
        text = folded
    return text


def latin(text: str) -> str:
    """Return a folded text in a plain Latin transliteration (Тараз -> taraz)."""
    return fold(text).translate(_LATIN)


def matches(entry_fields: Iterable[str | None], query: str) -> bool:
    """True when every word of the query appears in the entry's fields, folded (or Latin)."""
    words = fold(query).split()
    if not words:
        return True
    haystack = " ".join(fold(f) for f in entry_fields if f)
    if all(w in haystack for w in words):
        return True
    latin_haystack = haystack.translate(_LATIN)
    return all(w.translate(_LATIN) in latin_haystack for w in words)
